// `seatwarden actions` and `seatwarden audit` end to end, as a user runs them (SQLite data dir):
// a dry run as JSON changes nothing, a destructive action without --yes and without a terminal is
// refused, --yes runs it, and a hand-edited audit row makes `audit verify` fail naming the row.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { dialects } from '../support/databases.ts';
import { editableGroup, person, writeCalls } from './harness.ts';

let sim: Simulator;
let dataDir: string;
beforeAll(async () => {
  sim = await startSimulator({ users: 150, seed: 3 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-actions-cli-'));
});
afterAll(async () => {
  await sim.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({
  SEATWARDEN_JIRA_RATE: '500/s, burst 50',
  SEATWARDEN_ADMIN_RATE: '500/s, burst 50',
  SEATWARDEN_DATA_DIR: dataDir,
  SEATWARDEN_API_TOKEN: sim.credentials.apiToken,
  SEATWARDEN_ORG_API_KEY: sim.credentials.orgApiKey,
});

// The embedded store's file is read directly: a SQLite test, run in the SQLite pass.
it.runIf(dialects.includes('sqlite'))(
  'runs actions with --dry-run, --json and --yes, and verifies the audit log',
  { timeout: 120_000 },
  async () => {
    const add = await runCli(
      [
        'integrations',
        'add',
        '--label',
        'acme',
        '--site-url',
        sim.siteUrl,
        '--email',
        sim.credentials.adminEmail,
        '--org-id',
        sim.orgId,
        '--admin-api-url',
        sim.adminApiUrl,
      ],
      env(),
    );
    expect(add.code, add.stderr).toBe(0);
    expect((await runCli(['sync'], env())).code).toBe(0);
    sim.resetStats();

    const group = editableGroup(sim);
    const account = person(
      sim,
      (a) => !group.members.has(a.accountId) && a.directoryId === group.directoryId,
    );
    const dry = await runCli(
      [
        'actions',
        'addToGroup',
        '--group',
        group.groupId,
        '--account',
        account.accountId,
        '--dry-run',
        '--json',
      ],
      env(),
    );
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      items: { result: { calls: { method: string; path: string }[] } }[];
    };
    expect(planned.dryRun).toBe(true);
    expect(planned.items[0]?.result.calls).toEqual([
      {
        method: 'POST',
        path: `/admin/v2/orgs/${sim.orgId}/directories/${group.directoryId}/groups/${group.groupId}/memberships`,
      },
    ]);
    expect(group.members.has(account.accountId)).toBe(false);

    const human = await runCli(
      ['actions', 'addToGroup', '--group', group.groupId, '--account', account.accountId, '--dry-run'],
      env(),
    );
    expect(human.stdout).toMatch(/would call POST \/admin\/v2\/orgs\//);

    const refused = await runCli(['actions', 'suspend', '--account', account.accountId], env());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/destructive: pass --yes/);
    expect(writeCalls(sim)).toEqual({});

    const done = await runCli(
      ['actions', 'suspend', '--account', account.accountId, '--yes', '--json'],
      env(),
    );
    expect(done.code, done.stderr).toBe(0);
    expect((JSON.parse(done.stdout) as { status: string }).status).toBe('succeeded');
    expect(account.membershipStatus).toBe('suspended');

    const unknown = await runCli(['actions', 'suspend', '--account', '557058:nobody', '--yes'], env());
    expect(unknown.code).toBe(4);
    expect(unknown.stdout).toMatch(/refused/);

    const list = await runCli(['audit', 'list', '--format', 'json'], env());
    const events = JSON.parse(list.stdout) as { seq: number; action: string; outcome: string; via: string }[];
    expect(events.map((e) => [e.action, e.outcome, e.via])).toEqual([
      ['suspend', 'refused', 'cli'],
      ['suspend', 'succeeded', 'cli'],
    ]);
    const csv = await runCli(['audit', 'list', '--format', 'csv', '--outcome', 'succeeded'], env());
    expect(csv.stdout.trim().split('\n')).toHaveLength(2);

    expect((await runCli(['audit', 'verify'], env())).code).toBe(0);
    const file = new SqliteDatabase(path.join(dataDir, 'seatwarden.db'));
    file.prepare("update audit_events set outcome = 'refused' where seq = 1").run();
    file.close();
    const broken = await runCli(['audit', 'verify'], env());
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toMatch(/BROKEN at event 1: hash does not match/);
  },
);
