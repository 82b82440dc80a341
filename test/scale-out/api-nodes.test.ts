// Several API nodes and a worker over one PostgreSQL, as behind a load balancer: a session made on
// one node works on the other, login throttling counts failures from every node, and work an API
// node accepts runs on the worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { editableGroups, person, writeCalls } from '../actions/harness.ts';
import { connectSimulator } from '../support/app.ts';
import { dialects } from '../support/databases.ts';
import { eventually, startCluster, type Cluster, type Node } from './cluster.ts';
import { api, login as loginAs, signIn as signInAs, type Session } from './http.ts';

const ADMIN = { email: 'ops@example.com', password: 'a long admin password 42' };
const REMOVE_MEMBER =
  'DELETE /admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships/:accountId';
const SUSPEND = 'POST /admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId/suspend';

const login = (node: Node, password = ADMIN.password): Promise<Response> =>
  loginAs(node, ADMIN.email, password);
const signIn = (node: Node): Promise<Session> => signInAs(node, ADMIN.email, ADMIN.password);

describe.runIf(dialects.includes('postgres'))('API nodes and a worker [multi-process]', () => {
  let cluster: Cluster;
  let sim: Simulator;
  let integration: IntegrationSummary;
  let apiOne: Node;
  let apiTwo: Node;
  let worker: Node;

  beforeAll(async () => {
    sim = await startSimulator({ users: 120, seed: 31 });
    cluster = await startCluster({
      SEATWARDEN_ADMIN_EMAIL: ADMIN.email,
      SEATWARDEN_ADMIN_PASSWORD: ADMIN.password,
    });
    integration = await connectSimulator(cluster.app, sim);
    expect((await syncIntegration(cluster.app, integration)).status).toBe('succeeded');
    [apiOne, apiTwo, worker] = await Promise.all([
      cluster.startNode('api', { name: 'api-1' }),
      cluster.startNode('api', { name: 'api-2' }),
      cluster.startNode('worker', { name: 'worker-1' }),
    ]);
  });
  afterAll(async () => {
    await cluster.stop();
    await sim.stop();
  });

  it('gives a worker only health and metrics on its port, no API', async () => {
    expect((await fetch(`${String(worker.url)}/healthz`)).status).toBe(200);
    expect((await fetch(`${String(worker.url)}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${String(worker.url)}/metrics`)).text()).toContain('# TYPE');
    expect((await fetch(`${String(worker.url)}/api/v1/auth/me`)).status).toBe(404);
    const login = await fetch(`${String(worker.url)}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect(login.status).toBe(404);
  });

  it('keeps sessions in the database: signed in on one node, recognised and signed out on the other', async () => {
    const session = await signIn(apiOne);
    const me = await api(apiTwo, session, 'GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(ADMIN.email);

    expect((await api(apiTwo, session, 'POST', '/auth/logout')).status).toBe(204);
    expect((await api(apiOne, session, 'GET', '/auth/me')).status).toBe(401);
  });

  it('counts failed logins from every node: the lock holds on both', async () => {
    for (const node of [apiOne, apiTwo, apiOne, apiTwo, apiOne]) {
      expect((await login(node, 'wrong password, try again')).status).toBe(401);
    }
    // Five failures spread over two nodes lock the account on both, even with the right password.
    expect((await login(apiTwo)).status).toBe(429);
    expect((await login(apiOne)).status).toBe(429);
    await cluster.app.db.deleteFrom('login_attempts' as never).execute();
  });

  it('runs an offboarding accepted by an API node on the worker, each call once', async () => {
    const session = await signIn(apiTwo);
    const account = person(sim, (a) => a.managed);
    const groups = editableGroups(sim)
      .filter((g) => g.directoryId === account.directoryId && !g.members.has(account.accountId))
      .slice(0, 3);
    for (const g of groups) g.members.add(account.accountId);
    sim.runtime.indexes.invalidate();
    expect((await syncIntegration(cluster.app, integration)).status).toBe('succeeded');
    const memberships = [...sim.state.groups.values()].filter(
      (g) => g.members.has(account.accountId) && !g.idpManaged,
    ).length;
    const roleGrants = [...sim.state.projects.values()].flatMap((p) =>
      [...p.roles.values()].filter((r) => r.users.has(account.accountId)),
    ).length;
    sim.resetStats();

    const accepted = await api(apiTwo, session, 'POST', `/integrations/${integration.id}/offboard`, {
      accountId: account.accountId,
      background: true,
    });
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };

    const finished = await eventually(async () => {
      const response = await api(apiOne, session, 'GET', `/operations/${id}`);
      const operation = (await response.json()) as { status: string };
      return ['pending', 'running'].includes(operation.status) ? undefined : operation;
    }, 'the worker to run the offboarding');
    expect(finished.status).toBe('succeeded');
    expect(writeCalls(sim)).toEqual({
      [REMOVE_MEMBER]: memberships,
      [SUSPEND]: 1,
      ...(roleGrants > 0 ? { 'DELETE /rest/api/3/project/:projectIdOrKey/role/:id': roleGrants } : {}),
    });
  });
});
