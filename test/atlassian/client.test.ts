import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AtlassianError,
  jiraAddUserToGroup,
  jiraGroupMemberPages,
  jiraMyself,
  jiraProjectRoles,
  adminSuspendUser,
  disableAccount,
} from '../../src/atlassian/index.ts';
import { testClient } from './support/client.ts';
import {
  routes,
  SECRET_ORG_KEY,
  SECRET_TOKEN,
  startScriptedServer,
  type Handler,
  type ScriptedServer,
} from './support/scripted-server.ts';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<string> {
  server = await startScriptedServer(handler);
  return server.url;
}

const me = { accountId: 'me-1', displayName: 'Admin', active: true };

describe('auth and URLs', () => {
  it('sends Basic email:token to Jira and Bearer org key to admin and user-management APIs', async () => {
    const { client } = testClient(
      await serve(
        routes({
          '/rest/api/3/myself': () => ({ json: me }),
          '/admin/v2/orgs/org-1/directories/dir-1/users/acc%7C1/suspend': () => ({ status: 204 }),
          '/users/acc-2/manage/lifecycle/disable': () => ({ status: 204 }),
        }),
      ),
    );
    await jiraMyself(client);
    await adminSuspendUser(client, { orgId: 'org-1', directoryId: 'dir-1', accountId: 'acc|1' });
    await disableAccount(client, 'acc-2');
    const [jira, admin, um] = server?.requests ?? [];
    expect(jira?.headers.authorization).toBe(
      `Basic ${Buffer.from(`admin@example.com:${SECRET_TOKEN}`).toString('base64')}`,
    );
    expect(admin?.headers.authorization).toBe(`Bearer ${SECRET_ORG_KEY}`);
    expect(admin?.method).toBe('POST');
    expect(um?.json).toEqual({});
    expect(um?.headers.authorization).toBe(`Bearer ${SECRET_ORG_KEY}`);
  });

  it('uses the gateway with a cloudId discovered from tenant_info', async () => {
    const url = await serve(
      routes({
        '/_edge/tenant_info': () => ({ json: { cloudId: 'cloud-42' } }),
        '/ex/jira/cloud-42/rest/api/3/myself': () => ({ json: me }),
      }),
    );
    const { client } = testClient(url, { useGateway: true, gatewayUrl: url });
    expect((await jiraMyself(client)).accountId).toBe('me-1');
    expect(server?.requests.map((r) => r.url.pathname)).toEqual([
      '/_edge/tenant_info',
      '/ex/jira/cloud-42/rest/api/3/myself',
    ]);
    expect(server?.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('parses role ids from the project role URL map', async () => {
    const { client } = testClient(
      await serve(() => ({
        json: {
          Administrators: 'https://x.atlassian.net/rest/api/3/project/10000/role/10002',
          Developers: 'https://x.atlassian.net/rest/api/3/project/10000/role/10001',
        },
      })),
    );
    expect(await jiraProjectRoles(client, 'ABC')).toEqual([
      { id: 10002, name: 'Administrators' },
      { id: 10001, name: 'Developers' },
    ]);
  });
});

describe('retries', () => {
  it('waits out a 429 Retry-After and reports the rate-limit reason', async () => {
    const { client, events } = testClient(
      await serve((_req, i) =>
        i === 0
          ? {
              status: 429,
              headers: { 'retry-after': '1', 'ratelimit-reason': 'jira-burst-based' },
              text: 'Too many requests',
            }
          : { json: me },
      ),
    );
    const started = Date.now();
    await jiraMyself(client);
    const gap = (server?.requests[1]?.receivedAt ?? 0) - (server?.requests[0]?.receivedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rateLimited', reason: 'jira-burst-based', waitMs: 1000 }),
    );
    expect(client.stats()).toMatchObject({ calls: 2, retries: 1, rateLimited: 1 });
  });

  it('retries a 429 using X-RateLimit-Reset when Retry-After is absent', async () => {
    const { client } = testClient(
      await serve((_req, i) =>
        i === 0
          ? {
              status: 429,
              headers: { 'x-ratelimit-reset': new Date(Date.now() + 600).toISOString() },
              json: { code: 429, message: 'Rate limit exceeded' },
            }
          : { json: me },
      ),
    );
    await jiraMyself(client);
    const gap = (server?.requests[1]?.receivedAt ?? 0) - (server?.requests[0]?.receivedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(400);
  });

  it('backs off on 503 and gives up after the bounded number of attempts', async () => {
    const { client, events } = testClient(
      await serve(() => ({ status: 503, text: '<html>Service Unavailable</html>' })),
    );
    const error = await jiraMyself(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlassianError);
    expect(error).toMatchObject({ kind: 'transient', status: 503, retryable: true });
    expect(server?.requests).toHaveLength(4);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(3);
  });

  it('retries connection resets and malformed JSON on reads', async () => {
    const { client } = testClient(
      await serve((_req, i) =>
        i === 0
          ? { destroy: true }
          : i === 1
            ? {
                text: '{"startAt":0,"values":[{"accountId":',
                headers: { 'content-type': 'application/json' },
              }
            : { json: { startAt: 0, isLast: true, values: [me] } },
      ),
    );
    const pages = [];
    for await (const page of jiraGroupMemberPages(client, 'g')) pages.push(page);
    expect(pages[0]?.items[0]?.accountId).toBe('me-1');
    expect(server?.requests).toHaveLength(3);
  });

  it('does not repeat a non-idempotent POST after an ambiguous failure', async () => {
    const { client } = testClient(await serve(() => ({ destroy: true })));
    const error = await jiraAddUserToGroup(client, 'g-1', 'acc-1').catch((e: unknown) => e);
    expect(server?.requests).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'transient', retryable: false });
    expect((error as Error).message).toMatch(/re-read/);
  });

  it('does not repeat a non-idempotent POST after a 500, but does after a 429', async () => {
    const { client } = testClient(
      await serve((_req, i) =>
        i === 0
          ? {
              status: 429,
              headers: { 'retry-after': '0' },
              json: { errorMessages: ['slow down'], errors: {} },
            }
          : { status: 500, json: { errorMessages: ['boom'], errors: {} } },
      ),
    );
    const error = await jiraAddUserToGroup(client, 'g-1', 'acc-1').catch((e: unknown) => e);
    expect(server?.requests).toHaveLength(2);
    expect(error).toMatchObject({
      kind: 'transient',
      retryable: false,
      status: 500,
      atlassianMessage: 'boom',
    });
  });

  it('reports connection refused as a network error with the original code', async () => {
    const probe = await startScriptedServer(() => ({ json: {} }));
    const deadUrl = probe.url;
    await probe.close();
    const { client } = testClient(deadUrl, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(jiraMyself(client)).rejects.toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });

  it('times out a hanging attempt and retries it', async () => {
    const { client } = testClient(
      await serve((_req, i) => (i === 0 ? { delayMs: 2000, json: me } : { json: me })),
      { timeoutMs: 300 },
    );
    expect((await jiraMyself(client)).accountId).toBe('me-1');
    expect(server?.requests).toHaveLength(2);
  });
});

describe('secrets', () => {
  it('never puts the token or org key in errors, events or stats', async () => {
    const { client, events } = testClient(
      await serve((req) =>
        req.url.pathname.startsWith('/admin')
          ? { status: 401, json: { code: 401, message: 'Unauthorized' } }
          : { status: 401, text: 'Client must be authenticated to access this resource.' },
      ),
    );
    const errors = await Promise.all([
      jiraMyself(client).catch((e: unknown) => e),
      adminSuspendUser(client, { orgId: 'org-1', directoryId: 'd', accountId: 'a' }).catch((e: unknown) => e),
    ]);
    const probe = await startScriptedServer(() => ({ json: {} }));
    await probe.close();
    const { client: dead, events: deadEvents } = testClient(probe.url, { retry: { maxAttempts: 1 } });
    errors.push(await jiraMyself(dead).catch((e: unknown) => e));
    const dump = [
      ...errors.map((e) => JSON.stringify(e) + inspect(e, { depth: 10 })),
      JSON.stringify(events),
      JSON.stringify(deadEvents),
      JSON.stringify(client.stats()),
      inspect(client, { depth: 10 }),
    ].join('\n');
    const basic = Buffer.from(`admin@example.com:${SECRET_TOKEN}`).toString('base64');
    for (const secret of [SECRET_TOKEN, SECRET_ORG_KEY, basic]) expect(dump).not.toContain(secret);
    expect(errors[0]).toMatchObject({ kind: 'auth', status: 401 });
    expect(errors[1]).toMatchObject({ kind: 'auth', code: '401', atlassianMessage: 'Unauthorized' });
  });
});
