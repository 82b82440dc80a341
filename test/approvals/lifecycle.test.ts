// Time and failure against the simulator, on both dialects, with a moved clock (no sleeps):
// "expiring soon" before expiry, revoke at expiry, reminders then escalation, early revoke,
// a provisioning job that dies after its Atlassian call and is re-run, and an admin's retry.
import { afterEach, expect, it } from 'vitest';
import { provisionRequest } from '../../src/approvals/index.ts';
import { describeEachDialect } from '../support/databases.ts';
import { writeCalls } from '../actions/harness.ts';
import {
  api,
  auditActions,
  catalogProjectRole,
  DEVELOPERS_ROLE,
  HOUR,
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
const REMOVE_ROLE_ACTOR = 'DELETE /rest/api/3/project/:projectIdOrKey/role/:id';

describeEachDialect('access request lifecycle', (ctx) => {
  let w: ApprovalWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  async function setup(world: ApprovalWorld) {
    const { project, lead } = pickProject(world.sim);
    const admin = await signInAs(world, 'admin', 'boss@example.test');
    const leadUser = await signInAs(world, 'approver', lead);
    const requester = await signInAs(world, 'requester', pickRequester(world.sim, project));
    const itemId = await catalogProjectRole(world, admin, project);
    const inRole = () =>
      world.sim.state.projects
        .get(project.id)
        ?.roles.get(Number(DEVELOPERS_ROLE))
        ?.users.has(requester.account?.accountId ?? '') ?? false;
    return { project, admin, leadUser, requester, itemId, inRole };
  }

  async function sweep(world: ApprovalWorld): Promise<void> {
    await world.jobs.enqueue('requests.sweep', {});
    await world.jobs.drain();
  }

  async function approve(world: ApprovalWorld, who: Person, id: string): Promise<void> {
    ok(await api(world, who, 'POST', `/requests/${id}/decision`, { decision: 'approve' }));
  }

  it('sends "expiring soon" once before the expiry, then revokes on schedule', async () => {
    w = await startApprovalWorld(ctx);
    const world = w;
    const { project, leadUser, requester, itemId, inRole } = await setup(w);
    const request = await requestItem(w, requester, itemId, { durationDays: 3 });
    w.clock.advance(HOUR);
    await approve(w, leadUser, request.id);
    await w.jobs.drain();
    const provisioned = ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`));
    expect(provisioned.status).toBe('provisioned');
    expect(inRole()).toBe(true);
    // The duration counts from when access was granted.
    const expiresAt = Date.parse(provisioned.expiresAt ?? '');
    expect(expiresAt).toBe(w.clock.now().getTime() + 3 * 24 * HOUR);

    w.clock.set(new Date(expiresAt - 25 * HOUR));
    await sweep(w);
    expect((await noticesOf(w, request.id)).map((n) => n.type)).not.toContain('expiring_soon');

    w.clock.set(new Date(expiresAt - 23 * HOUR));
    await sweep(w);
    await sweep(w);
    const notices = (await noticesOf(w, request.id)).filter((n) => n.type === 'expiring_soon');
    expect(notices).toEqual([{ type: 'expiring_soon', userIds: [requester.userId] }]);
    expect(inRole()).toBe(true);

    w.sim.resetStats();
    w.clock.set(new Date(expiresAt + 60_000));
    await sweep(w);
    const expired = ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`));
    expect(expired.status).toBe('expired');
    expect(expired.revoke?.operationId).toBeTruthy();
    expect(inRole()).toBe(false);
    expect(writeCalls(w.sim)).toEqual({ [REMOVE_ROLE_ACTOR]: 1 });
    const row = await world.app.db
      .selectFrom('role_actors')
      .select('removed_at')
      .where('integration_id', '=', world.integration.id)
      .where('project_id', '=', project.id)
      .where('role_id', '=', DEVELOPERS_ROLE)
      .where('actor_id', '=', requester.account?.accountId ?? '')
      .executeTakeFirst();
    expect(row?.removed_at).not.toBeNull();
    expect(await auditActions(w, request.id)).toEqual([
      'request.created',
      'request.routed',
      'request.decided',
      'request.provisioned',
      'request.expiry_notice',
      'request.expired',
    ]);
    const types = (await noticesOf(w, request.id)).map((n) => n.type);
    expect(types.indexOf('expiring_soon')).toBeLessThan(types.indexOf('expired'));

    // Another sweep later changes nothing.
    w.clock.advance(24 * HOUR);
    await sweep(w);
    expect(writeCalls(w.sim)).toEqual({ [REMOVE_ROLE_ACTOR]: 1 });
  });

  it('reminds after the configured time, then escalates to the integration owners', async () => {
    w = await startApprovalWorld(ctx);
    const { admin, leadUser, requester, itemId } = await setup(w);
    const owner = await signInAs(w, 'approver', 'owner@example.test');
    ok(
      await api(w, admin, 'PUT', `/integrations/${w.integration.id}/approval-settings`, {
        ownerUserIds: [owner.userId],
        routes: {},
        reminderAfterHours: 4,
        expiryNoticeHours: 24,
      }),
    );
    const request = await requestItem(w, requester, itemId);
    const types = async () => (await noticesOf(w as ApprovalWorld, request.id)).map((n) => n.type);

    w.clock.advance(3 * HOUR);
    await sweep(w);
    expect(await types()).toEqual(['approval_needed']);

    w.clock.advance(HOUR);
    await sweep(w);
    await sweep(w);
    expect(await types()).toEqual(['approval_needed', 'reminder']);
    const reminded = ok<AccessRequestView>(await api(w, admin, 'GET', `/requests/${request.id}`));
    expect(reminded.steps[0]).toMatchObject({ remindersSent: 1, escalated: false });
    expect(ok<{ requests: unknown[] }>(await api(w, owner, 'GET', '/inbox')).requests).toEqual([]);

    w.clock.advance(4 * HOUR);
    await sweep(w);
    await sweep(w);
    const notices = await noticesOf(w, request.id);
    expect(notices.map((n) => n.type)).toEqual(['approval_needed', 'reminder', 'escalated']);
    expect(notices[1]?.userIds).toEqual([leadUser.userId]);
    expect(notices[2]?.userIds).toEqual([owner.userId]);
    const escalated = ok<AccessRequestView>(await api(w, admin, 'GET', `/requests/${request.id}`));
    expect(escalated.steps[0]?.escalated).toBe(true);
    expect(escalated.steps[0]?.approvers.map((a) => a.userId)).toEqual([leadUser.userId, owner.userId]);
    expect(await auditActions(w, request.id)).toEqual([
      'request.created',
      'request.routed',
      'request.reminded',
      'request.escalated',
    ]);
    // The owner can now decide it from the inbox.
    expect(
      ok<{ requests: { id: string }[] }>(await api(w, owner, 'GET', '/inbox')).requests.map((r) => r.id),
    ).toEqual([request.id]);
    await approve(w, owner, request.id);
  });

  it('revokes early at the requester’s request; others may not', async () => {
    w = await startApprovalWorld(ctx);
    const { leadUser, requester, itemId, inRole } = await setup(w);
    const request = await requestItem(w, requester, itemId);
    await approve(w, leadUser, request.id);
    await w.jobs.drain();
    expect(inRole()).toBe(true);
    const other = await signInAs(w, 'requester', 'someone@example.test');
    expect((await api(w, other, 'POST', `/requests/${request.id}/revoke`)).statusCode).toBe(404);
    const lead = await api(w, leadUser, 'POST', `/requests/${request.id}/revoke`);
    expect(lead.json<{ error: { code: string } }>().error.code).toBe('forbidden');
    const revoked = ok<AccessRequestView>(await api(w, requester, 'POST', `/requests/${request.id}/revoke`));
    expect(revoked.status).toBe('revoked');
    expect(inRole()).toBe(false);
    expect((await auditActions(w, request.id)).at(-1)).toBe('request.revoked');
  });

  it('a provisioning job that dies after its Atlassian call is resumed without calling again', async () => {
    w = await startApprovalWorld(ctx);
    const { leadUser, requester, itemId, inRole } = await setup(w);
    const request = await requestItem(w, requester, itemId);
    await approve(w, leadUser, request.id);
    w.jobs.queued.length = 0;
    await expect(
      provisionRequest(w.app, w.jobs, request.id, {
        afterCalls: () => {
          throw new Error('process killed');
        },
      }),
    ).rejects.toThrow('process killed');
    expect(inRole()).toBe(true);
    const between = ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`));
    expect(between.status).toBe('approved');
    const operationId = between.provisioning?.operationId;
    expect(operationId).toBeTruthy();

    // The job runs again once the dead attempt's lease ran out.
    w.clock.advance(10 * 60_000);
    await w.jobs.enqueue('requests.provision', { requestId: request.id });
    await w.jobs.drain();
    const after = ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`));
    expect(after.status).toBe('provisioned');
    expect(after.provisioning?.operationId).toBe(operationId);
    expect(writeCalls(w.sim)).toEqual({ [ADD_ROLE_ACTOR]: 1 });
  });

  it('shows a failed provisioning on the request, and an admin retries it', async () => {
    w = await startApprovalWorld(ctx);
    const { admin, leadUser, requester, itemId, inRole } = await setup(w);
    const accountId = requester.account?.accountId ?? '';
    const request = await requestItem(w, requester, itemId);
    await approve(w, leadUser, request.id);
    const account = w.sim.state.accounts.get(accountId);
    if (!account) throw new Error('no account');
    account.jiraActive = false; // Jira refuses inactive users in roles: the pre-flight refuses.
    await w.jobs.drain();
    const failed = ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`));
    expect(failed.status).toBe('failed');
    expect(failed.provisioning?.error).toMatch(/inactive/);
    expect(failed.notes.some((n) => n.text.startsWith('Provisioning failed'))).toBe(true);
    expect((await noticesOf(w, request.id)).map((n) => n.type)).toContain('failed');
    expect((await api(w, leadUser, 'POST', `/requests/${request.id}/retry`)).statusCode).toBe(403);

    account.jiraActive = true;
    const retried = ok<AccessRequestView>(await api(w, admin, 'POST', `/requests/${request.id}/retry`));
    expect(retried.status).toBe('approved');
    await w.jobs.drain();
    const done = ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`));
    expect(done.status).toBe('provisioned');
    expect(done.provisioning?.operationId).not.toBe(failed.provisioning?.operationId);
    expect(inRole()).toBe(true);
    expect(await auditActions(w, request.id)).toEqual([
      'request.created',
      'request.routed',
      'request.decided',
      'request.provision_failed',
      'request.provision_retried',
      'request.provisioned',
    ]);
  });
});
