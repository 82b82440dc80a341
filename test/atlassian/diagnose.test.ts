import { afterEach, describe, expect, it } from 'vitest';
import { matching } from './support/matchers.ts';
import { testConnection, type ConnectorConfig } from '../../src/atlassian/index.ts';
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

const ok: Record<string, Handler> = {
  '/rest/api/3/myself': () => ({ json: { accountId: 'me', displayName: 'Ada Admin' } }),
  '/rest/api/3/group/bulk': () => ({ json: { startAt: 0, maxResults: 1, isLast: true, values: [] } }),
  '/rest/api/3/applicationrole': () => ({ json: [] }),
  '/admin/v1/orgs': () => ({
    json: { data: [{ id: 'org-1', type: 'orgs', attributes: { name: 'Acme' } }], links: {} },
  }),
  '/admin/v2/orgs/org-1/directories': () => ({
    json: { data: [{ directoryId: 'd1', name: 'Acme' }], links: {} },
  }),
};

async function diagnose(overrides: Record<string, Handler>, config: Partial<ConnectorConfig> = {}) {
  server = await startScriptedServer(routes({ ...ok, ...overrides }));
  const report = await testConnection({
    siteUrl: server.url,
    adminApiUrl: server.url,
    email: 'ada@example.com',
    apiToken: SECRET_TOKEN,
    orgId: 'org-1',
    orgApiKey: SECRET_ORG_KEY,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...config,
  });
  expect(JSON.stringify(report)).not.toContain(SECRET_TOKEN);
  expect(JSON.stringify(report)).not.toContain(SECRET_ORG_KEY);
  return report;
}

const check = (report: Awaited<ReturnType<typeof diagnose>>, name: string) =>
  report.checks.find((c) => c.name === name);

describe('testConnection', () => {
  it('passes every check on a healthy site and org', async () => {
    const report = await diagnose({});
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'jira.myself',
      'jira.browseUsers',
      'jira.administer',
      'admin.orgs',
      'admin.directories',
    ]);
    expect(check(report, 'jira.myself')?.message).toContain('Ada Admin');
  });

  it('401 on the site: explains token, email, site, expiry and the scoped-token gateway', async () => {
    const report = await diagnose({
      '/rest/api/3/myself': () => ({
        status: 401,
        text: 'Client must be authenticated to access this resource.',
      }),
    });
    const myself = check(report, 'jira.myself');
    expect(report.ok).toBe(false);
    expect(myself).toMatchObject({ ok: false, kind: 'auth' });
    expect(myself?.message).toMatch(/Jira rejected the email or API token for http:\/\/127\.0\.0\.1/);
    expect(myself?.message).toContain('https://id.atlassian.com/manage-profile/security/api-tokens');
    expect(myself?.message).toMatch(/scoped API token.*gateway/);
  });

  it('403 on the site: the account is not a site admin', async () => {
    const report = await diagnose({
      '/rest/api/3/applicationrole': () => ({
        status: 403,
        json: {
          errorMessages: [
            'You are not authorized to perform this operation. Administrator privileges are required.',
          ],
          errors: {},
        },
      }),
    });
    expect(check(report, 'jira.administer')).toMatchObject({
      ok: false,
      kind: 'permission',
      message: matching(/not a site admin.*Administer Jira/),
    });
  });

  it('401 from the admin API: wrong, expired or revoked org key', async () => {
    const report = await diagnose({
      '/admin/v1/orgs': () => ({ status: 401, json: { code: 401, message: 'Unauthorized' } }),
    });
    expect(check(report, 'admin.orgs')).toMatchObject({
      ok: false,
      kind: 'auth',
      message: matching(
        /organization API key was rejected.*expired or revoked.*personal API token.*Settings › API keys/,
      ),
    });
  });

  it('403 from the admin API: not an org admin, API not enabled or a scoped key', async () => {
    const report = await diagnose({
      '/admin/v1/orgs': () => ({
        status: 403,
        json: {
          timestamp: 'now',
          path: '/admin/v1/orgs',
          status: 403,
          error: 'Forbidden',
          message: 'User has no permission to access resource.',
        },
      }),
    });
    expect(check(report, 'admin.orgs')?.message).toMatch(
      /organization admin.*not be enabled.*without scopes/,
    );
  });

  it('an org ID the key does not list, or a 404, means the organization ID is wrong', async () => {
    let report = await diagnose({}, { orgId: 'org-typo' });
    expect(check(report, 'admin.orgs')).toMatchObject({
      ok: false,
      kind: 'not_found',
      message: matching(/check the organization ID/),
    });
    await server?.close();
    report = await diagnose({
      '/admin/v2/orgs/org-1/directories': () => ({
        status: 404,
        json: { errors: [{ code: 'ADMIN-404-2', detail: 'Organization not found' }] },
      }),
    });
    expect(check(report, 'admin.directories')?.message).toMatch(
      /Organization org-1 was not found.*organization ID/,
    );
  });

  it('a network failure reports the error itself', async () => {
    const probe = await startScriptedServer(() => ({ json: {} }));
    await probe.close();
    const report = await testConnection({
      siteUrl: probe.url,
      email: 'a@b.c',
      apiToken: SECRET_TOKEN,
      retry: { maxAttempts: 1 },
    });
    expect(report.ok).toBe(false);
    expect(check(report, 'jira.myself')).toMatchObject({
      kind: 'network',
      message: matching(/ECONNREFUSED/),
    });
  });

  it('discovers the cloudId when the gateway is used', async () => {
    server = await startScriptedServer(
      routes({
        '/_edge/tenant_info': () => ({ json: { cloudId: 'c-1' } }),
        '/ex/jira/c-1/rest/api/3/myself': ok['/rest/api/3/myself'] as Handler,
        '/ex/jira/c-1/rest/api/3/group/bulk': ok['/rest/api/3/group/bulk'] as Handler,
        '/ex/jira/c-1/rest/api/3/applicationrole': ok['/rest/api/3/applicationrole'] as Handler,
      }),
    );
    const report = await testConnection({
      siteUrl: server.url,
      gatewayUrl: server.url,
      useGateway: true,
      email: 'a@b.c',
      apiToken: SECRET_TOKEN,
    });
    expect(report).toMatchObject({ ok: true, cloudId: 'c-1' });
  });
});
