// The action and audit routes over real HTTP plumbing (inject through the real server and auth):
// only admins act, auditors read the audit log, the UI path is recorded, exports and verify work.
import { afterEach, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { connectSimulator } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { call, expectErrorShape, signIn, startTestServer, type TestServer } from '../http/support.ts';
import { editableGroup, person, writeCalls } from './harness.ts';

describeEachDialect('action and audit routes', (ctx) => {
  let sim: Simulator | undefined;
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    await sim?.stop();
  });

  it('lets admins act (dry run, run, offboard), refuses other roles, and serves the audit log', async () => {
    sim = await startSimulator({ users: 150, seed: 8 });
    const server = await startTestServer(ctx.getStore(), ctx.getDataDir());
    t = server;
    const integration = await connectSimulator(server.app, sim);
    await syncIntegration(server.app, integration);
    sim.resetStats();
    const [admin, auditor, approver, requester] = await Promise.all(
      (['admin', 'auditor', 'approver', 'requester'] as const).map((role) =>
        signIn(server.server, server.app, role),
      ),
    );
    if (!admin || !auditor || !approver || !requester) throw new Error('sign-in failed');
    const group = editableGroup(sim);
    const account = person(
      sim,
      (a) => !group.members.has(a.accountId) && a.directoryId === group.directoryId,
    );
    const url = `/api/v1/integrations/${integration.id}/actions`;
    const payload = { kind: 'addToGroup', input: { groupId: group.groupId, accountId: account.accountId } };

    for (const caller of [auditor, approver, requester]) {
      expectErrorShape(await call(server.server, caller, { method: 'POST', url, payload }), 403, 'forbidden');
    }
    expect(writeCalls(sim)).toEqual({});

    const dry = await call(server.server, admin, {
      method: 'POST',
      url,
      payload: { ...payload, dryRun: true },
    });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(
      dry.json<{ dryRun: boolean; items: { result: { calls: unknown[] } }[] }>().items[0]?.result.calls,
    ).toHaveLength(1);
    expect(group.members.has(account.accountId)).toBe(false);

    const ran = await call(server.server, admin, { method: 'POST', url, payload });
    expect(ran.statusCode, ran.body).toBe(200);
    const op = ran.json<{ id: string; status: string }>();
    expect(op.status).toBe('succeeded');
    expect(group.members.has(account.accountId)).toBe(true);

    const bad = await call(server.server, admin, {
      method: 'POST',
      url,
      payload: { kind: 'suspend', input: { accountId: 'a b' } },
    });
    expectErrorShape(bad, 400, 'invalid_input');

    const off = await call(server.server, admin, {
      method: 'POST',
      url: `/api/v1/integrations/${integration.id}/offboard`,
      payload: { accountId: account.accountId },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(sim.state.accounts.get(account.accountId)?.membershipStatus).toBe('suspended');
    expect(group.members.has(account.accountId)).toBe(false);

    const read = await call(server.server, auditor, { method: 'GET', url: `/api/v1/operations/${op.id}` });
    expect(read.json<{ id: string }>().id).toBe(op.id);
    expectErrorShape(
      await call(server.server, requester, { method: 'GET', url: '/api/v1/audit' }),
      403,
      'forbidden',
    );

    const audit = await call(server.server, auditor, {
      method: 'GET',
      url: `/api/v1/audit?action=addToGroup&limit=1`,
    });
    const page = audit.json<{
      items: { actor: string; via: string; requestId: string; outcome: string }[];
      nextBeforeSeq: number | null;
    }>();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      via: 'ui',
      outcome: 'succeeded',
      requestId: ran.headers['x-request-id'],
    });
    expect(page.items[0]?.actor).toMatch(/^admin-/);

    const csv = await call(server.server, auditor, { method: 'GET', url: '/api/v1/audit/export?format=csv' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^seq,at,actor,via/);
    const json = await call(server.server, auditor, {
      method: 'GET',
      url: '/api/v1/audit/export?format=json&outcome=succeeded',
    });
    expect(json.json<unknown[]>().length).toBeGreaterThanOrEqual(2);
    const verify = await call(server.server, auditor, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(verify.json<{ ok: boolean; checked: number }>()).toMatchObject({ ok: true });
    expect(verify.json<{ checked: number }>().checked).toBeGreaterThanOrEqual(3);
  });
});
