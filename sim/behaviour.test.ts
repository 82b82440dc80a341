// Auth as the real services do it, rate budgets, latency, injected faults and call counters.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server.ts';
import { basicAuth, call, control, jira } from './testing.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ users: 200, seed: 5 });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.configure({ siteBudget: null, orgBudget: null, faults: [], latencyMs: 0, latencyJitterMs: 0 });
  sim.resetStats();
});

const UNAUTHENTICATED = {
  errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
  errors: {},
};

describe('authentication', () => {
  it('accepts a classic token with Basic auth on the site and names the caller', async () => {
    const res = await jira<{ accountId: string }>(sim, '/rest/api/3/myself');
    expect(res.status).toBe(200);
    expect(res.body.accountId).toBe(sim.state.adminAccountId);
    expect(res.headers.get('x-aaccountid')).toBe(sim.state.adminAccountId);
  });

  it('answers 401 with Jira’s body for a wrong token or none', async () => {
    const wrong = `Basic ${Buffer.from(`${sim.credentials.adminEmail}:nope`).toString('base64')}`;
    for (const headers of [
      { authorization: wrong },
      {},
      { authorization: `Bearer ${sim.credentials.orgApiKey}` },
    ] as Record<string, string>[]) {
      const res = await call(`${sim.siteUrl}/rest/api/3/users/search`, { headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
    }
  });

  it('refuses a scoped token on the site but accepts it through the gateway', async () => {
    expect((await jira(sim, '/rest/api/3/myself', { who: 'scoped' })).status).toBe(401);
    const viaGateway = await jira<{ self: string }>(sim, '/rest/api/3/myself', {
      who: 'scoped',
      gateway: true,
    });
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.body.self.startsWith(sim.gatewayUrl)).toBe(true);
    expect((await jira(sim, '/rest/api/3/users/search', { who: 'admin', gateway: true })).status).toBe(200);
  });

  it('answers 404 on the gateway for an unknown cloudId', async () => {
    const res = await call(
      `${sim.adminApiUrl}/ex/jira/00000000-0000-4000-8000-000000000000/rest/api/3/myself`,
      {
        headers: { authorization: basicAuth(sim, 'scoped') },
      },
    );
    expect(res.status).toBe(404);
  });

  it('gives a plain user 403 on admin operations but lets it browse users', async () => {
    expect((await jira(sim, '/rest/api/3/users/search', { who: 'user' })).status).toBe(200);
    const group = [...sim.state.groups.values()][0];
    const refused = [
      jira(sim, '/rest/api/3/group', { who: 'user', method: 'POST', body: { name: 'nope' } }),
      jira(sim, `/rest/api/3/group?groupId=${group?.groupId ?? ''}`, { who: 'user', method: 'DELETE' }),
      jira(sim, '/rest/api/3/applicationrole', { who: 'user' }),
      jira(sim, '/rest/api/3/role', { who: 'user' }),
      jira(sim, '/rest/api/3/user', {
        who: 'user',
        method: 'POST',
        body: { emailAddress: 'x@y.example', products: [] },
      }),
    ];
    for (const res of await Promise.all(refused)) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
    }
    const project = [...sim.state.projects.values()][0];
    expect(
      (await jira(sim, `/rest/api/3/project/${project?.key ?? ''}/role/10002`, { who: 'user' })).status,
    ).toBe(404);
  });

  it('requires an org API key as Bearer on the admin and user-management APIs', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: basicAuth(sim, 'admin') },
    ] as Record<string, string>[]) {
      const res = await call(`${sim.adminApiUrl}/admin/v1/orgs`, { headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 401, message: 'Unauthorized' });
    }
    const ok = await call(`${sim.adminApiUrl}/admin/v1/orgs`, {
      headers: { authorization: `Bearer ${sim.credentials.orgApiKey}` },
    });
    expect(ok.status).toBe(200);
  });

  it('serves tenant_info without auth', async () => {
    const res = await call<{ cloudId: string }>(`${sim.siteUrl}/_edge/tenant_info`);
    expect(res.body).toEqual({ cloudId: sim.cloudId });
  });
});

