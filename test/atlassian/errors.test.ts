import { afterEach, describe, expect, it } from 'vitest';
import { matching } from './support/matchers.ts';
import { AtlassianError, classify, jiraMyself, adminOrgs } from '../../src/atlassian/index.ts';
import { testClient } from './support/client.ts';
import { startScriptedServer, type ScriptedServer } from './support/scripted-server.ts';

describe('classify', () => {
  it.each([
    [
      'Jira ErrorCollection',
      400,
      {
        errorMessages: ['You must specify the products that user can access.'],
        errors: { name: 'required' },
      },
      {
        kind: 'invalid',
        atlassianMessage: 'You must specify the products that user can access.; name: required',
      },
    ],
    [
      'admin JSON:API',
      409,
      {
        errors: [
          {
            id: 'x',
            status: '409',
            code: 'ADMIN-409-3',
            title: 'Conflict',
            detail: 'License limit exceeded',
          },
        ],
      },
      { kind: 'conflict', code: 'ADMIN-409-3', atlassianMessage: 'License limit exceeded' },
    ],
    [
      'gateway ProxyError',
      429,
      { code: 429, message: 'Rate limit exceeded' },
      { kind: 'rate_limited', code: '429', atlassianMessage: 'Rate limit exceeded', retryable: true },
    ],
    [
      'user-management key/context',
      409,
      {
        key: 'conflict.lifecycleErrors',
        context: {
          message: 'Cannot deactivate',
          accountId: 'a',
          errorCodes: [{ code: 'x', message: 'User is an org admin' }],
        },
      },
      {
        kind: 'conflict',
        code: 'conflict.lifecycleErrors',
        atlassianMessage: 'Cannot deactivate; User is an org admin',
      },
    ],
    [
      'user-management forbidden',
      403,
      { key: 'forbidden.action', context: {} },
      { kind: 'permission', code: 'forbidden.action', atlassianMessage: 'forbidden.action' },
    ],
    [
      'Spring-style 403',
      403,
      {
        timestamp: '2025-01-01T00:00:00Z',
        path: '/admin/v1/orgs',
        status: 403,
        error: 'Forbidden',
        message: 'User has no permission to access resource.',
        requestId: 'r',
      },
      {
        kind: 'permission',
        code: 'Forbidden',
        atlassianMessage: 'User has no permission to access resource.',
      },
    ],
    [
      'HTML body',
      502,
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      { kind: 'transient', atlassianMessage: '502 Bad Gateway', retryable: true },
    ],
    ['empty 404', 404, '', { kind: 'not_found', retryable: false }],
    [
      'JSON text of an ErrorCollection',
      401,
      '{"errorMessages":["Unauthorized"],"errors":{}}',
      { kind: 'auth', atlassianMessage: 'Unauthorized' },
    ],
  ])('%s', (_name, status, body, expected) => {
    const error = classify(status, body, 'jira.myself');
    expect(error).toBeInstanceOf(AtlassianError);
    expect(error).toMatchObject({ status, endpoint: 'jira.myself', ...expected });
  });
});

describe('classification over real HTTP', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => server?.close());

  it('keeps the admin code and message from a live 404', async () => {
    server = await startScriptedServer(() => ({
      status: 404,
      json: { errors: [{ code: 'ADMIN-404-2', title: 'Not Found', detail: 'Organization not found' }] },
    }));
    const { client } = testClient(server.url);
    await expect(adminOrgs(client)).rejects.toMatchObject({
      kind: 'not_found',
      code: 'ADMIN-404-2',
      atlassianMessage: 'Organization not found',
      endpoint: 'admin.orgs',
    });
  });

  it('reports a 2xx that is not JSON as transient, retryable', async () => {
    server = await startScriptedServer(() => ({
      text: '{"accountId": "trunc',
      headers: { 'content-type': 'application/json' },
    }));
    const { client } = testClient(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(jiraMyself(client)).rejects.toMatchObject({ kind: 'transient', retryable: true });
    expect(server.requests).toHaveLength(2);
  });

  it('reports a wrong shape as invalid', async () => {
    server = await startScriptedServer(() => ({ json: { displayName: 'no id' } }));
    const { client } = testClient(server.url);
    await expect(jiraMyself(client)).rejects.toMatchObject({
      kind: 'invalid',
      message: matching(/accountId/),
    });
  });
});
