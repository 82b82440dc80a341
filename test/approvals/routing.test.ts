// Lead routing against the simulator over real HTTP, on both dialects: a project-role request
// reaches the project lead's inbox; with the lead made inactive in the simulator it reaches the
// project's administrators; a requester who is the lead skips to the fallback; nobody eligible
// flags the request to the admins (never approved).
import { afterEach, expect, it } from 'vitest';
import { sweepRequests } from '../../src/approvals/sweep.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  api,
  auditActions,
  catalogProjectRole,
  noticesOf,
  ok,
  pickProject,
  pickRequester,
  requestItem,
  signInAs,
  startApprovalWorld,
  type AccessRequestView,
  type ApprovalWorld,
} from './harness.ts';

describeEachDialect('access request routing', (ctx) => {
  let w: ApprovalWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('routes a project-role request to the project lead, who sees it in the inbox', async () => {
    w = await startApprovalWorld(ctx);
    const { project, lead } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const leadUser = await signInAs(w, 'approver', lead);
    const requester = await signInAs(w, 'requester', pickRequester(w.sim, project));
    const itemId = await catalogProjectRole(w, admin, project);

    const catalog = ok<{ items: { id: string; label: string }[] }>(
      await api(w, requester, 'GET', '/catalog'),
    );
    expect(catalog.items.map((i) => i.id)).toEqual([itemId]);
    expect(catalog.items[0]?.label).toBe(`Jira project ${project.key} — Developers`);

    const request = await requestItem(w, requester, itemId);
    expect(request.status).toBe('pending');
    expect(request.steps).toHaveLength(1);
    expect(request.steps[0]).toMatchObject({
      status: 'pending',
      routedBy: 'projectLead',
      fallbackReason: null,
    });
    expect(request.steps[0]?.approvers).toEqual([
      expect.objectContaining({ userId: leadUser.userId, accountId: lead.accountId, isSeatwardenUser: true }),
    ]);
    // The lead was read live from Jira.
    expect(w.sim.stats().calls['GET /rest/api/3/project/:projectIdOrKey']).toBe(1);

    const inbox = ok<{ requests: { id: string }[] }>(await api(w, leadUser, 'GET', '/inbox'));
    expect(inbox.requests.map((r) => r.id)).toEqual([request.id]);
    const mine = ok<{ requests: { id: string }[] }>(await api(w, requester, 'GET', '/requests/mine'));
    expect(mine.requests.map((r) => r.id)).toEqual([request.id]);
    // Someone else sees neither the request nor it in their inbox.
    const stranger = await signInAs(w, 'approver', 'stranger@example.test');
    expect((await api(w, stranger, 'GET', `/requests/${request.id}`)).statusCode).toBe(404);
    expect(ok<{ requests: unknown[] }>(await api(w, stranger, 'GET', '/inbox')).requests).toEqual([]);

    expect(await noticesOf(w, request.id)).toEqual([{ type: 'approval_needed', userIds: [leadUser.userId] }]);
    expect(await auditActions(w, request.id)).toEqual(['request.created', 'request.routed']);
    // A second request for the same item is a duplicate.
    const again = await api(w, requester, 'POST', '/requests', {
      items: [{ catalogItemId: itemId }],
      reason: 'again',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('duplicate_request');
  });

  it('falls back to the project administrators when the lead is inactive in Atlassian', async () => {
    w = await startApprovalWorld(ctx);
    const { project, lead, admin: projectAdmin } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const leadUser = await signInAs(w, 'approver', lead);
    const adminUser = await signInAs(w, 'approver', projectAdmin);
    const requester = await signInAs(w, 'requester', pickRequester(w.sim, project, [projectAdmin.accountId]));
    const itemId = await catalogProjectRole(w, admin, project);

    // Made inactive after the sync: only the live read knows.
    const mutated = await fetch(`${w.sim.siteUrl}/__sim/mutate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'updateUser', accountId: lead.accountId, status: 'inactive' }),
    });
    expect(mutated.status).toBe(200);

    const request = await requestItem(w, requester, itemId);
    expect(request.status).toBe('pending');
    const step = request.steps[0];
    expect(step?.routedBy).toBe('projectAdmins');
    expect(step?.fallbackReason).toMatch(/^lead .+ is inactive$/);
    expect(step?.approvers.map((a) => a.userId)).toContain(adminUser.userId);
    expect(step?.approvers.map((a) => a.accountId)).not.toContain(lead.accountId);
    expect(request.notes.some((n) => n.text.includes('routed to projectAdmins'))).toBe(true);

    expect(
      ok<{ requests: { id: string }[] }>(await api(w, adminUser, 'GET', '/inbox')).requests.map((r) => r.id),
    ).toEqual([request.id]);
    expect(ok<{ requests: unknown[] }>(await api(w, leadUser, 'GET', '/inbox')).requests).toEqual([]);
  });

  it('skips to the fallback when the requester is the project lead', async () => {
    w = await startApprovalWorld(ctx);
    const { project, lead, admin: projectAdmin } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const adminUser = await signInAs(w, 'approver', projectAdmin);
    // The lead asks for a role they do not hold yet in their own project.
    const roles = project.roles.get(10001);
    roles?.users.delete(lead.accountId);
    const leadRequester = await signInAs(w, 'requester', lead);
    const itemId = await catalogProjectRole(w, admin, project);
    await w.app.db
      .deleteFrom('role_actors')
      .where('integration_id', '=', w.integration.id)
      .where('project_id', '=', project.id)
      .where('role_id', '=', '10001')
      .where('actor_id', '=', lead.accountId)
      .execute();

    const request = await requestItem(w, leadRequester, itemId);
    const step = request.steps[0];
    expect(step?.routedBy).toBe('projectAdmins');
    expect(step?.fallbackReason).toBe('requester is the project lead');
    expect(step?.approvers.map((a) => a.userId)).toContain(adminUser.userId);
    expect(step?.approvers.map((a) => a.accountId)).not.toContain(lead.accountId);
  });

  it('flags the request to the admins when nobody is eligible, and never approves it by itself', async () => {
    w = await startApprovalWorld(ctx);
    const { project } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const requester = await signInAs(w, 'requester', pickRequester(w.sim, project));
    // A group with no owners and an integration with no owners.
    const group = [...w.sim.state.groups.values()].find(
      (g) => !g.members.has(requester.account?.accountId ?? ''),
    );
    if (!group) throw new Error('no group');
    const item = ok<{ id: string; label: string }>(
      await api(w, admin, 'POST', `/integrations/${w.integration.id}/catalog`, {
        kind: 'group',
        target: { groupId: group.groupId },
      }),
      201,
    );
    const request = await requestItem(w, requester, item.id);
    expect(request.status).toBe('flagged');
    expect(request.steps[0]?.approvers).toEqual([]);
    expect(request.steps[0]?.fallbackReason).toMatch(/nobody eligible: flagged to the admins/);
    expect(await noticesOf(w, request.id)).toEqual([{ type: 'flagged', userIds: [admin.userId] }]);

    // Time passes, the sweep runs: still flagged, nothing provisioned.
    w.clock.advance(72 * 3_600_000);
    await w.jobs.enqueue('requests.sweep', {});
    await w.jobs.drain();
    const after = ok<AccessRequestView>(await api(w, admin, 'GET', `/requests/${request.id}`));
    expect(after.status).toBe('flagged');
    expect(after.provisioning).toBeNull();

    // The admin sees it in the inbox and may decide it.
    expect(
      ok<{ requests: { id: string }[] }>(await api(w, admin, 'GET', '/inbox')).requests.map((r) => r.id),
    ).toContain(request.id);
    const denied = ok<AccessRequestView>(
      await api(w, admin, 'POST', `/requests/${request.id}/decision`, {
        decision: 'deny',
        comment: 'not needed',
      }),
    );
    expect(denied.status).toBe('denied');
  });
  it('keeps a lead who is not a Seatwarden user as the approver, tells the admins, and lets an admin invite them', async () => {
    w = await startApprovalWorld(ctx);
    const { project, lead } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const requester = await signInAs(w, 'requester', pickRequester(w.sim, project));
    const itemId = await catalogProjectRole(w, admin, project);
    const request = await requestItem(w, requester, itemId);
    expect(request.status).toBe('pending');
    expect(request.steps[0]?.approvers).toEqual([
      expect.objectContaining({ userId: null, accountId: lead.accountId, isSeatwardenUser: false }),
    ]);
    expect(await noticesOf(w, request.id)).toEqual([{ type: 'approval_needed', userIds: [admin.userId] }]);

    const invited = ok<{ userId: string; email: string; oneTimePassword: string }>(
      await api(w, admin, 'POST', `/requests/${request.id}/invite-approver`, { accountId: lead.accountId }),
      201,
    );
    expect(invited.email).toBe(lead.email?.toLowerCase());
    expect(invited.oneTimePassword.length).toBeGreaterThanOrEqual(16);
    const after = ok<AccessRequestView>(await api(w, admin, 'GET', `/requests/${request.id}`));
    expect(after.steps[0]?.approvers[0]).toMatchObject({ userId: invited.userId, isSeatwardenUser: true });
    expect(JSON.stringify(after)).not.toContain(invited.oneTimePassword);
    const again = await api(w, admin, 'POST', `/requests/${request.id}/invite-approver`, {
      accountId: lead.accountId,
    });
    expect(again.json<{ error: { code: string } }>().error.code).toBe('not_invitable');
  });

  it('links a lead who gets a Seatwarden account later (not through an invitation) at the next sweep', async () => {
    w = await startApprovalWorld(ctx);
    const { project, lead } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const requester = await signInAs(w, 'requester', pickRequester(w.sim, project));
    const itemId = await catalogProjectRole(w, admin, project);
    const request = await requestItem(w, requester, itemId);
    expect(request.steps[0]?.approvers[0]).toMatchObject({ userId: null, isSeatwardenUser: false });

    // The lead gets a Seatwarden account with their Atlassian email, without an invitation.
    const leadUser = await signInAs(w, 'approver', lead);
    expect(ok<{ requests: unknown[] }>(await api(w, leadUser, 'GET', '/inbox')).requests).toEqual([]);
    const swept = await sweepRequests(w.app, w.jobs, w.app.now());
    expect(swept.linked).toBe(1);

    const inbox = ok<{ requests: AccessRequestView[] }>(await api(w, leadUser, 'GET', '/inbox'));
    expect(inbox.requests.map((r) => r.id)).toEqual([request.id]);
    expect(inbox.requests[0]?.steps[0]?.approvers[0]).toMatchObject({
      userId: leadUser.userId,
      isSeatwardenUser: true,
    });
    const approved = ok<AccessRequestView>(
      await api(w, leadUser, 'POST', `/requests/${request.id}/decision`, { decision: 'approve' }),
    );
    expect(approved.status).toBe('approved');
    expect(await auditActions(w, request.id)).toContain('request.approver_linked');
    // A second sweep finds nothing more to link.
    expect((await sweepRequests(w.app, w.jobs, w.app.now())).linked).toBe(0);
  });
});
