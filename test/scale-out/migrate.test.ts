// `seatwarden migrate` and start-up migrations as real processes: two nodes migrating one fresh
// PostgreSQL schema at once apply each migration exactly once; a node told not to migrate refuses
// an out-of-date schema; split roles need PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/storage/migrations/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { dialects } from '../support/databases.ts';

describe.runIf(dialects.includes('postgres'))('migrations across nodes [multi-process]', () => {
  let env: Record<string, string>;
  let dataDir: string;

  beforeEach(async () => {
    const id = randomBytes(5).toString('hex');
    dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-migrate-'));
    env = {
      DATABASE_URL: String(process.env.SEATWARDEN_TEST_PG_URL),
      SEATWARDEN_PG_SCHEMA: `mg_${id}`,
      SEATWARDEN_JOBS_SCHEMA: `mgb_${id}`,
      SEATWARDEN_DATA_DIR: dataDir,
      SEATWARDEN_SECRET_KEY: randomBytes(32).toString('base64'),
    };
  });
  afterEach(async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${String(env.SEATWARDEN_PG_SCHEMA)} CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS ${String(env.SEATWARDEN_JOBS_SCHEMA)} CASCADE`);
    } finally {
      await client.end();
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('two nodes migrating at once apply every migration exactly once', async () => {
    const [one, two] = await Promise.all([
      runCli(['migrate', '--json'], env),
      runCli(['migrate', '--json'], env),
    ]);
    expect(one.stderr + two.stderr).toBe('');
    expect([one.code, two.code]).toEqual([0, 0]);
    const applied = [one, two].flatMap((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied);
    expect(applied.sort()).toEqual(Object.keys(migrations).sort());
    expect(JSON.parse(one.stdout)).toMatchObject({ store: 'postgres', jobs: 'pg-boss' });

    // Run again: nothing left to do.
    const again = await runCli(['migrate', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: [] });
  });

  it('with SEATWARDEN_MIGRATE=off, a node refuses a schema that needs migrations', async () => {
    const refused = await runCli(['serve', '--role', 'api', '--port', '0'], {
      ...env,
      SEATWARDEN_MIGRATE: 'off',
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/run "seatwarden migrate" first/);
  });
});

describe('process roles', () => {
  it('refuses --role api or worker on the embedded SQLite store', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-role-'));
    try {
      const result = await runCli(['serve', '--role', 'worker', '--port', '0'], {
        SEATWARDEN_DATA_DIR: dataDir,
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/--role worker needs PostgreSQL/);
      const bad = await runCli(['serve', '--role', 'boss'], { SEATWARDEN_DATA_DIR: dataDir });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/role must be one of all, api, worker/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
