// Operations: liveness, readiness (the store answers) and Prometheus metrics.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { errorBody, errorBodySchema } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';

export interface OpsOptions extends RouteDeps {
  metrics: Registry;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const opsRoutes: FastifyPluginCallbackZod<OpsOptions> = (
  server,
  { app, metrics, metricsToken },
  done,
) => {
  server.get(
    '/healthz',
    {
      config: { permission: 'public' },
      schema: { tags: ['operations'], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    () => ({ status: 'ok' as const }),
  );

  server.get(
    '/readyz',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['operations'],
        response: { 200: z.object({ status: z.literal('ready') }), 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      try {
        await sql`select 1`.execute(app.db);
        return { status: 'ready' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return reply.status(503).send(errorBody('not_ready', 'The database does not answer'));
      }
    },
  );

  server.get(
    '/metrics',
    {
      config: { permission: 'public' },
      schema: { tags: ['operations'], description: 'Prometheus text format' },
    },
    async (request, reply) => {
      // Optional restriction: with a metrics token configured, scrapers must send it.
      if (metricsToken !== undefined) {
        const header = request.headers.authorization ?? '';
        if (!sameSecret(header, `Bearer ${metricsToken}`)) {
          return reply
            .status(401)
            .send(errorBody('unauthenticated', 'This metrics endpoint needs its bearer token'));
        }
      }
      const text = await metrics.metrics();
      return reply.type(metrics.contentType).send(text);
    },
  );
  done();
};
