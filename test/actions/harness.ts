// A simulator, an App over the test store, a synced simulator integration, and ways to pick the
// accounts and groups a test needs from the simulator's own state.
import type { App } from '../../src/app.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { startSimulator, type SimAccount, type SimGroup, type Simulator } from '../../sim/index.ts';
import { connectSimulator, testApp } from '../support/app.ts';
import type { DialectContext } from '../support/databases.ts';

export const WHO = { actor: 'test:admin', via: 'cli' as const };

export interface World {
  sim: Simulator;
  app: App;
  integration: IntegrationSummary;
}

export async function startWorld(
  ctx: DialectContext,
  opts: { withOrgKey?: boolean; users?: number; prepare?: (sim: Simulator) => void } = {},
): Promise<World> {
  const sim = await startSimulator({ users: opts.users ?? 200, seed: 11 });
  opts.prepare?.(sim);
  const app = testApp(ctx.getStore(), ctx.getDataDir());
  const integration = await connectSimulator(app, sim, { withOrgKey: opts.withOrgKey ?? true });
  const outcome = await syncIntegration(app, integration);
  if (outcome.status !== 'succeeded') throw new Error(`sync ${outcome.status}`);
  sim.resetStats();
  return { sim, app, integration };
}

/** Write calls the simulator received (anything but GET and searches). */
export function writeCalls(sim: Simulator): Record<string, number> {
  return Object.fromEntries(
    Object.entries(sim.stats().calls).filter(
      ([key]) => !key.startsWith('GET ') && !key.endsWith('/search') && !key.endsWith('/workspaces'),
    ),
  );
}

export function person(sim: Simulator, where: (a: SimAccount) => boolean = () => true): SimAccount {
  const found = [...sim.state.accounts.values()].find(
    (a) =>
      a.accountType === 'atlassian' &&
      a.directoryId !== null &&
      a.membershipStatus === 'active' &&
      a.accountStatus === 'active' &&
      a.jiraActive &&
      !a.orgAdmin &&
      !a.siteAdmin &&
      a.accountId !== sim.state.adminAccountId &&
      where(a),
  );
  if (!found) throw new Error('no such person in the simulator');
  return found;
}

/** Groups an admin may edit: not IdP-synced and not a product's default group. */
export function editableGroups(sim: Simulator): SimGroup[] {
  const defaults = new Set(sim.state.applicationRoles.flatMap((r) => r.defaultGroupIds));
  return [...sim.state.groups.values()].filter((g) => !g.idpManaged && !defaults.has(g.groupId));
}

export function editableGroup(sim: Simulator, where: (g: SimGroup) => boolean = () => true): SimGroup {
  const found = editableGroups(sim).find(where);
  if (!found) throw new Error('no editable group');
  return found;
}
