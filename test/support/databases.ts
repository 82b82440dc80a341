// Runs storage-backed tests on BOTH dialects. Every test gets its own store: SQLite in a fresh
// temp directory, PostgreSQL in a fresh schema of the per-run database (SEATWARDEN_TEST_PG_URL).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe } from 'vitest';
import { openStore, type Dialect, type Store } from '../../src/storage/db.ts';

/**
 * Which store(s) this run tests: SEATWARDEN_TEST_STORE=sqlite|postgres|both (default both; CI runs
 * the suite once per store). SEATWARDEN_TEST_PG=off is the older spelling of sqlite.
 */
function storesUnderTest(): readonly Dialect[] {
  const chosen =
    process.env.SEATWARDEN_TEST_STORE ?? (process.env.SEATWARDEN_TEST_PG === 'off' ? 'sqlite' : 'both');
  if (chosen === 'sqlite' || chosen === 'postgres') return [chosen];
  if (chosen === 'both') return ['sqlite', 'postgres'];
  throw new Error(`SEATWARDEN_TEST_STORE must be sqlite, postgres or both, not "${chosen}"`);
}

export const dialects: readonly Dialect[] = storesUnderTest();

/**
 * The store for tests that run once, not per dialect (browser, CLI processes): PostgreSQL in a
 * postgres-only run, SQLite otherwise.
 */
export const primaryDialect: Dialect = dialects.includes('sqlite') ? 'sqlite' : 'postgres';

export interface TestStore {
  store: Store;
  /** The SQLite data directory (a temp dir for PostgreSQL too, for key files and the like). */
  dataDir: string;
  cleanup: () => Promise<void>;
}

function pgUrl(): string {
  const url = process.env.SEATWARDEN_TEST_PG_URL;
  if (!url) {
    throw new Error(
      'SEATWARDEN_TEST_PG_URL is not set: run tests through vitest (global setup creates the database)',
    );
  }
  return url;
}

/** Opens a fresh, migrated store of the given dialect. */
export async function openTestStore(dialect: Dialect): Promise<TestStore> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-test-'));
  if (dialect === 'sqlite') {
    const store = await openStore({ dataDir });
    return {
      store,
      dataDir,
      cleanup: async () => {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = pgUrl();
  const schema = `s_${randomBytes(6).toString('hex')}`;
  // A runaway query fails the test instead of holding the shared server for minutes.
  const store = await openStore({ databaseUrl: url, dataDir, pgSchema: schema, statementTimeoutMs: 60_000 });
  return {
    store,
    dataDir,
    cleanup: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface DialectContext {
  dialect: Dialect;
  /** The current test's store (valid inside tests and hooks that run after the built-in beforeEach). */
  getStore: () => Store;
  getDataDir: () => string;
}

/** `describe` once per dialect; each test gets its own fresh store, closed and dropped after. */
export function describeEachDialect(name: string, fn: (ctx: DialectContext) => void): void {
  for (const dialect of dialects) {
    describe(`${name} [${dialect}]`, () => {
      let current: TestStore | undefined;
      beforeEach(async () => {
        current = await openTestStore(dialect);
      });
      afterEach(async () => {
        await current?.cleanup();
        current = undefined;
      });
      const need = (): TestStore => {
        if (!current) throw new Error('No store: call getStore() inside a test or hook');
        return current;
      };
      fn({ dialect, getStore: () => need().store, getDataDir: () => need().dataDir });
    });
  }
}
