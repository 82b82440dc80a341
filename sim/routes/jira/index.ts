// Every Jira platform v3 route, registered once on the site host and once under the gateway
// prefix `/ex/jira/:cloudId` on the API host.

import type { FastifyInstance } from 'fastify';
import type { SimRuntime } from '../../runtime.ts';
import { registerApplicationRoleRoutes } from './application-roles.ts';
import { registerGroupRoutes } from './groups.ts';
import { registerProjectRoutes } from './projects.ts';
import { registerUserRoutes } from './users.ts';

export function registerJiraRoutes(app: FastifyInstance, sim: SimRuntime): void {
  registerUserRoutes(app, sim);
  registerGroupRoutes(app, sim);
  registerProjectRoutes(app, sim);
  registerApplicationRoleRoutes(app, sim);
}

/** The Jira route pattern behind a gateway route (`/ex/jira/:cloudId/rest/...` → `/rest/...`). */
export function jiraPattern(routeUrl: string): string {
  return routeUrl.replace(/^\/ex\/jira\/:cloudId/, '');
}
