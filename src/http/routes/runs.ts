// Sync runs: an integration's recent runs, and one run (with progress while it runs).
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findIntegration } from '../../integrations/service.ts';
import { getRun, listRuns } from '../../storage/sync-runs.ts';
import { notFound } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import { toRunView } from '../run-view.ts';
import { errorResponses, idParam, syncRunSchema } from '../schemas.ts';

export const runRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  server.get(
    '/integrations/:id/runs',
    {
      config: { permission: 'runs:read' },
      schema: {
        tags: ['sync'],
        params: z.object({ id: idParam }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(20) }),
        response: { 200: z.object({ items: z.array(syncRunSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const integration = await findIntegration(app, request.params.id);
      const runs = await listRuns(app.db, { integrationId: integration.id, limit: request.query.limit });
      return { items: runs.map(toRunView) };
    },
  );

  server.get(
    '/runs/:runId',
    {
      config: { permission: 'runs:read' },
      schema: {
        tags: ['sync'],
        params: z.object({ runId: idParam }),
        response: { 200: syncRunSchema, ...errorResponses },
      },
    },
    async (request) => {
      const run = await getRun(app.db, request.params.runId);
      if (!run) throw notFound('Sync run');
      return toRunView(run);
    },
  );
  done();
};
