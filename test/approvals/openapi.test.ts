// The request routes are in the OpenAPI document generated from their zod schemas.
import { expect, it } from 'vitest';
import { startTestServer } from '../http/support.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('access request routes in OpenAPI', ({ getStore, getDataDir }) => {
  it('documents the catalogue, request, inbox and decision routes', async () => {
    const t = await startTestServer(getStore(), getDataDir());
    try {
      const response = await t.server.inject({ method: 'GET', url: '/docs/json' });
      expect(response.statusCode).toBe(200);
      const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
      for (const p of [
        '/api/v1/integrations/{id}/catalog',
        '/api/v1/integrations/{id}/approval-settings',
        '/api/v1/catalog',
        '/api/v1/catalog/{itemId}',
        '/api/v1/requests',
        '/api/v1/requests/mine',
        '/api/v1/requests/{id}',
        '/api/v1/requests/{id}/decision',
        '/api/v1/requests/{id}/invite-approver',
        '/api/v1/inbox',
      ])
        expect(paths).toContain(p);
    } finally {
      await t.close();
    }
  });
});