describe('rate budgets', () => {
  it('answers 429 with Jira’s headers once the site budget is spent, and counts it', async () => {
    sim.configure({ siteBudget: { capacity: 5, refillPerSecond: 0.5 } });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof jira>> | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await jira(sim, '/rest/api/3/myself', { gateway: i % 2 === 1 });
      statuses.push(res.status);
      if (res.status === 200) {
        expect(res.headers.get('x-ratelimit-limit')).toBe('5');
        expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
      } else limited ??= res;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    const h = limited?.headers;
    expect(Number(h?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(h?.get('retry-after')))).toBe(true);
    expect(h?.get('x-ratelimit-remaining')).toBe('0');
    expect(h?.get('x-ratelimit-limit')).toBe('5');
    expect(h?.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(h?.get('ratelimit-reason')).toBe('jira-burst-based');
    expect(sim.stats().rateLimited).toBe(3);
  });

  it('limits the admin API per org with a ProxyError body, separately from the site', async () => {
    sim.configure({ orgBudget: { capacity: 2, refillPerSecond: 0.1 } });
    const headers = { authorization: `Bearer ${sim.credentials.orgApiKey}` };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await call(`${sim.adminApiUrl}/admin/v1/orgs`, { headers }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(results[2]?.body).toEqual({ code: 429, message: 'Rate limit exceeded' });
    expect(Number.isNaN(Date.parse(results[2]?.headers.get('x-ratelimit-reset') ?? ''))).toBe(false);
    expect((await jira(sim, '/rest/api/3/myself')).status).toBe(200);
  });

  it('refills over time', async () => {
    sim.configure({ siteBudget: { capacity: 1, refillPerSecond: 20 } });
    expect((await jira(sim, '/rest/api/3/myself')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 120));
    expect((await jira(sim, '/rest/api/3/myself')).status).toBe(200);
  });
});

describe('latency and faults', () => {
  it('adds the configured latency', async () => {
    sim.configure({ latencyMs: 150 });
    const started = performance.now();
    await jira(sim, '/rest/api/3/myself');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('injects 5xx at about the configured rate and counts them', async () => {
    sim.configure({ faults: [{ endpoint: 'GET /rest/api/3/users/search', kind: '503', probability: 0.3 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++)
      statuses.push((await jira(sim, '/rest/api/3/users/search?maxResults=1')).status);
    const faults = statuses.filter((s) => s === 503).length;
    expect(faults).toBeGreaterThan(60);
    expect(faults).toBeLessThan(120);
    expect(statuses.filter((s) => s !== 503).every((s) => s === 200)).toBe(true);
    expect(sim.stats().faultsByKind['503']).toBe(faults);
    // Other endpoints are untouched.
    expect((await jira(sim, '/rest/api/3/myself')).status).toBe(200);
  });

  it('stops after `remaining` firings', async () => {
    sim.configure({ faults: [{ endpoint: '*', kind: '500', probability: 1, remaining: 2 }] });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await jira(sim, '/rest/api/3/myself')).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
  });

  it('sends malformed JSON, truncated bodies and connection resets', async () => {
    sim.configure({
      faults: [{ endpoint: 'GET /rest/api/3/users/search', kind: 'malformed', probability: 1, remaining: 1 }],
    });
    const malformed = await fetch(`${sim.siteUrl}/rest/api/3/users/search`, {
      headers: { authorization: basicAuth(sim, 'admin') },
    });
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();

    sim.configure({
      faults: [{ endpoint: 'GET /rest/api/3/users/search', kind: 'truncated', probability: 1, remaining: 1 }],
    });
    const truncated = await fetch(`${sim.siteUrl}/rest/api/3/users/search?maxResults=100`, {
      headers: { authorization: basicAuth(sim, 'admin') },
    });
    expect(truncated.status).toBe(200);
    await expect(truncated.text()).rejects.toThrow();

    sim.configure({
      faults: [{ endpoint: 'GET /rest/api/3/myself', kind: 'reset', probability: 1, remaining: 1 }],
    });
    await expect(
      fetch(`${sim.siteUrl}/rest/api/3/myself`, { headers: { authorization: basicAuth(sim, 'admin') } }),
    ).rejects.toThrow();
    expect(sim.stats().faults).toBe(3);
  });

  it('holds a timed-out request until the client gives up', async () => {
    sim.configure({
      faults: [{ endpoint: 'GET /rest/api/3/myself', kind: 'timeout', probability: 1, remaining: 1 }],
    });
    const started = performance.now();
    await expect(
      fetch(`${sim.siteUrl}/rest/api/3/myself`, {
        headers: { authorization: basicAuth(sim, 'admin') },
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect((await jira(sim, '/rest/api/3/myself')).status).toBe(200);
  });
});

describe('stop()', () => {
  it('releases requests held by a timeout fault', async () => {
    const own = await startSimulator({
      users: 20,
      seed: 1,
      faults: [{ endpoint: '*', kind: 'timeout', probability: 1 }],
    });
    const pending = fetch(`${own.siteUrl}/rest/api/3/myself`, {
      headers: { authorization: basicAuth(own, 'admin') },
    });
    await new Promise((r) => setTimeout(r, 100));
    await own.stop();
    await expect(pending).rejects.toThrow();
  });
});

describe('control API', () => {
  it('counts calls per route pattern, gateway calls under the Jira pattern', async () => {
    await jira(sim, '/rest/api/3/users/search');
    await jira(sim, '/rest/api/3/users/search', { gateway: true });
    const project = [...sim.state.projects.values()][0];
    await jira(sim, `/rest/api/3/project/${project?.key ?? ''}`);
    const stats = await control<{ calls: Record<string, number>; byHost: Record<string, number> }>(
      sim,
      'stats',
    );
    expect(stats.body.calls['GET /rest/api/3/users/search']).toBe(2);
    expect(stats.body.calls['GET /rest/api/3/project/:projectIdOrKey']).toBe(1);
    expect(stats.body.byHost).toMatchObject({ site: 2, gateway: 1 });
    await control(sim, 'stats/reset', {});
    expect(sim.stats().total).toBe(0);
  });

  it('validates config patches', async () => {
    const bad = await control(sim, 'config', { siteBudget: { capacity: -1, refillPerSecond: 1 } });
    expect(bad.status).toBe(400);
    const unknownKey = await control(sim, 'config', { nonsense: true });
    expect(unknownKey.status).toBe(400);
    const badFault = await control(sim, 'config', {
      faults: [{ endpoint: '*', kind: '418', probability: 1 }],
    });
    expect(badFault.status).toBe(400);
    const ok = await control<{ latencyMs: number }>(sim, 'config', {
      latencyMs: 0,
      siteBudget: { capacity: 10, refillPerSecond: 1 },
    });
    expect(ok.status).toBe(200);
    expect((await jira(sim, '/rest/api/3/myself')).headers.get('x-ratelimit-limit')).toBe('10');
  });

  it('reports state counts', async () => {
    const res = await control<{ accounts: { total: number }; groups: number; projects: number }>(
      sim,
      'state',
    );
    expect(res.body.accounts.total).toBe(sim.state.accounts.size);
    expect(res.body.groups).toBe(sim.state.groups.size);
    expect(res.body.projects).toBe(sim.state.projects.size);
  });
});
