// Jira group endpoints: group/bulk, group create/delete, group/member, group/user add/remove.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimGroup } from '../../model.ts';
import { addMembership, removeMembership } from '../../mutate.ts';
import { uuid } from '../../prng.ts';
import type { SimRuntime } from '../../runtime.ts';
import {
  boolParam,
  groupName,
  intParam,
  jiraBase,
  jiraError,
  many,
  pageBean,
  pageUrlFor,
  queryOf,
  requireSiteAdmin,
  single,
  userDetails,
  type Query,
} from './render.ts';

const GROUP_PAGE_CAP = 50;
const MEMBER_PAGE_CAP = 50;

/** Resolve `groupId` or `groupname`; answers 400/404 itself and returns null on failure. */
function findGroup(sim: SimRuntime, query: Query, reply: FastifyReply): SimGroup | null {
  const groupId = single(query, 'groupId');
  const name = single(query, 'groupname') ?? single(query, 'groupName');
  if (groupId && name) {
    void jiraError(reply, 400, 'You must specify either groupId or groupname, not both.');
    return null;
  }
  if (!groupId && !name) {
    void jiraError(reply, 400, 'You must specify a group name or group ID.');
    return null;
  }
  const group = groupId ? sim.state.groups.get(groupId) : sim.indexes.groupByName(name ?? '');
  if (!group) {
    void jiraError(reply, 404, 'Specified group does not exist.');
    return null;
  }
  return group;
}

function idpRefusal(reply: FastifyReply, group: SimGroup): FastifyReply {
  return jiraError(
    reply,
    400,
    `Group '${group.name}' is managed by an external identity provider and can't be changed here.`,
  );
}

function groupBody(base: string, group: SimGroup): Record<string, unknown> {
  return {
    ...groupName(base, group),
    users: { size: group.members.size, items: [], 'max-results': 50, 'start-index': 0, 'end-index': 0 },
    expand: 'users',
  };
}

function accessTypeMatches(sim: SimRuntime, group: SimGroup, accessType: string): boolean {
  if (accessType === 'site-admin') return group.name === 'site-admins';
  if (accessType === 'admin') return group.name === 'jira-admins';
  return sim.state.applicationRoles.some((r) => r.defaultGroupIds.includes(group.groupId));
}

