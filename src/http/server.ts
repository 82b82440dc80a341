// The HTTP server: Fastify with zod schemas (validation, serialization and the OpenAPI document
// from the same source), one error shape, the auth guard on every route, then one module per area.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { REDACTED_PATHS, type App } from '../app.ts';
import { registerAuth } from './auth/index.ts';
import { errorHandler } from './errors.ts';
import { createMetrics } from './metrics.ts';
import type { ServerDeps } from './route-deps.ts';
import { accountRoutes } from './routes/accounts.ts';
import { actionRoutes } from './routes/actions.ts';
import { auditRoutes } from './routes/audit.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { groupRoutes } from './routes/groups.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { licenseRoutes } from './routes/licenses.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { opsRoutes } from './routes/ops.ts';
import { projectRoutes } from './routes/projects.ts';
import { requestRoutes } from './routes/requests.ts';
import { runRoutes } from './routes/runs.ts';
import { registerWeb } from './routes/web.ts';

export type { ServerDeps } from './route-deps.ts';

export const API_PREFIX = '/api/v1';

export interface BuildServerOptions {
  /** The built web UI; default `web/dist` under the working directory. */
  webDistDir?: string;
  /** Largest accepted request body. */
  bodyLimit?: number;
  /** Only /healthz, /readyz and /metrics (a worker node's port for probes and scraping). */
  opsOnly?: boolean;
}

/** Never in a log line: credentials in headers, and secrets or passwords in bodies. */
const LOG_REDACT = [
  ...REDACTED_PATHS,
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'csrfToken',
  '*.csrfToken',
];

/** Accepted from a caller (a proxy's id) only when it is short and plain; otherwise a new UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const registeredRoutes = new WeakMap<FastifyInstance, RouteOptions[]>();

/** Every route the server registered (for tests and route tables), in registration order. */
export function routesOf(server: FastifyInstance): readonly RouteOptions[] {
  return registeredRoutes.get(server) ?? [];
}

export async function buildServer(
  app: App,
  deps: ServerDeps,
  opts: BuildServerOptions = {},
): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = app.logger.child(
    { component: 'http' },
    { redact: { paths: LOG_REDACT, censor: '[redacted]' } },
  );
  // Route modules type themselves with the zod provider (FastifyPluginAsyncZod).
  const server: FastifyInstance = Fastify({
    loggerInstance: logger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  const routes: RouteOptions[] = [];
  registeredRoutes.set(server, routes);
  server.addHook('onRoute', (route) => {
    routes.push(route);
  });

  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  server.setErrorHandler(errorHandler);
  server.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  if (opts.opsOnly) {
    // Every ops route is public (or token-guarded /metrics); no sessions, API or UI here.
    await server.register(opsRoutes, { app, ...deps, metrics: createMetrics(server, app.db) });
    return server;
  }

  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Seatwarden API',
        description: 'Access and license governance for Atlassian Cloud',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sw_session' },
          apiToken: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Before any other route: its onRoute hook only sees routes added after it.
  await registerAuth(server, { app });
  await server.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const metrics = createMetrics(server, app.db);
  const routeDeps = { app, ...deps };
  await server.register(opsRoutes, { ...routeDeps, metrics });
  for (const routes of [
    integrationRoutes,
    accountRoutes,
    groupRoutes,
    projectRoutes,
    licenseRoutes,
    runRoutes,
    actionRoutes,
    auditRoutes,
    catalogRoutes,
    requestRoutes,
    notificationRoutes,
  ]) {
    await server.register(routes, { ...routeDeps, prefix: API_PREFIX });
  }
  await registerWeb(server, opts.webDistDir ?? path.resolve('web/dist'));
  return server;
}
