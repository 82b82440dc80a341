// API tokens: each user manages their own; an admin sees and revokes everyone's.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { createApiToken, deleteApiToken, listApiTokens } from '../../storage/api-tokens.ts';
import { notFound } from './errors.ts';
import { callerOf } from './guard.ts';
import {
  apiTokenSchema,
  createdTokenSchema,
  errorSchema,
  idParamsSchema,
  newTokenBodySchema,
  zodCompilers,
} from './schemas.ts';

export function registerTokenRoutes(server: FastifyInstance, app: App): void {
  const routes = server.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'tokens:own' } as const;

  routes.get(
    '/api/v1/tokens',
    {
      ...zodCompilers,
      config,
      schema: { tags: ['tokens'], response: { 200: z.object({ items: z.array(apiTokenSchema) }) } },
    },
    async (request) => {
      const caller = callerOf(request);
      return { items: await listApiTokens(app.db, caller.role === 'admin' ? undefined : caller.id) };
    },
  );

  routes.post(
    '/api/v1/tokens',
    {
      ...zodCompilers,
      config,
      schema: { tags: ['tokens'], body: newTokenBodySchema, response: { 201: createdTokenSchema } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const created = await createApiToken(app.db, caller.id, request.body.name);
      request.log.info({ userId: caller.id, tokenId: created.id }, 'API token created');
      return reply.code(201).send(created);
    },
  );

  routes.delete(
    '/api/v1/tokens/:id',
    {
      ...zodCompilers,
      config,
      schema: { tags: ['tokens'], params: idParamsSchema, response: { 204: z.null(), 404: errorSchema } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const deleted = await deleteApiToken(
        app.db,
        request.params.id,
        caller.role === 'admin' ? undefined : caller.id,
      );
      if (!deleted) throw notFound('API token');
      return reply.code(204).send(null);
    },
  );
}
