// A real crash: the CLI process running a bulk offboarding is killed with SIGKILL mid-way; a new
// process resumes the operation and every item ends exactly once, counted by the simulator.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { dialects } from '../support/databases.ts';
import { editableGroups, person, writeCalls } from './harness.ts';

const REMOVE_MEMBER =
  'DELETE /admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships/:accountId';
const SUSPEND = 'POST /admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId/suspend';
const ROOT = path.resolve(import.meta.dirname, '..', '..');

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ users: 200, seed: 13 });
  dir = await mkdtemp(path.join(tmpdir(), 'seatwarden-kill-'));
});
afterAll(async () => {
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

// The embedded store's file is read directly: a SQLite test, run in the SQLite pass.
it.runIf(dialects.includes('sqlite'))(
  'resumes an offboarding whose process was killed with SIGKILL; no call is sent twice',
  async () => {
    const account = person(sim, (a) => a.managed);
    const groups = editableGroups(sim)
      .filter((g) => g.directoryId === account.directoryId && !g.members.has(account.accountId))
      .slice(0, 6);
    for (const g of groups) g.members.add(account.accountId);
    sim.runtime.indexes.invalidate();

    const env = {
      SEATWARDEN_DATA_DIR: dir,
      SEATWARDEN_JIRA_RATE: '500/s, burst 50',
      SEATWARDEN_ADMIN_RATE: '500/s, burst 50',
      SEATWARDEN_API_TOKEN: sim.credentials.apiToken,
      SEATWARDEN_ORG_API_KEY: sim.credentials.orgApiKey,
    };
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
      env,
    );
    expect(add.code).toBe(0);
    expect((await runCli(['sync'], env)).code).toBe(0);
    const memberships = [...sim.state.groups.values()].filter(
      (g) => g.members.has(account.accountId) && !g.idpManaged,
    );
    expect(memberships.length).toBeGreaterThanOrEqual(6);
    const roleGrants = [...sim.state.projects.values()].flatMap((p) =>
      [...p.roles.values()].filter((r) => r.users.has(account.accountId)),
    ).length;

    // Pace the first process's admin calls so it can be killed between two of them.
    sim.resetStats();
    // Node itself with tsx as a loader: the `tsx` launcher would run the CLI in a child process
    // that SIGKILL to the launcher leaves running.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'src', 'cli', 'main.ts'),
        'actions',
        'offboard',
        account.accountId,
        '--yes',
        '--json',
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          ...env,
          SEATWARDEN_ADMIN_RATE: '1/s, burst 1',
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Calls leave a second apart: kill in the gap, right after the second removal took effect, so
    // every call the simulator counted was applied (a call cut off mid-flight may never be applied,
    // and is then rightly sent again; the in-process recovery test covers a crash right after a call).
    const stillMember = () => memberships.filter((g) => g.members.has(account.accountId)).length;
    for (let waited = 0; stillMember() > memberships.length - 2; waited += 20) {
      if (waited > 60_000) throw new Error('the offboarding never removed two memberships');
      await delay(20);
    }
    child.kill('SIGKILL');
    await exited;
    await delay(500); // let the simulator finish a call that was in flight when the process died
    const sentBeforeKill = sim.stats().calls[REMOVE_MEMBER] ?? 0;
    expect(sentBeforeKill).toBeLessThan(memberships.length);

    const db = new Database(path.join(dir, 'seatwarden.db'), { readonly: true });
    const operation = db.prepare('select id from operations order by created_at desc limit 1').get() as {
      id: string;
    };
    db.close();
    const resumed = await runCli(['actions', 'resume', operation.id, '--take-over', '--json'], env);
    expect(resumed.stderr).toBe('');
    expect([0, 3]).toContain(resumed.code);

    // Each membership and role removed once, the suspend sent once, across both processes.
    const REMOVE_ACTOR = 'DELETE /rest/api/3/project/:projectIdOrKey/role/:id';
    expect(writeCalls(sim)).toEqual({
      [REMOVE_MEMBER]: memberships.length,
      [SUSPEND]: 1,
      ...(roleGrants > 0 ? { [REMOVE_ACTOR]: roleGrants } : {}),
    });
    expect(
      [...sim.state.groups.values()].filter((g) => g.members.has(account.accountId) && !g.idpManaged),
    ).toEqual([]);
    expect(sim.state.accounts.get(account.accountId)?.membershipStatus).toBe('suspended');
  },
);
