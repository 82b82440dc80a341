// The Organizations (admin) API on the API host: every route declared in one list per area.

import type { FastifyInstance } from 'fastify';
import type { SimRuntime } from '../../runtime.ts';
import { directoryRoutes } from './directories.ts';
import { orgRoutes } from './orgs.ts';
import { roleRoutes } from './roles.ts';
import { mountAdminRoutes } from './route.ts';
import { workspaceRoutes } from './workspaces.ts';
import { writeRoutes } from './writes.ts';

export { V1_USERS_PAGE_SIZE } from './orgs.ts';

export function registerAdminRoutes(app: FastifyInstance, sim: SimRuntime): void {
  mountAdminRoutes(app, sim, [
    ...orgRoutes,
    ...directoryRoutes,
    ...writeRoutes,
    ...roleRoutes,
    ...workspaceRoutes,
  ]);
}
