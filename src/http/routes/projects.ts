// Projects: the paged list with each lead, and one project with its roles and their actors.
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findIntegration } from '../../integrations/service.ts';
import { getProjectDetail, listProjects } from '../../storage/inventory-browse.ts';
import { notFound } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import {
  errorResponses,
  idParam,
  pageOf,
  pageQuery,
  projectDetailSchema,
  projectSummarySchema,
  searchQuery,
} from '../schemas.ts';

export const projectRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  server.get(
    '/projects',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        querystring: z.object({
          integrationId: idParam.optional(),
          search: searchQuery.optional(),
          ...pageQuery(50),
        }),
        response: { 200: pageOf(projectSummarySchema), ...errorResponses },
      },
    },
    async (request) => {
      const { integrationId, search, limit, offset } = request.query;
      return listProjects(
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
    '/integrations/:id/projects/:projectId',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        params: z.object({ id: idParam, projectId: idParam }),
        response: { 200: projectDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const integration = await findIntegration(app, request.params.id);
      const detail = await getProjectDetail(app.db, integration.id, request.params.projectId);
      if (!detail) throw notFound('Project');
      return detail;
    },
  );
  done();
};
