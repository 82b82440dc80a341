// A complete sync makes the store equal to the simulator, fact by fact, on both dialects and with
// both plans, using no more API calls than the documented minimal plan.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { minimalCalls, type OrgShape, type SyncPlanKind } from '../../src/domain/sync-plan.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { connectSimulator, testApp } from '../support/app.ts';
import {
  expectedAccount,
  expectedLeads,
  expectedMemberships,
  expectedProductAccess,
  expectedRoleActors,
} from './expected.ts';
import { storeSnapshot } from './store-snapshot.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ users: 5000, seed: 7 });
});
afterAll(async () => {
  await sim.stop();
});

function orgShape(): OrgShape {
  const accounts = [...sim.state.accounts.values()];
  const projects = [...sim.state.projects.values()];
  return {
    jiraUsers: accounts.length,
    directoryUsers: accounts.filter((a) => a.directoryId !== null && a.accountType === 'atlassian').length,
    appAccounts: accounts.filter((a) => a.accountType === 'app').length,
    groups: sim.state.groups.size,
    groupSizes: [...sim.state.groups.values()].map((g) => g.members.size),
    projectRoleCounts: projects.map((p) => p.roles.size),
  };
}

describeEachDialect('sync equals the simulator', ({ getStore, getDataDir }) => {
  for (const plan of ['org', 'jira'] as SyncPlanKind[]) {
    it(`${plan} plan: every account, membership, role actor, lead and product access, within the minimal calls`, async () => {
      const app = testApp(getStore(), getDataDir());
      const integration = await connectSimulator(app, sim, { withOrgKey: plan === 'org' });
      sim.resetStats();

      const outcome = await syncIntegration(app, integration);
      expect(outcome.errors).toEqual([]);
      expect(outcome.status).toBe('succeeded');

      const calls = sim.stats().total;
      const minimal = minimalCalls(plan, orgShape());
      expect(calls).toBeLessThanOrEqual(minimal);
      expect(outcome.apiCalls).toBe(calls);

      const stored = await storeSnapshot(app.db, integration.id);
      const expectedAccounts = new Map(
        [...sim.state.accounts.values()].map((a) => [a.accountId, expectedAccount(a, plan)]),
      );
      expect(stored.accounts.size).toBe(expectedAccounts.size);
      for (const [accountId, expected] of expectedAccounts) {
        expect({ accountId, ...stored.accounts.get(accountId) }).toEqual({ accountId, ...expected });
      }
      expect(stored.memberships).toEqual(expectedMemberships(sim.state));
      expect(stored.roleActors).toEqual(expectedRoleActors(sim.state));
      expect(stored.leads).toEqual(expectedLeads(sim.state));
      expect(stored.productAccess).toEqual(plan === 'org' ? expectedProductAccess(sim.state) : new Map());

      // Nothing changed: a second sync writes no inventory rows and removes nothing.
      const again = await syncIntegration(app, integration);
      expect(again.status).toBe('succeeded');
      const written = Object.entries(again.counts).filter(([k, n]) => !k.endsWith('.unchanged') && n > 0);
      expect(written).toEqual([]);
      expect(Object.values(again.swept).every((n) => n === 0)).toBe(true);
    });
  }
});
