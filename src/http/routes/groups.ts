// Groups: the paged list with member counts, and one group with its paged members.
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findIntegration } from '../../integrations/service.ts';
import { getGroup, listGroupMembers, listGroups } from '../../storage/inventory-browse.ts';
import { notFound } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import {
  accountViewSchema,
  errorResponses,
  groupSummarySchema,
  idParam,
  pageOf,
  pageQuery,
  searchQuery,
} from '../schemas.ts';

export const groupRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  server.get(
    '/groups',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        querystring: z.object({
          integrationId: idParam.optional(),
          search: searchQuery.optional(),
          ...pageQuery(50),
        }),
        response: { 200: pageOf(groupSummarySchema), ...errorResponses },
      },
    },
    async (request) => {
      const { integrationId, search, limit, offset } = request.query;
      return listGroups(
        app.db,
        {
          ...(integrationId === undefined ? {} : { integrationId }),
          ...(search === undefined ? {} : { search }),
        },
        { limit, offset },
      );
    },
  );

  server.get(
    '/integrations/:id/groups/:groupId',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        params: z.object({ id: idParam, groupId: idParam }),
        querystring: z.object(pageQuery(50)),
        response: {
          200: z.object({ group: groupSummarySchema, members: pageOf(accountViewSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const integration = await findIntegration(app, request.params.id);
      const group = await getGroup(app.db, integration.id, request.params.groupId);
      if (!group) throw notFound('Group');
      const members = await listGroupMembers(app.db, integration.id, group.groupId, request.query);
      return { group, members };
    },
  );
  done();
};
