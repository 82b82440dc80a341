// An access request across nodes: a requester asks on one API node, the project's lead approves on
// another, and a worker process provisions it — the role actor reaches the simulator once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { createUser } from '../../src/storage/users.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { writeCalls } from '../actions/harness.ts';
import { DEVELOPERS_ROLE, pickProject, pickRequester } from '../approvals/harness.ts';
import { connectSimulator } from '../support/app.ts';
import { dialects } from '../support/databases.ts';
import { eventually, startCluster, type Cluster, type Node } from './cluster.ts';
import { call, signIn } from './http.ts';

const PASSWORD = 'a long enough password 7';
const ADD_ACTOR = 'POST /rest/api/3/project/:projectIdOrKey/role/:id';

describe.runIf(dialects.includes('postgres'))('access requests across nodes [multi-process]', () => {
  let cluster: Cluster;
  let sim: Simulator;
  let integration: IntegrationSummary;
  let apiOne: Node;
  let apiTwo: Node;

  beforeAll(async () => {
    sim = await startSimulator({ users: 200, seed: 11 });
    cluster = await startCluster();
    integration = await connectSimulator(cluster.app, sim);
    expect((await syncIntegration(cluster.app, integration)).status).toBe('succeeded');
    [apiOne, apiTwo] = await Promise.all([
      cluster.startNode('api', { name: 'api-1' }),
      cluster.startNode('api', { name: 'api-2' }),
      cluster.startNode('worker', { name: 'worker-1' }),
    ]);
  });
  afterAll(async () => {
    await cluster.stop();
    await sim.stop();
  });

  it('is requested on one API node, approved on another, and provisioned by the worker', async () => {
    const { project, lead } = pickProject(sim);
    const requester = pickRequester(sim, project);
    const people = [
      { email: 'ops@example.com', role: 'admin' as const },
      { email: String(lead.email), role: 'approver' as const },
      { email: String(requester.email), role: 'requester' as const },
    ];
    for (const p of people) {
      await createUser(cluster.app.db, { ...p, displayName: p.email, password: PASSWORD });
    }
    const admin = await signIn(apiOne, 'ops@example.com', PASSWORD);
    const item = await call<{ id: string }>(
      apiOne,
      admin,
      'POST',
      `/integrations/${integration.id}/catalog`,
      {
        kind: 'projectRole',
        target: { projectId: project.id, roleId: DEVELOPERS_ROLE },
      },
    );

    sim.resetStats();
    const asker = await signIn(apiOne, String(requester.email), PASSWORD);
    const created = await call<{ requests: { id: string }[] }>(apiOne, asker, 'POST', '/requests', {
      items: [{ catalogItemId: item.id }],
      reason: 'I join the team this sprint',
    });
    const requestId = created.requests[0]?.id ?? '';

    const approver = await signIn(apiTwo, String(lead.email), PASSWORD);
    const inbox = await call<{ requests: { id: string }[] }>(apiTwo, approver, 'GET', '/inbox');
    expect(inbox.requests.map((r) => r.id)).toContain(requestId);
    await call(apiTwo, approver, 'POST', `/requests/${requestId}/decision`, { decision: 'approve' });

    const done = await eventually(async () => {
      const request = await call<{ status: string }>(apiOne, asker, 'GET', `/requests/${requestId}`);
      return ['approved', 'pending'].includes(request.status) ? undefined : request;
    }, 'the worker to provision the request');
    expect(done.status).toBe('provisioned');
    expect(project.roles.get(Number(DEVELOPERS_ROLE))?.users.has(requester.accountId)).toBe(true);
    expect(writeCalls(sim)).toEqual({ [ADD_ACTOR]: 1 });
  });
});
