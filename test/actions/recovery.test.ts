// Crash recovery: a bulk offboarding whose process stops right after an Atlassian call (before
// the outcome is recorded) resumes without repeating anything, checked against the simulator's
// call counters; every attempt, including the interrupted one, has exactly one audit event.
import { afterEach, expect, it } from 'vitest';
import { offboard, resumeOperation } from '../../src/actions/service.ts';
import { getOperation } from '../../src/storage/actions.ts';
import { listAuditEvents, verifyAuditChain } from '../../src/storage/audit.ts';
import type { SimGroup } from '../../sim/index.ts';
import { describeEachDialect } from '../support/databases.ts';
import { editableGroups, person, startWorld, WHO, writeCalls, type World } from './harness.ts';

const REMOVE_MEMBER =
  'DELETE /admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships/:accountId';
const SUSPEND = 'POST /admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId/suspend';
const REMOVE_ACTOR = 'DELETE /rest/api/3/project/:projectIdOrKey/role/:id';

describeEachDialect('offboarding crash recovery', (ctx) => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.sim.stop();
    world = undefined;
  });

  it('resumes a killed offboarding: every item ends exactly once', async () => {
    let accountId = '';
    let groups: SimGroup[] = [];
    world = await startWorld(ctx, {
      prepare: (sim) => {
        const account = person(sim, (a) => a.managed);
        accountId = account.accountId;
        groups = editableGroups(sim)
          .filter((g) => g.directoryId === account.directoryId)
          .slice(0, 3);
        for (const g of groups) g.members.add(accountId);
        const project = [...sim.state.projects.values()][0];
        project?.roles.get(10002)?.users.add(accountId);
      },
    });
    const { sim, app, integration } = world;
    const memberships = [...sim.state.groups.values()].filter((g) => g.members.has(accountId));
    expect(memberships.length).toBeGreaterThanOrEqual(3);
    const idpGroups = memberships.filter((g) => g.idpManaged).length;
    const roleGrants = [...sim.state.projects.values()].flatMap((p) =>
      [...p.roles.values()].filter((r) => r.users.has(accountId)),
    ).length;
    expect(roleGrants).toBeGreaterThanOrEqual(1);

    let calls = 0;
    const crash = offboard(app, integration, { accountId }, WHO, {
      afterCalls: () => {
        calls += 1;
        if (calls === 2) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const [pending] = await app.db
      .withTables<{ operations: { id: string; status: string } }>()
      .selectFrom('operations')
      .select(['id', 'status'])
      .execute();
    if (!pending) throw new Error('no operation');
    const stopped = await getOperation(app.db, pending.id);
    expect(stopped?.items.filter((i) => i.status === 'running')).toHaveLength(1);
    expect(stopped?.items.some((i) => i.status === 'pending')).toBe(true);

    // A resume before the lease runs out leaves the running item alone.
    const early = await resumeOperation(app, pending.id, WHO);
    expect(early.status).toBe('running');
    const later = () => new Date(Date.now() + 10 * 60_000);
    const resumed = await resumeOperation(app, pending.id, WHO, { now: later });
    expect(resumed.items.every((i) => ['succeeded', 'skipped', 'refused'].includes(i.status))).toBe(true);
    expect(resumed.items.filter((i) => i.status === 'refused')).toHaveLength(idpGroups);
    expect(resumed.status).toBe(idpGroups > 0 ? 'partial' : 'succeeded');

    const editable = memberships.length - idpGroups;
    expect(writeCalls(sim)).toEqual({ [REMOVE_MEMBER]: editable, [REMOVE_ACTOR]: roleGrants, [SUSPEND]: 1 });
    expect([...sim.state.groups.values()].filter((g) => g.members.has(accountId) && !g.idpManaged)).toEqual(
      [],
    );
    expect(sim.state.accounts.get(accountId)?.membershipStatus).toBe('suspended');

    const interrupted = resumed.items.find((i) => i.attempts === 2);
    expect(interrupted?.status).toBe('skipped');
    const events = await listAuditEvents(app.db, { integrationId: integration.id });
    const attempts = resumed.items.reduce((sum, i) => sum + i.attempts, 0);
    expect(events).toHaveLength(attempts);
    const ofInterrupted = events
      .filter((e) => e.detail.seq === interrupted?.seq)
      .map((e) => e.outcome)
      .reverse();
    expect(ofInterrupted).toEqual(['interrupted', 'already_done']);
    expect((await verifyAuditChain(app.db)).ok).toBe(true);
    const remaining = await app.db
      .selectFrom('group_memberships')
      .select('group_id')
      .where('integration_id', '=', integration.id)
      .where('account_id', '=', accountId)
      .where('removed_at', 'is', null)
      .execute();
    expect(remaining).toHaveLength(idpGroups);
  });
});
