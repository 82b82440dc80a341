// Decisions against the simulator over real HTTP, on both dialects: nobody decides their own
// request (admins included); two approvers deciding at once give one outcome, one provisioning
// operation and one Atlassian call; the full path ends with the access in the simulator and in
// the inventory, with an audit event for every step.
import { afterEach, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { writeCalls } from '../actions/harness.ts';
import {
  api,
  auditActions,
  catalogProjectRole,
  DEVELOPERS_ROLE,
  noticesOf,
  ok,
  pickProject,
  pickRequester,
  requestItem,
  signInAs,
  startApprovalWorld,
  type AccessRequestView,
  type ApprovalWorld,
  type Person,
} from './harness.ts';

const ADD_ROLE_ACTOR = 'POST /rest/api/3/project/:projectIdOrKey/role/:id';

describeEachDialect('access request decisions', (ctx) => {
  let w: ApprovalWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  async function roleActorRow(world: ApprovalWorld, projectId: string, accountId: string) {
    return world.app.db
      .selectFrom('role_actors')
      .select('removed_at')
      .where('integration_id', '=', world.integration.id)
      .where('project_id', '=', projectId)
      .where('role_id', '=', DEVELOPERS_ROLE)
      .where('actor_id', '=', accountId)
      .executeTakeFirst();
  }

  async function operationCount(world: ApprovalWorld): Promise<number> {
    const rows = await world.app.db
      .withTables<{ operations: { id: string; kind: string } }>()
      .selectFrom('operations')
      .select('id')
      .execute();
    return rows.length;
  }

  it('full path: the lead approves from the inbox, the job provisions, the simulator and inventory show it, every step is audited', async () => {
    w = await startApprovalWorld(ctx);
    const { project, lead } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const leadUser = await signInAs(w, 'approver', lead);
    const requester = await signInAs(w, 'requester', pickRequester(w.sim, project));
    const accountId = requester.account?.accountId ?? '';
    const itemId = await catalogProjectRole(w, admin, project);
    const request = await requestItem(w, requester, itemId, { durationDays: 30 });

    const denyNoComment = await api(w, leadUser, 'POST', `/requests/${request.id}/decision`, {
      decision: 'deny',
    });
    expect(denyNoComment.statusCode).toBe(400);

    const approved = ok<AccessRequestView>(
      await api(w, leadUser, 'POST', `/requests/${request.id}/decision`, {
        decision: 'approve',
        comment: 'welcome',
      }),
    );
    expect(approved.status).toBe('approved');
    expect(approved.steps[0]?.status).toBe('approved');
    expect(w.jobs.queued.map((j) => j.type)).toContain('requests.provision');
    expect(writeCalls(w.sim)).toEqual({});

    // Replaying the same decision changes nothing.
    const replay = ok<AccessRequestView>(
      await api(w, leadUser, 'POST', `/requests/${request.id}/decision`, { decision: 'approve' }),
    );
    expect(replay.status).toBe('approved');
    // The opposite decision afterwards is refused.
    const late = await api(w, leadUser, 'POST', `/requests/${request.id}/decision`, {
      decision: 'deny',
      comment: 'no',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json<{ error: { code: string } }>().error.code).toBe('already_decided');

    await w.jobs.drain();
    const done = ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`));
    expect(done.status).toBe('provisioned');
    expect(done.provisioning?.operationId).toBeTruthy();
    expect(done.provisioning?.error).toBeNull();
    expect(
      w.sim.state.projects.get(project.id)?.roles.get(Number(DEVELOPERS_ROLE))?.users.has(accountId),
    ).toBe(true);
    expect(await roleActorRow(w, project.id, accountId)).toEqual({ removed_at: null });
    expect(writeCalls(w.sim)).toEqual({ [ADD_ROLE_ACTOR]: 1 });

    expect(await auditActions(w, request.id)).toEqual([
      'request.created',
      'request.routed',
      'request.decided',
      'request.provisioned',
    ]);
    expect((await noticesOf(w, request.id)).map((n) => n.type)).toEqual([
      'approval_needed',
      'decision',
      'provisioned',
    ]);

    // The job running again (a duplicate delivery) does nothing more.
    await w.jobs.enqueue('requests.provision', { requestId: request.id });
    await w.jobs.drain();
    expect(writeCalls(w.sim)).toEqual({ [ADD_ROLE_ACTOR]: 1 });
    expect(await operationCount(w)).toBe(1);

    // Asking again for what one now holds is refused.
    const again = await api(w, requester, 'POST', '/requests', {
      items: [{ catalogItemId: itemId }],
      reason: 'more',
    });
    expect(again.json<{ error: { code: string } }>().error.code).toBe('already_has_access');
  });

  it('refuses self-approval, for admins too', async () => {
    w = await startApprovalWorld(ctx);
    const { project } = pickProject(w.sim);
    const adminAccount = pickRequester(w.sim, project);
    const admin = await signInAs(w, 'admin', adminAccount);
    const other = await signInAs(w, 'approver', 'other-owner@example.test');
    const itemId = await catalogProjectRole(w, admin, project, {
      steps: [{ kind: 'users', userIds: [admin.userId, other.userId] }],
    });
    const request = await requestItem(w, admin, itemId);
    // The requester is never among the approvers.
    expect(request.steps[0]?.approvers.map((a) => a.userId)).toEqual([other.userId]);
    const self = await api(w, admin, 'POST', `/requests/${request.id}/decision`, { decision: 'approve' });
    expect(self.statusCode).toBe(403);
    expect(self.json<{ error: { code: string } }>().error.code).toBe('self_approval');

    // Flagged (nobody eligible): admins may decide flagged requests, but still not their own.
    const group = [...w.sim.state.groups.values()].find((g) => !g.members.has(adminAccount.accountId));
    if (!group) throw new Error('no group');
    const groupItem = ok<{ id: string }>(
      await api(w, admin, 'POST', `/integrations/${w.integration.id}/catalog`, {
        kind: 'group',
        target: { groupId: group.groupId },
      }),
      201,
    );
    const flagged = await requestItem(w, admin, groupItem.id);
    expect(flagged.status).toBe('flagged');
    const ownFlagged = await api(w, admin, 'POST', `/requests/${flagged.id}/decision`, {
      decision: 'approve',
    });
    expect(ownFlagged.json<{ error: { code: string } }>().error.code).toBe('self_approval');
    // An approver who is not on the step may not decide.
    const bystander = await signInAs(w, 'approver', 'bystander@example.test');
    const notTheirs = await api(w, bystander, 'POST', `/requests/${request.id}/decision`, {
      decision: 'approve',
    });
    expect(notTheirs.statusCode).toBe(404);
    expect(writeCalls(w.sim)).toEqual({});
  });

  it('concurrent approve and deny over real HTTP: one outcome, one provisioning, one call', async () => {
    w = await startApprovalWorld(ctx);
    const world = w;
    const { project } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const a = await signInAs(w, 'approver', 'approver-a@example.test');
    const b = await signInAs(w, 'approver', 'approver-b@example.test');
    const itemId = await catalogProjectRole(w, admin, project, {
      steps: [{ kind: 'users', userIds: [a.userId, b.userId] }],
    });
    const base = await w.server.listen({ port: 0, host: '127.0.0.1' });
    const decide = (who: Person, decision: 'approve' | 'deny') =>
      fetch(`${base}/api/v1/requests/${requestId}/decision`, {
        method: 'POST',
        headers: { ...who.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ decision, comment: `${decision} by ${who.email}` }),
      });

    // Round 1: approve and deny at once.
    const first = pickRequester(w.sim, project);
    let requestId = (await requestItem(w, await signInAs(w, 'requester', first), itemId)).id;
    const responses = await Promise.all([decide(a, 'approve'), decide(b, 'deny')]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const loser = responses.find((r) => r.status === 409);
    expect(((await loser?.json()) as { error: { code: string } }).error.code).toBe('already_decided');
    const winner = responses.find((r) => r.status === 200);
    const outcome = ((await winner?.json()) as AccessRequestView).status;
    expect(['approved', 'denied']).toContain(outcome);
    const decided = (await auditActions(w, requestId)).filter((x) => x === 'request.decided');
    expect(decided).toHaveLength(1);
    await w.jobs.drain();
    const expectedCalls = outcome === 'approved' ? 1 : 0;
    expect(writeCalls(w.sim)[ADD_ROLE_ACTOR] ?? 0).toBe(expectedCalls);
    expect(await operationCount(w)).toBe(expectedCalls);

    // Round 2: both approve at once (and one twice): one decision, one operation, one call.
    w.sim.resetStats();
    const second = pickRequester(w.sim, project, [first.accountId]);
    requestId = (await requestItem(w, await signInAs(w, 'requester', second), itemId)).id;
    const again = await Promise.all([decide(a, 'approve'), decide(b, 'approve'), decide(a, 'approve')]);
    expect(again.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const r of again) expect([200, 409]).toContain(r.status);
    expect((await auditActions(world, requestId)).filter((x) => x === 'request.decided')).toHaveLength(1);
    await w.jobs.enqueue('requests.provision', { requestId });
    await w.jobs.drain();
    const finalView = ok<AccessRequestView>(await api(w, admin, 'GET', `/requests/${requestId}`));
    expect(finalView.status).toBe('provisioned');
    expect(writeCalls(w.sim)).toEqual({ [ADD_ROLE_ACTOR]: 1 });
    expect(await operationCount(w)).toBe(expectedCalls + 1);
    expect(
      w.sim.state.projects.get(project.id)?.roles.get(Number(DEVELOPERS_ROLE))?.users.has(second.accountId),
    ).toBe(true);
  });
});