export function registerGroupRoutes(app: FastifyInstance, sim: SimRuntime): void {
  app.get('/rest/api/3/group/bulk', (request, reply) => {
    const query = queryOf(request);
    const startAt = intParam(query, 'startAt', 0, 0, Number.MAX_SAFE_INTEGER);
    const maxResults = intParam(query, 'maxResults', 50, 1, GROUP_PAGE_CAP);
    const ids = new Set(many(query, 'groupId'));
    const names = new Set(many(query, 'groupName').map((n) => n.toLowerCase()));
    const accessType = single(query, 'accessType');
    const applicationKey = single(query, 'applicationKey');
    if (accessType && !['site-admin', 'admin', 'user'].includes(accessType)) {
      return jiraError(
        reply,
        400,
        `Invalid accessType: ${accessType}. Valid values: 'site-admin', 'admin', 'user'.`,
      );
    }
    const role = applicationKey
      ? sim.state.applicationRoles.find((r) => r.key === applicationKey)
      : undefined;
    if (applicationKey && !role) return jiraError(reply, 400, `Invalid applicationKey: ${applicationKey}.`);
    const filtered = ids.size || names.size || accessType || role;
    const groups = !filtered
      ? sim.indexes.groups()
      : sim.indexes
          .groups()
          .filter(
            (g) =>
              (!ids.size || ids.has(g.groupId)) &&
              (!names.size || names.has(g.name.toLowerCase())) &&
              (!accessType || accessTypeMatches(sim, g, accessType)) &&
              (!role || role.defaultGroupIds.includes(g.groupId)),
          );
    const base = jiraBase(sim, request);
    return pageBean(groups, startAt, maxResults, pageUrlFor(base, request, maxResults), (g) => ({
      name: g.name,
      groupId: g.groupId,
    }));
  });

  app.post('/rest/api/3/group', (request, reply) => {
    if (!requireSiteAdmin(request, reply)) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) return jiraError(reply, 400, 'You must specify a group name.');
    if (name.length > 255)
      return jiraError(reply, 400, 'The group name must not be longer than 255 characters.');
    if (sim.indexes.groupByName(name)) return jiraError(reply, 400, 'A group with this name already exists.');
    const group: SimGroup = {
      groupId: uuid(sim.rng),
      name,
      description: '',
      idpManaged: false,
      directoryId: sim.state.directories[0]?.directoryId ?? '',
      members: new Set(),
    };
    sim.state.groups.set(group.groupId, group);
    sim.indexes.invalidate();
    return reply.code(201).send(groupBody(jiraBase(sim, request), group));
  });

  app.delete('/rest/api/3/group', (request, reply) => {
    if (!requireSiteAdmin(request, reply)) return reply;
    const group = findGroup(sim, queryOf(request), reply);
    if (!group) return reply;
    if (group.idpManaged) return idpRefusal(reply, group);
    sim.state.groups.delete(group.groupId);
    for (const project of sim.state.projects.values()) {
      for (const actors of project.roles.values()) actors.groups.delete(group.groupId);
    }
    for (const role of sim.state.applicationRoles) {
      role.defaultGroupIds = role.defaultGroupIds.filter((id) => id !== group.groupId);
    }
    sim.indexes.invalidate();
    return reply.code(200).send();
  });

  app.get('/rest/api/3/group/member', (request, reply) => {
    const query = queryOf(request);
    const group = findGroup(sim, query, reply);
    if (!group) return reply;
    const startAt = intParam(query, 'startAt', 0, 0, Number.MAX_SAFE_INTEGER);
    const maxResults = intParam(query, 'maxResults', 50, 1, MEMBER_PAGE_CAP);
    const includeInactive = boolParam(query, 'includeInactiveUsers', false);
    const members = sim.indexes.groupMembers(group.groupId, includeInactive);
    const base = jiraBase(sim, request);
    return pageBean(members, startAt, maxResults, pageUrlFor(base, request, maxResults), (id) => {
      const account = sim.state.accounts.get(id);
      return account ? userDetails(base, account) : { accountId: id };
    });
  });

  app.post('/rest/api/3/group/user', (request, reply) => {
    if (!requireSiteAdmin(request, reply)) return reply;
    const group = findGroup(sim, queryOf(request), reply);
    if (!group) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const accountId = typeof body.accountId === 'string' ? body.accountId : '';
    if (!accountId) return jiraError(reply, 400, 'You must specify the accountId of the user.');
    if (!sim.state.accounts.has(accountId)) return jiraError(reply, 404, 'Specified user does not exist.');
    if (group.idpManaged) return idpRefusal(reply, group);
    if (!addMembership(sim.state, group.groupId, accountId)) {
      return jiraError(reply, 400, `Cannot add user. User is already a member of '${group.name}'`);
    }
    return reply.code(201).send(groupBody(jiraBase(sim, request), group));
  });

  app.delete('/rest/api/3/group/user', (request: FastifyRequest, reply) => {
    if (!requireSiteAdmin(request, reply)) return reply;
    const query = queryOf(request);
    const group = findGroup(sim, query, reply);
    if (!group) return reply;
    const accountId = single(query, 'accountId');
    if (!accountId) return jiraError(reply, 400, 'You must specify the accountId of the user.');
    if (!sim.state.accounts.has(accountId)) return jiraError(reply, 404, 'Specified user does not exist.');
    if (group.idpManaged) return idpRefusal(reply, group);
    if (!removeMembership(sim.state, group.groupId, accountId)) {
      return jiraError(reply, 400, `Cannot remove user. User is not a member of '${group.name}'`);
    }
    return reply.code(200).send();
  });
}
