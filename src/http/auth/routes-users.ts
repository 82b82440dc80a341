// User management (admin only). Disabling a user or setting their password signs them out.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../app.ts';
import {
  createUser,
  deleteUser,
  EmailTakenError,
  LastAdminError,
  listUsers,
  updateUser,
} from '../../storage/users.ts';
import { conflict, notFound } from './errors.ts';
import {
  errorSchema,
  idParamsSchema,
  managedUserSchema,
  newUserBodySchema,
  userPatchBodySchema,
  zodCompilers,
} from './schemas.ts';

/** Storage's domain errors, as HTTP conflicts. */
function asHttp(error: unknown): unknown {
  if (error instanceof EmailTakenError || error instanceof LastAdminError)
    return conflict(error.code, error.message);
  return error;
}

export function registerUserRoutes(server: FastifyInstance, app: App): void {
  const routes = server.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'users:manage' } as const;

  routes.get(
    '/api/v1/users',
    {
      ...zodCompilers,
      config,
      schema: { tags: ['users'], response: { 200: z.object({ items: z.array(managedUserSchema) }) } },
    },
    async () => ({ items: await listUsers(app.db) }),
  );

  routes.post(
    '/api/v1/users',
    {
      ...zodCompilers,
      config,
      schema: {
        tags: ['users'],
        body: newUserBodySchema,
        response: { 201: managedUserSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const user = await createUser(app.db, request.body).catch((error: unknown) => {
        throw asHttp(error);
      });
      request.log.info({ userId: user.id, role: user.role }, 'user created');
      return reply.code(201).send(user);
    },
  );

  routes.patch(
    '/api/v1/users/:id',
    {
      ...zodCompilers,
      config,
      schema: {
        tags: ['users'],
        params: idParamsSchema,
        body: userPatchBodySchema,
        response: { 200: managedUserSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const user = await updateUser(app.db, request.params.id, request.body).catch((error: unknown) => {
        throw asHttp(error);
      });
      if (!user) throw notFound('User');
      return user;
    },
  );

  routes.delete(
    '/api/v1/users/:id',
    {
      ...zodCompilers,
      config,
      schema: {
        tags: ['users'],
        params: idParamsSchema,
        response: { 204: z.null(), 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const deleted = await deleteUser(app.db, request.params.id).catch((error: unknown) => {
        throw asHttp(error);
      });
      if (!deleted) throw notFound('User');
      return reply.code(204).send(null);
    },
  );
}
