// The requestable catalogue and approval settings over HTTP (contract: docs/requests-api.md).
// Everyone who may request browses; only admins curate ('requests:admin').
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  approvalSettings,
  catalogFor,
  catalogPatchSchema,
  createCatalogItem,
  ITEM_KINDS,
  newCatalogItemSchema,
  removeCatalogItem,
  REQUESTER_ROLES,
  requestableCatalog,
  settingsInputSchema,
  stepRuleSchema,
  targetSchema,
  updateApprovalSettings,
  updateCatalogItem,
  type Caller,
} from '../../approvals/index.ts';
import { HttpError } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import { errorResponses, idParam } from '../schemas.ts';
import { initiatorOf } from './actions.ts';

export const catalogItemSchema = z.object({
  id: z.string(),
  integrationId: z.string(),
  kind: z.enum(ITEM_KINDS),
  target: targetSchema,
  label: z.string(),
  description: z.string().nullable(),
  requesterRoles: z.array(z.enum(REQUESTER_ROLES)),
  ownerUserIds: z.array(z.string()),
  steps: z.array(stepRuleSchema).nullable(),
  maxDurationDays: z.number().int().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const settingsSchema = settingsInputSchema.extend({ integrationId: z.string() });

/** The signed-in user as the approvals service sees them. */
export function callerOf(request: FastifyRequest): Caller {
  const user = request.user;
  if (!user) throw new HttpError(401, 'unauthenticated', 'Sign in first');
  const { via, requestId } = initiatorOf(request);
  return {
    user: { id: user.id, email: user.email, role: user.role, displayName: user.displayName },
    via,
    requestId: requestId ?? null,
  };
}

export function auditActor(request: FastifyRequest) {
  const { via, requestId } = initiatorOf(request);
  return { actor: request.user?.email ?? 'unknown', via, requestId: requestId ?? null };
}

export const catalogRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  const tags = ['requests'];
  const itemsResponse = { 200: z.object({ items: z.array(catalogItemSchema) }), ...errorResponses };

  server.get(
    '/integrations/:id/catalog',
    {
      config: { permission: 'requests:own' },
      schema: { tags, params: z.object({ id: idParam }), response: itemsResponse },
    },
    async (request) => ({ items: await catalogFor(app, request.params.id, callerOf(request).user.role) }),
  );

  server.post(
    '/integrations/:id/catalog',
    {
      config: { permission: 'requests:admin' },
      schema: {
        tags,
        params: z.object({ id: idParam }),
        body: newCatalogItemSchema,
        response: { 201: catalogItemSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createCatalogItem(app, request.params.id, request.body, auditActor(request))),
  );

  server.patch(
    '/catalog/:itemId',
    {
      config: { permission: 'requests:admin' },
      schema: {
        tags,
        params: z.object({ itemId: idParam }),
        body: catalogPatchSchema,
        response: { 200: catalogItemSchema, ...errorResponses },
      },
    },
    async (request) => updateCatalogItem(app, request.params.itemId, request.body, auditActor(request)),
  );

  server.delete(
    '/catalog/:itemId',
    {
      config: { permission: 'requests:admin' },
      schema: { tags, params: z.object({ itemId: idParam }), response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      await removeCatalogItem(app, request.params.itemId, auditActor(request));
      return reply.code(204).send(null);
    },
  );

  server.get(
    '/catalog',
    { config: { permission: 'requests:own' }, schema: { tags, response: itemsResponse } },
    async (request) => ({ items: await requestableCatalog(app, callerOf(request).user.role) }),
  );

  server.get(
    '/integrations/:id/approval-settings',
    {
      config: { permission: 'requests:admin' },
      schema: {
        tags,
        params: z.object({ id: idParam }),
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => approvalSettings(app, request.params.id),
  );

  server.put(
    '/integrations/:id/approval-settings',
    {
      config: { permission: 'requests:admin' },
      schema: {
        tags,
        params: z.object({ id: idParam }),
        body: settingsInputSchema,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => updateApprovalSettings(app, request.params.id, request.body, auditActor(request)),
  );
  done();
};
