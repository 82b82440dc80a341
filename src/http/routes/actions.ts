// Provisioning over HTTP: run one action (or its dry run), offboard an account, read an operation.
// Only admins act directly ('actions:run'); the audit event records who, and via UI or API.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTION_KINDS } from '../../actions/catalog.ts';
import { UnknownAccountError } from '../../actions/offboard.ts';
import {
  ActionInputError,
  createOffboarding,
  getOperation,
  offboard,
  runAction,
  type Initiator,
} from '../../actions/service.ts';
import { findIntegration } from '../../integrations/service.ts';
import { HttpError, notFound } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import { errorResponses, idParam } from '../schemas.ts';

const ITEM_STATUSES = ['pending', 'running', 'succeeded', 'skipped', 'failed', 'refused'] as const;
const OPERATION_STATUSES = ['pending', 'running', 'succeeded', 'partial', 'failed', 'refused'] as const;

export const operationSchema = z.object({
  id: z.string(),
  integrationId: z.string(),
  kind: z.string(),
  actor: z.string(),
  via: z.enum(['ui', 'api', 'cli', 'job']),
  requestId: z.string().nullable(),
  status: z.enum(OPERATION_STATUSES),
  dryRun: z.boolean(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  items: z.array(
    z.object({
      seq: z.number().int(),
      action: z.string(),
      input: z.record(z.string(), z.unknown()),
      status: z.enum(ITEM_STATUSES),
      result: z.record(z.string(), z.unknown()).nullable(),
      atlassianStatus: z.number().int().nullable(),
      attempts: z.number().int(),
      leaseUntil: z.string().nullable(),
      updatedAt: z.string(),
    }),
  ),
});

/** A signed-in browser session acts "via ui"; an API token "via api". */
export function initiatorOf(request: FastifyRequest): Initiator {
  return {
    actor: request.user?.email ?? 'unknown',
    via: request.auth?.method === 'token' ? 'api' : 'ui',
    requestId: request.id,
  };
}

async function asHttpErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ActionInputError) throw new HttpError(400, 'invalid_input', error.message);
    if (error instanceof UnknownAccountError) throw new HttpError(404, 'not_found', error.message);
    throw error;
  }
}

export const actionRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app, jobs }, done) => {
  server.post(
    '/integrations/:id/actions',
    {
      config: { permission: 'actions:run' },
      schema: {
        tags: ['actions'],
        params: z.object({ id: idParam }),
        body: z.object({
          kind: z.enum(ACTION_KINDS),
          input: z.record(z.string(), z.unknown()),
          dryRun: z.boolean().default(false),
        }),
        response: { 200: operationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const integration = await findIntegration(app, request.params.id);
      const { kind, input, dryRun } = request.body;
      return asHttpErrors(() => runAction(app, integration, { kind, input, dryRun }, initiatorOf(request)));
    },
  );

  server.post(
    '/integrations/:id/offboard',
    {
      config: { permission: 'actions:run' },
      schema: {
        tags: ['actions'],
        params: z.object({ id: idParam }),
        body: z.object({
          accountId: z
            .string()
            .trim()
            .regex(/^[\w:.-]{1,128}$/),
          deactivate: z.boolean().default(false),
          dryRun: z.boolean().default(false),
          /** Queue it for a worker and answer 202 at once instead of waiting for every call. */
          background: z.boolean().default(false),
        }),
        response: { 200: operationSchema, 202: operationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const integration = await findIntegration(app, request.params.id);
      const { background, ...offboarding } = request.body;
      const who = initiatorOf(request);
      if (!background || offboarding.dryRun) {
        return asHttpErrors(() => offboard(app, integration, offboarding, who));
      }
      const operationId = await asHttpErrors(() => createOffboarding(app, integration, offboarding, who));
      await jobs.enqueue('actions.operation', { operationId, actor: who.actor, via: who.via });
      const operation = await getOperation(app.db, operationId);
      if (!operation) throw new HttpError(404, 'not_found', `Operation ${operationId} not found`);
      return reply.status(202).send(operation);
    },
  );

  server.get(
    '/operations/:id',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['actions'],
        params: z.object({ id: idParam }),
        response: { 200: operationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const operation = await getOperation(app.db, request.params.id);
      if (!operation) throw notFound('Operation');
      return operation;
    },
  );
  done();
};
