// The CLI end to end against the simulator: guidance on bad credentials with nothing stored,
// clear refusals of bad input, a full add → sync → list → show → licenses flow, and secrets that
// never appear in the database, the output or the logs.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { dialects } from '../support/databases.ts';
import { runCli, type CliResult } from './run-cli.ts';

let sim: Simulator;
let dataDir: string;
const outputs: CliResult[] = [];

beforeAll(async () => {
  sim = await startSimulator({ users: 300, seed: 5 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-cli-'));
});
afterAll(async () => {
  await sim.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const FAST = { SEATWARDEN_JIRA_RATE: '500/s, burst 50', SEATWARDEN_ADMIN_RATE: '500/s, burst 50' };

function addArgs(label: string, overrides: Record<string, string> = {}): string[] {
  const options: Record<string, string> = {
    '--label': label,
    '--site-url': sim.siteUrl,
    '--email': sim.credentials.adminEmail,
    '--org-id': sim.orgId,
    '--admin-api-url': sim.adminApiUrl,
    ...overrides,
  };
  return [
    'integrations',
    'add',
    ...Object.entries(options).flatMap(([k, v]) => (v === '' && k !== '--email' ? [] : [k, v])),
  ];
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const result = await runCli(args, env);
  outputs.push(result);
  return result;
}

describe('seatwarden CLI: refusals', () => {
  const env = () => ({
    ...FAST,
    SEATWARDEN_DATA_DIR: dataDir,
    SEATWARDEN_API_TOKEN: sim.credentials.apiToken,
    SEATWARDEN_ORG_API_KEY: sim.credentials.orgApiKey,
  });

  it('a wrong token, a wrong org ID or a non-admin account explain themselves and store nothing', async () => {
    const wrongToken = await cli(addArgs('bad-token'), { ...env(), SEATWARDEN_API_TOKEN: 'not-the-token' });
    expect(wrongToken.code).toBe(3);
    expect(wrongToken.stderr).toMatch(/rejected the email or API token/);
    expect(wrongToken.stderr).toMatch(/Nothing was saved/);

    const wrongOrg = await cli(
      addArgs('bad-org', { '--org-id': 'aaaaaaaa-0000-0000-0000-000000000000' }),
      env(),
    );
    expect(wrongOrg.code).toBe(3);
    expect(wrongOrg.stderr).toMatch(/organization ID/i);

    const notAdmin = await cli(addArgs('not-admin', { '--email': sim.credentials.userEmail }), {
      ...env(),
      SEATWARDEN_API_TOKEN: sim.credentials.userApiToken,
    });
    expect(notAdmin.code).toBe(3);
    expect(notAdmin.stderr).toMatch(/not a site admin/);

    const wrongKey = await cli(addArgs('bad-key'), { ...env(), SEATWARDEN_ORG_API_KEY: 'nope' });
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toMatch(/organization API key/i);

    const list = await cli(['integrations', 'list', '--json'], env());
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('invalid URLs and empty fields are refused with a clear message and no stack trace', async () => {
    const badUrl = await cli(addArgs('bad-url', { '--site-url': 'acme.atlassian.net' }), env());
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/site URL must be an https:\/\/ URL/);
    const emptyEmail = await cli(addArgs('no-email', { '--email': '' }), env());
    expect(emptyEmail.code).toBe(1);
    expect(emptyEmail.stderr).toMatch(/email must be an email address/);
    const noSecret = await cli(addArgs('no-secret'), { ...FAST, SEATWARDEN_DATA_DIR: dataDir });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toMatch(/Set SEATWARDEN_API_TOKEN/);
    for (const result of [badUrl, emptyEmail, noSecret]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

for (const dialect of dialects) {
  describe(`seatwarden CLI: connect, sync and read [${dialect}]`, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'seatwarden-cli-flow-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const env = (): NodeJS.ProcessEnv => ({
      ...FAST,
      SEATWARDEN_DATA_DIR: dir,
      ...(dialect === 'postgres' ? { DATABASE_URL: process.env.SEATWARDEN_TEST_PG_URL } : {}),
    });
    const secrets = () => [sim.credentials.apiToken, sim.credentials.orgApiKey];

    it('adds, syncs, lists, shows and summarises licenses; secrets never leak', async () => {
      const add = await cli(addArgs('acme'), {
        ...env(),
        SEATWARDEN_API_TOKEN: sim.credentials.apiToken,
        SEATWARDEN_ORG_API_KEY: sim.credentials.orgApiKey,
      });
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);

      const sync = await cli(['sync', '--integration', 'acme'], env());
      expect(sync.code).toBe(0);
      expect(sync.stdout).toMatch(/acme: sync succeeded/);

      const list = await cli(['accounts', 'list', '--format', 'json'], env());
      expect(list.code).toBe(0);
      const accounts = JSON.parse(list.stdout) as Record<string, unknown>[];
      expect(accounts).toHaveLength(sim.state.accounts.size);
      expect(Object.keys(accounts[0] ?? {})).toEqual(
        expect.arrayContaining([
          'accountId',
          'accountType',
          'status',
          'email',
          'displayName',
          'groups',
          'projectRoles',
          'products',
          'lastActive',
        ]),
      );

      const inactive = await cli(
        ['accounts', 'list', '--inactive-days', '180', '--billable', '--format', 'csv'],
        env(),
      );
      expect(inactive.code).toBe(0);
      expect(inactive.stdout.split('\n')[0]).toMatch(/^accountId,name,email/);

      const someone = [...sim.state.accounts.values()].find(
        (a) => a.accountType === 'atlassian' && a.products.length > 0,
      );
      const show = await cli(['accounts', 'show', someone?.accountId ?? ''], env());
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/groups:/);
      expect(show.stdout).toMatch(/products:/);

      const licenses = await cli(['licenses', '--price', 'jira-software=8.6', '--format', 'json'], env());
      expect(licenses.code).toBe(0);
      const lines = JSON.parse(licenses.stdout) as { productKey: string; monthlyWaste: number | null }[];
      expect(lines.find((l) => l.productKey === 'jira-software')?.monthlyWaste).toEqual(expect.any(Number));

      const badFilter = await cli(['accounts', 'list', '--inactive-days', 'soon'], env());
      expect(badFilter.code).toBe(1);
      expect(badFilter.stderr).toMatch(/--inactive-days must be a positive whole number/);

      // Secrets: nowhere in what the CLI printed, in its logs, or in plaintext in the store.
      const log = await readFile(path.join(dir, 'seatwarden.log'), 'utf8');
      expect(log).toMatch(/"msg":"sync finished"/);
      for (const output of outputs)
        for (const secret of secrets()) expect(output.stdout + output.stderr).not.toContain(secret);
      for (const secret of secrets()) expect(await storeContains(dialect, dir, secret)).toBe(false);
    });
  });
}

/** Every file in the data directory (the SQLite database, its WAL, the log), and the PostgreSQL rows. */
async function storeContains(dialect: string, dir: string, secret: string): Promise<boolean> {
  for (const file of await readdir(dir)) {
    const bytes = await readFile(path.join(dir, file));
    if (bytes.includes(Buffer.from(secret))) return true;
  }
  if (dialect === 'sqlite') return false;
  const client = new pg.Client({ connectionString: process.env.SEATWARDEN_TEST_PG_URL });
  await client.connect();
  try {
    const rows = await client.query<{ row: string }>(
      'SELECT row_to_json(i)::text AS row FROM integrations i',
    );
    return rows.rows.some((r) => r.row.includes(secret));
  } finally {
    await client.end();
  }
}
