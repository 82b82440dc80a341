// GET /rest/api/3/applicationrole: seats and counts computed from the accounts' product access.

import type { FastifyInstance } from 'fastify';
import type { SimAccount, SimApplicationRole } from '../../model.ts';
import { applicationRoleUserCount } from '../../licensing.ts';
import type { SimRuntime } from '../../runtime.ts';
import { groupName, jiraBase, requireSiteAdmin } from './render.ts';

export function renderApplicationRole(
  sim: SimRuntime,
  base: string,
  role: SimApplicationRole,
): Record<string, unknown> {
  const defaults = role.defaultGroupIds.map((id) => sim.state.groups.get(id)).filter((g) => g !== undefined);
  const userCount = applicationRoleUserCount(sim.state, role);
  const details = defaults.map((g) => groupName(base, g));
  return {
    key: role.key,
    groups: defaults.map((g) => g.name),
    groupDetails: details,
    name: role.name,
    defaultGroups: defaults.map((g) => g.name),
    defaultGroupsDetails: details,
    selectedByDefault: false,
    defined: true,
    numberOfSeats: role.numberOfSeats,
    remainingSeats: role.numberOfSeats - userCount,
    userCount,
    userCountDescription: `${userCount} users`,
    hasUnlimitedSeats: role.hasUnlimitedSeats,
    platform: role.platform,
  };
}

/** Application roles an account holds (by its product access). */
export function rolesOfAccount(sim: SimRuntime, account: SimAccount): SimApplicationRole[] {
  const keys = new Set(account.products.map((p) => p.key));
  return sim.state.applicationRoles.filter((role) =>
    role.platform ? [...keys].some((k) => k.startsWith('jira-')) : keys.has(role.productKey),
  );
}

export function registerApplicationRoleRoutes(app: FastifyInstance, sim: SimRuntime): void {
  app.get('/rest/api/3/applicationrole', (request, reply) => {
    if (!requireSiteAdmin(request, reply)) return reply;
    const base = jiraBase(sim, request);
    return sim.state.applicationRoles.map((role) => renderApplicationRole(sim, base, role));
  });
}
