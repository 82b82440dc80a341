// Sync under rate limits, faults and change: it completes or fails cleanly, a failed run removes
// nothing, the next run catches up, and changes show as removals, updates and history.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import type { App } from '../../src/app.ts';
import { getAccountDetail } from '../../src/storage/inventory-reads.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { SyncAlreadyRunningError } from '../../src/storage/sync-runs.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { connectSimulator, testApp } from '../support/app.ts';
import { expectedMemberships, expectedRoleActors } from './expected.ts';
import { storeSnapshot } from './store-snapshot.ts';

let sim: Simulator;

beforeEach(async () => {
  sim = await startSimulator({ users: 600, seed: 11 });
});
afterEach(async () => {
  await sim.stop();
});

async function control(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sim.siteUrl}/__sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function expectEqualToSimulator(app: App, integration: IntegrationSummary): Promise<void> {
  const stored = await storeSnapshot(app.db, integration.id);
  expect(new Set(stored.accounts.keys())).toEqual(new Set(sim.state.accounts.keys()));
  expect(stored.memberships).toEqual(expectedMemberships(sim.state));
  expect(stored.roleActors).toEqual(expectedRoleActors(sim.state));
}

describeEachDialect('sync resilience', ({ getStore, getDataDir }) => {
  it('waits out 429s as the headers say and still gets everything', async () => {
    // The client's budget is above the server's, as when Atlassian's burst limit is lower than configured.
    const app = testApp(getStore(), getDataDir(), {
      SEATWARDEN_JIRA_RATE: '100/s, burst 20',
      SEATWARDEN_ADMIN_RATE: '100/s, burst 20',
    });
    const integration = await connectSimulator(app, sim);
    await control('config', {
      siteBudget: { capacity: 10, refillPerSecond: 40 },
      orgBudget: { capacity: 5, refillPerSecond: 20 },
    });
    sim.resetStats();
    const waits: number[] = [];
    const outcome = await syncIntegration(app, integration, {
      onProgress: (e) => {
        if (e.type === 'rateLimited') waits.push(e.waitMs);
      },
    });
    expect(outcome.status).toBe('succeeded');
    const stats = sim.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(outcome.rateLimitWaits).toBe(stats.rateLimited);
    // The simulator's Retry-After is at least one second; every 429 was waited out that long.
    expect(waits.length).toBe(stats.rateLimited);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(900);
    // After a 429 the client slows to the server's pace instead of hammering it: few 429s in all.
    expect(stats.rateLimited).toBeLessThanOrEqual(stats.total * 0.1);
    await expectEqualToSimulator(app, integration);
  });

  it('survives 503s, resets and a malformed page; a failed run removes nothing and the next catches up', async () => {
    const app = testApp(getStore(), getDataDir());
    const integration = await connectSimulator(app, sim);
    expect((await syncIntegration(app, integration)).status).toBe('succeeded');

    await control('config', {
      faults: [
        { endpoint: '*', kind: '503', probability: 0.05 },
        { endpoint: '*', kind: 'reset', probability: 0.02 },
        { endpoint: 'GET /rest/api/3/users/search', kind: 'malformed', probability: 1, remaining: 1 },
      ],
    });
    const flaky = await syncIntegration(app, integration);
    expect(flaky.status).toBe('succeeded');
    expect(flaky.retries).toBeGreaterThan(0);
    await expectEqualToSimulator(app, integration);

    // Projects fail for good: the run fails, and nothing is marked removed although it saw little.
    const removedUser = [...sim.state.accounts.values()].find(
      (a) => a.accountType === 'atlassian' && !a.orgAdmin,
    );
    if (!removedUser) throw new Error('no user to remove');
    await control('mutate', { op: 'removeUser', accountId: removedUser.accountId });
    await control('config', {
      faults: [{ endpoint: 'GET /rest/api/3/project/search', kind: '500', probability: 1 }],
    });
    const failed = await syncIntegration(app, integration);
    expect(failed.status).toBe('failed');
    expect(failed.errors[0]?.phase).toBe('jiraProjects');
    expect(failed.swept).toEqual({});
    const whileFailed = await storeSnapshot(app.db, integration.id);
    expect(whileFailed.accounts.has(removedUser.accountId)).toBe(true);
    expect(whileFailed.roleActors.size).toBeGreaterThan(0);

    // The next sync resumes the failed run (finished phases are not repeated) and completes it.
    await control('config', { faults: [] });
    sim.resetStats();
    const caughtUp = await syncIntegration(app, integration);
    expect(caughtUp.status).toBe('succeeded');
    expect(caughtUp.resumedFrom).toBe(failed.runId);
    expect(sim.stats().calls['POST /admin/v2/orgs/:orgId/directories/:directoryId/users/search'] ?? 0).toBe(
      0,
    );
    await expectEqualToSimulator(app, integration);
    const removed = await getAccountDetail(app.db, integration.id, removedUser.accountId);
    expect(removed?.account.removedAt).not.toBeNull();
  });

  it('records removals, updates and new grants as account history', async () => {
    const app = testApp(getStore(), getDataDir());
    const integration = await connectSimulator(app, sim);
    expect((await syncIntegration(app, integration)).status).toBe('succeeded');

    const people = [...sim.state.accounts.values()].filter(
      (a) => a.accountType === 'atlassian' && a.managed && !a.orgAdmin,
    );
    const [renamed, leaver, mover] = people;
    if (!renamed || !leaver || !mover) throw new Error('not enough people');
    const group = [...sim.state.groups.values()].find(
      (g) => !g.idpManaged && !g.members.has(mover.accountId),
    );
    const oldGroup = [...sim.state.groups.values()].find((g) => g.members.has(mover.accountId));
    if (!group || !oldGroup) throw new Error('no group');
    await control('mutate', [
      { op: 'updateUser', accountId: renamed.accountId, displayName: 'Renamed Person', status: 'inactive' },
      { op: 'removeUser', accountId: leaver.accountId },
      { op: 'addMembership', groupId: group.groupId, accountId: mover.accountId },
      { op: 'removeMembership', groupId: oldGroup.groupId, accountId: mover.accountId },
      {
        op: 'addUser',
        displayName: 'New Starter',
        email: 'new.starter@acme.example',
        products: [{ key: 'jira-software', lastActive: null }],
      },
    ]);

    const outcome = await syncIntegration(app, integration);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.swept.accounts).toBe(1);
    await expectEqualToSimulator(app, integration);

    const renamedDetail = await getAccountDetail(app.db, integration.id, renamed.accountId);
    expect(renamedDetail?.account.displayName).toBe('Renamed Person');
    expect(renamedDetail?.history.map((h) => [h.change, h.field, h.newValue])).toEqual(
      expect.arrayContaining([
        ['updated', 'displayName', 'Renamed Person'],
        ['updated', 'status', 'inactive'],
      ]),
    );
    const leaverDetail = await getAccountDetail(app.db, integration.id, leaver.accountId);
    expect(leaverDetail?.account.removedAt).not.toBeNull();
    expect(leaverDetail?.history.some((h) => h.change === 'removed')).toBe(true);
    const moverDetail = await getAccountDetail(app.db, integration.id, mover.accountId);
    expect(moverDetail?.history.map((h) => [h.change, h.newValue ?? h.oldValue])).toEqual(
      expect.arrayContaining([
        ['group_added', group.groupId],
        ['group_removed', oldGroup.groupId],
      ]),
    );
  });

  it('runs one sync per integration at a time', async () => {
    const app = testApp(getStore(), getDataDir());
    const integration = await connectSimulator(app, sim);
    await control('config', { latencyMs: 20 });
    const results = await Promise.allSettled([
      syncIntegration(app, integration),
      syncIntegration(app, integration),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(SyncAlreadyRunningError);
  });
});
