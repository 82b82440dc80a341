// Provisioning actions against the simulator, on both dialects: the effect shows in the simulator
// and in the inventory at once, repeats change nothing, pre-flight refusals leave the simulator
// untouched, transient failures are retried, permanent ones carry Atlassian's message.
import { afterEach, expect, it } from 'vitest';
import { runAction } from '../../src/actions/service.ts';
import { listAuditEvents, verifyAuditChain } from '../../src/storage/audit.ts';
import { describeEachDialect } from '../support/databases.ts';
import { editableGroup, person, startWorld, WHO, writeCalls, type World } from './harness.ts';

const ADD_MEMBER = 'POST /admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships';
const SUSPEND = 'POST /admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId/suspend';

describeEachDialect('actions', (ctx) => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.sim.stop();
    world = undefined;
  });

  async function membership(w: World, groupId: string, accountId: string) {
    return w.app.db
      .selectFrom('group_memberships')
      .select('removed_at')
      .where('integration_id', '=', w.integration.id)
      .where('group_id', '=', groupId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  it('adds to a group: the simulator and the inventory show it at once; a repeat changes nothing', async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    const group = editableGroup(sim, (g) => g.members.size > 0);
    const account = person(
      sim,
      (a) => !group.members.has(a.accountId) && a.directoryId === group.directoryId,
    );

    const first = await runAction(
      app,
      integration,
      { kind: 'addToGroup', input: { groupId: group.groupId, accountId: account.accountId } },
      WHO,
    );
    expect(first.status).toBe('succeeded');
    expect(first.items[0]?.status).toBe('succeeded');
    expect(first.items[0]?.atlassianStatus).toBe(204);
    expect(group.members.has(account.accountId)).toBe(true);
    expect(await membership(world, group.groupId, account.accountId)).toEqual({ removed_at: null });

    const again = await runAction(
      app,
      integration,
      { kind: 'addToGroup', input: { groupId: group.groupId, accountId: account.accountId } },
      WHO,
    );
    expect(again.status).toBe('succeeded');
    expect(again.items[0]?.status).toBe('skipped');
    expect(again.items[0]?.result).toMatchObject({
      decision: 'done',
      reason: expect.stringMatching(/Already a member/) as unknown,
    });
    expect(writeCalls(sim)).toEqual({ [ADD_MEMBER]: 1 });

    const removed = await runAction(
      app,
      integration,
      { kind: 'removeFromGroup', input: { groupId: group.groupId, accountId: account.accountId } },
      WHO,
    );
    expect(removed.status).toBe('succeeded');
    expect(group.members.has(account.accountId)).toBe(false);
    expect((await membership(world, group.groupId, account.accountId))?.removed_at).toEqual(
      expect.any(String),
    );

    const events = await listAuditEvents(app.db, { integrationId: integration.id });
    expect(events.map((e) => e.outcome).reverse()).toEqual(['succeeded', 'already_done', 'succeeded']);
    expect(events[2]?.atlassianStatus).toBe(204);
    expect(await verifyAuditChain(app.db)).toEqual({ ok: true, checked: 3 });
  });

  it('suspends and restores: memberships stay, billing stops, the inventory follows', async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    const account = person(sim, (a) => a.billable);
    const suspended = await runAction(
      app,
      integration,
      { kind: 'suspend', input: { accountId: account.accountId } },
      WHO,
    );
    expect(suspended.status).toBe('succeeded');
    expect(account.membershipStatus).toBe('suspended');
    const row = await app.db
      .selectFrom('accounts')
      .select(['membership_status', 'billable'])
      .where('integration_id', '=', integration.id)
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ membership_status: 'suspended', billable: 0 });

    expect(
      (await runAction(app, integration, { kind: 'suspend', input: { accountId: account.accountId } }, WHO))
        .items[0]?.status,
    ).toBe('skipped');
    expect(writeCalls(sim)).toEqual({ [SUSPEND]: 1 });

    const restored = await runAction(
      app,
      integration,
      { kind: 'restore', input: { accountId: account.accountId } },
      WHO,
    );
    expect(restored.status).toBe('succeeded');
    expect(account.membershipStatus).toBe('active');
  });

  it('adds a user to a project role through Jira and deactivates a managed account', async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    const project = [...sim.state.projects.values()].find((p) => !p.archived);
    if (!project) throw new Error('no project');
    const account = person(
      sim,
      (a) =>
        a.managed &&
        a.managementSource !== 'synced' &&
        !(project.roles.get(10001)?.users.has(a.accountId) ?? false),
    );
    const added = await runAction(
      app,
      integration,
      { kind: 'addRoleActor', input: { project: project.key, role: '10001', accountId: account.accountId } },
      WHO,
    );
    expect(added.status).toBe('succeeded');
    expect(project.roles.get(10001)?.users.has(account.accountId)).toBe(true);
    const actor = await app.db
      .selectFrom('role_actors')
      .select('removed_at')
      .where('integration_id', '=', integration.id)
      .where('project_id', '=', project.id)
      .where('role_id', '=', '10001')
      .where('actor_id', '=', account.accountId)
      .executeTakeFirst();
    expect(actor).toEqual({ removed_at: null });

    const deactivated = await runAction(
      app,
      integration,
      { kind: 'deactivate', input: { accountId: account.accountId } },
      WHO,
    );
    expect(deactivated.status).toBe('succeeded');
    expect(account.accountStatus).toBe('inactive');
    const again = await runAction(
      app,
      integration,
      { kind: 'deactivate', input: { accountId: account.accountId } },
      WHO,
    );
    expect(again.items[0]?.status).toBe('skipped');
  });

  it('refuses, with the reason and without touching the simulator: IdP group, org admin, denied lifecycle, unknown account', async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    const account = person(sim);
    const idp = [...sim.state.groups.values()].find((g) => g.idpManaged && !g.members.has(account.accountId));
    const orgAdmin = [...sim.state.accounts.values()].find((a) => a.orgAdmin && a.directoryId !== null);
    const synced = person(sim, (a) => a.managed && a.managementSource === 'synced');
    if (!idp || !orgAdmin) throw new Error('the simulator has no IdP group or org admin');
    const before = JSON.stringify([...idp.members].sort());

    const cases = [
      {
        kind: 'addToGroup',
        input: { groupId: idp.groupId, accountId: account.accountId },
        reason: /identity provider/,
      },
      {
        kind: 'suspend',
        input: { accountId: orgAdmin.accountId },
        reason: /organization admin cannot be suspended/,
      },
      { kind: 'deactivate', input: { accountId: synced.accountId }, reason: /externalDirectory\.scim/ },
      {
        kind: 'suspend',
        input: { accountId: '557058:00000000-dead-beef-0000-000000000000' },
        reason: /not in the organization's directory/,
      },
    ];
    for (const c of cases) {
      const op = await runAction(app, integration, { kind: c.kind, input: c.input }, WHO);
      expect(op.status, c.kind).toBe('refused');
      expect(String(op.items[0]?.result?.reason)).toMatch(c.reason);
    }
    expect(writeCalls(sim)).toEqual({});
    expect(JSON.stringify([...idp.members].sort())).toBe(before);
    expect(orgAdmin.membershipStatus).toBe('active');
    expect(synced.accountStatus).toBe('active');
    const events = await listAuditEvents(app.db);
    expect(events.map((e) => e.outcome)).toEqual(['refused', 'refused', 'refused', 'refused']);
  });

  it("retries a 503 and a 429 in the middle of an action; a permanent error carries Atlassian's message", async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    const account = person(sim);
    sim.configure({ faults: [{ endpoint: SUSPEND, kind: '503', probability: 1, remaining: 1 }] });
    const suspended = await runAction(
      app,
      integration,
      { kind: 'suspend', input: { accountId: account.accountId } },
      WHO,
    );
    expect(suspended.status).toBe('succeeded');
    expect(sim.stats().faultsByKind['503']).toBe(1);
    expect(writeCalls(sim)).toEqual({ [SUSPEND]: 2 });

    sim.resetStats();
    sim.configure({ faults: [], orgBudget: { capacity: 2, refillPerSecond: 4 } });
    const restored = await runAction(
      app,
      integration,
      { kind: 'restore', input: { accountId: account.accountId } },
      WHO,
    );
    expect(restored.status).toBe('succeeded');
    expect(sim.stats().rateLimited).toBeGreaterThan(0);
    expect(account.membershipStatus).toBe('active');
    sim.configure({ orgBudget: null });

    const defaultGroup = sim.state.groups.get(sim.state.applicationRoles[0]?.defaultGroupIds[0] ?? '');
    if (!defaultGroup) throw new Error('no default group');
    const failed = await runAction(
      app,
      integration,
      { kind: 'deleteGroup', input: { groupId: defaultGroup.groupId } },
      WHO,
    );
    expect(failed.status).toBe('failed');
    expect(failed.items[0]?.atlassianStatus).toBeGreaterThanOrEqual(400);
    expect(failed.items[0]?.result?.error).toMatchObject({
      atlassianMessage: expect.stringMatching(/default group/) as unknown,
    });
    expect(sim.state.groups.has(defaultGroup.groupId)).toBe(true);
    const [event] = await listAuditEvents(app.db, { action: 'deleteGroup' });
    expect(event).toMatchObject({ outcome: 'failed', atlassianStatus: failed.items[0]?.atlassianStatus });
  });

  it('a dry run lists the exact calls and checks and changes nothing', async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    const group = editableGroup(sim);
    const account = person(
      sim,
      (a) => !group.members.has(a.accountId) && a.directoryId === group.directoryId,
    );
    const op = await runAction(
      app,
      integration,
      { kind: 'addToGroup', input: { groupId: group.groupId, accountId: account.accountId }, dryRun: true },
      WHO,
    );
    expect(op.dryRun).toBe(true);
    expect(op.items[0]?.result).toMatchObject({
      decision: 'run',
      calls: [
        {
          method: 'POST',
          path: `/admin/v2/orgs/${sim.orgId}/directories/${group.directoryId}/groups/${group.groupId}/memberships`,
        },
      ],
      checks: expect.arrayContaining([
        expect.objectContaining({ name: 'group is not IdP-managed', ok: true }),
      ]) as unknown,
    });
    expect(group.members.has(account.accountId)).toBe(false);
    expect(writeCalls(sim)).toEqual({});
    expect(await listAuditEvents(app.db)).toEqual([]);
  });

  it('rejects invalid input before anything is stored', async () => {
    world = await startWorld(ctx);
    const { app, integration } = world;
    await expect(
      runAction(app, integration, { kind: 'suspend', input: { accountId: 'x; drop table' } }, WHO),
    ).rejects.toThrow(/Invalid input for suspend/);
    await expect(runAction(app, integration, { kind: 'explode', input: {} }, WHO)).rejects.toThrow(
      /Unknown action/,
    );
  });
});
