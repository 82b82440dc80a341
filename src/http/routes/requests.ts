// Access requests over HTTP (contract: docs/requests-api.md): ask, follow, decide, and the
// admin's retry / revoke / invite. Every rule (who may see or decide what) lives in the service;
// these handlers only translate the caller and the body.
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  allRequests,
  cancelRequest,
  createRequests,
  decideRequest,
  getVisibleRequest,
  inbox,
  inviteApprover,
  ITEM_KINDS,
  myRequests,
  newRequestSchema,
  REQUEST_STATUSES,
  requestStepSchema,
  retryProvisioning,
  revokeByCaller,
  targetSchema,
  viewOf,
} from '../../approvals/index.ts';
import { errorBodySchema } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import { errorResponses, idParam, pageQuery } from '../schemas.ts';
import { callerOf } from './catalog.ts';

const operationRef = z.object({
  operationId: z.string().nullable(),
  error: z.string().nullable(),
  at: z.string().nullable(),
});

export const accessRequestSchema = z.object({
  id: z.string(),
  integrationId: z.string(),
  catalogItemId: z.string(),
  item: z.object({ kind: z.enum(ITEM_KINDS), label: z.string(), target: targetSchema }),
  requester: z.object({ userId: z.string(), email: z.string(), accountId: z.string() }),
  reason: z.string(),
  expiresAt: z.string().nullable(),
  status: z.enum(REQUEST_STATUSES),
  steps: z.array(requestStepSchema),
  notes: z.array(z.object({ at: z.string(), text: z.string() })),
  provisioning: operationRef.nullable(),
  revoke: operationRef.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  decidedAt: z.string().nullable(),
});

const responses = { ...errorResponses, 409: errorBodySchema };
const one = { 200: accessRequestSchema, ...responses };
const many = { 200: z.object({ requests: z.array(accessRequestSchema) }), ...responses };
const byId = z.object({ id: idParam });

export const requestRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app, jobs }, done) => {
  const tags = ['requests'];

  server.post(
    '/requests',
    {
      config: { permission: 'requests:own' },
      schema: {
        tags,
        body: newRequestSchema,
        response: { 201: z.object({ requests: z.array(accessRequestSchema) }), ...responses },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ requests: await createRequests(app, jobs, callerOf(request), request.body) }),
  );

  server.get(
    '/requests/mine',
    { config: { permission: 'requests:own' }, schema: { tags, response: many } },
    async (request) => ({ requests: await myRequests(app, callerOf(request)) }),
  );

  server.get(
    '/requests',
    {
      config: { permission: 'requests:admin' },
      schema: {
        tags,
        querystring: z.object({
          status: z.enum(REQUEST_STATUSES).optional(),
          integrationId: idParam.optional(),
          ...pageQuery(50),
        }),
        response: {
          200: z.object({ requests: z.array(accessRequestSchema), total: z.number().int() }),
          ...responses,
        },
      },
    },
    async (request) => allRequests(app, request.query),
  );

  server.get(
    '/requests/:id',
    { config: { permission: 'requests:own' }, schema: { tags, params: byId, response: one } },
    async (request) => viewOf(await getVisibleRequest(app, callerOf(request), request.params.id)),
  );

  server.post(
    '/requests/:id/cancel',
    { config: { permission: 'requests:own' }, schema: { tags, params: byId, response: one } },
    async (request) => cancelRequest(app, jobs, callerOf(request), request.params.id),
  );

  server.get(
    '/inbox',
    { config: { permission: 'requests:decide' }, schema: { tags, response: many } },
    async (request) => ({ requests: await inbox(app, callerOf(request)) }),
  );

  server.post(
    '/requests/:id/decision',
    {
      config: { permission: 'requests:decide' },
      schema: {
        tags,
        params: byId,
        body: z.strictObject({
          decision: z.enum(['approve', 'deny']),
          comment: z.string().trim().max(2000).optional(),
        }),
        response: one,
      },
    },
    async (request) =>
      decideRequest(
        app,
        jobs,
        callerOf(request),
        request.params.id,
        request.body.decision,
        request.body.comment || null,
      ),
  );

  server.post(
    '/requests/:id/retry',
    { config: { permission: 'requests:admin' }, schema: { tags, params: byId, response: one } },
    async (request) => retryProvisioning(app, jobs, callerOf(request), request.params.id),
  );

  server.post(
    '/requests/:id/revoke',
    { config: { permission: 'requests:own' }, schema: { tags, params: byId, response: one } },
    async (request) => revokeByCaller(app, jobs, callerOf(request), request.params.id),
  );

  server.post(
    '/requests/:id/invite-approver',
    {
      config: { permission: 'requests:admin' },
      schema: {
        tags,
        params: byId,
        body: z.strictObject({
          accountId: z
            .string()
            .trim()
            .regex(/^[\w:.|-]{1,128}$/),
        }),
        response: {
          201: z.object({ userId: z.string(), email: z.string(), oneTimePassword: z.string() }),
          ...responses,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await inviteApprover(app, jobs, callerOf(request), request.params.id, request.body.accountId)),
  );
  done();
};
