// Opens the store: SQLite (embedded default) or PostgreSQL (scale-out), migrated to the latest schema.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
export { refreshStatistics } from './helpers.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; absent selects SQLite. */
  databaseUrl?: string | undefined;
  /** SQLite lives at `${dataDir}/seatwarden.db`; the directory is created if missing. */
  dataDir: string;
  /** PostgreSQL schema to use (set as search_path, created if missing). */
  pgSchema?: string | undefined;
  /** PostgreSQL only: abort any statement running longer than this (default: no limit). */
  statementTimeoutMs?: number | undefined;
  /** Skip running migrations (default: run them). */
  migrate?: boolean;
  /** With migrate false: refuse to open a database that has pending migrations. */
  requireCurrentSchema?: boolean;
}

export class MigrationError extends Error {
  readonly code = 'migration_failed';
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const store = isPostgresUrl(opts.databaseUrl)
    ? await openPostgres(opts.databaseUrl, opts.pgSchema, opts.statementTimeoutMs)
    : await openSqlite(opts.dataDir);
  try {
    if (opts.migrate !== false) {
      await migrateToLatest(store.db, opts.pgSchema, store.dialect);
    } else if (opts.requireCurrentSchema) {
      const pending = await pendingMigrations(store.db, opts.pgSchema);
      if (pending.length > 0) {
        throw new MigrationError(
          `The database needs ${pending.length} migration(s) (${pending.join(', ')}): run "seatwarden migrate" first`,
        );
      }
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openSqlite(dataDir: string): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  const file = new SqliteDatabase(path.join(dataDir, 'seatwarden.db'));
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  // Safe with WAL (durable up to the last checkpoint) and much faster for page writes.
  file.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

async function openPostgres(
  url: string,
  schema: string | undefined,
  statementTimeoutMs: number | undefined,
): Promise<Store> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and _`);
  }
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // The name is validated above; identifiers cannot be bound as parameters.
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await client.end();
    }
  }
  const settings = [
    ...(schema === undefined ? [] : [`-c search_path=${schema}`]),
    ...(statementTimeoutMs === undefined ? [] : [`-c statement_timeout=${Math.floor(statementTimeoutMs)}`]),
  ];
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(settings.length === 0 ? {} : { options: settings.join(' ') }),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

function migratorFor(db: Kysely<Database>, pgSchema: string | undefined): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
    ...(pgSchema === undefined ? {} : { migrationTableSchema: pgSchema }),
  });
}

/** Names of the migrations this code has and the database has not applied yet. */
export async function pendingMigrations(db: Kysely<Database>, pgSchema?: string): Promise<string[]> {
  const known = await migratorFor(db, pgSchema).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Applies every pending migration in order; throws MigrationError naming the one that failed.
 * On PostgreSQL, nodes starting together queue on an advisory lock (one per schema), taken on
 * the one connection that migrates, so exactly one of them applies each migration.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  pgSchema?: string,
  dialect: Dialect = 'sqlite',
): Promise<MigrationResultSet> {
  if (dialect !== 'postgres') return runMigrations(db, pgSchema);
  const lockName = `seatwarden.migrate:${pgSchema ?? 'default'}`;
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${lockName}))`.execute(connection);
    try {
      return await runMigrations(connection, pgSchema);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${lockName}))`.execute(connection);
    }
  });
}

async function runMigrations(
  db: Kysely<Database>,
  pgSchema: string | undefined,
): Promise<MigrationResultSet> {
  const result = await migratorFor(db, pgSchema).migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `Migration ${failed} failed: ${result.error instanceof Error ? result.error.message : JSON.stringify(result.error)}`,
      { cause: result.error },
    );
  }
  return result;
}
