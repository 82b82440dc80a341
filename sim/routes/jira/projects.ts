// Jira project and project-role endpoints: project/search, project/{key}, roles and role actors.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimProject, SimRoleActors, SimRoleDefinition } from '../../model.ts';
import { addRoleActor, removeRoleActor } from '../../mutate.ts';
import type { SimRuntime } from '../../runtime.ts';
import {
  boolParam,
  expandSet,
  formerUser,
  intParam,
  jiraBase,
  jiraError,
  many,
  pageBean,
  pageUrlFor,
  queryOf,
  single,
  userJson,
} from './render.ts';

const PROJECT_PAGE_CAP = 100;
type ProjectParams = { projectIdOrKey: string };
type RoleParams = { projectIdOrKey: string; id: string };

function projectAvatars(base: string, project: SimProject) {
  const url = (size: string) => `${base}/secure/projectavatar?size=${size}&pid=${project.id}`;
  return { '16x16': url('xsmall'), '24x24': url('small'), '32x32': url('medium'), '48x48': url('large') };
}

function leadJson(sim: SimRuntime, base: string, project: SimProject) {
  const lead = sim.state.accounts.get(project.leadAccountId);
  return lead ? userJson(base, lead) : formerUser(base, project.leadAccountId);
}

function projectJson(
  sim: SimRuntime,
  base: string,
  project: SimProject,
  expand: Set<string>,
  single: boolean,
) {
  const out: Record<string, unknown> = {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: `${base}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    avatarUrls: projectAvatars(base, project),
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    style: 'classic',
    isPrivate: false,
    properties: {},
  };
  if (project.archived) out.archived = true;
  if (single || expand.has('description')) out.description = '';
  if (single || expand.has('lead')) out.lead = leadJson(sim, base, project);
  if (single) {
    out.assigneeType = 'UNASSIGNED';
    out.components = [];
    out.versions = [];
    out.issueTypes = [];
    out.roles = roleMap(sim, base, project);
  }
  return out;
}

function roleMap(sim: SimRuntime, base: string, project: SimProject): Record<string, string> {
  const map: Record<string, string> = {};
  for (const def of sim.state.roleDefinitions) {
    if (project.roles.has(def.id)) map[def.name] = `${base}/rest/api/3/project/${project.key}/role/${def.id}`;
  }
  return map;
}

function roleJson(
  sim: SimRuntime,
  base: string,
  project: SimProject,
  def: SimRoleDefinition,
  actors: SimRoleActors,
  excludeInactive: boolean,
) {
  const list: Record<string, unknown>[] = [];
  let actorId = 10000 + def.id * 10;
  for (const groupId of actors.groups) {
    const group = sim.state.groups.get(groupId);
    if (!group) continue;
    list.push({
      id: actorId++,
      displayName: group.name,
      type: 'atlassian-group-role-actor',
      name: group.name,
      actorGroup: { name: group.name, displayName: group.name, groupId: group.groupId },
    });
  }
  for (const accountId of actors.users) {
    const account = sim.state.accounts.get(accountId);
    if (!account || (excludeInactive && !account.jiraActive)) continue;
    list.push({
      id: actorId++,
      displayName: account.displayName,
      type: 'atlassian-user-role-actor',
      actorUser: { accountId },
    });
  }
  return {
    self: `${base}/rest/api/3/project/${project.key}/role/${def.id}`,
    name: def.name,
    id: def.id,
    description: def.description,
    actors: list,
    scope: { type: 'PROJECT', project: { id: project.id, key: project.key, name: project.name } },
  };
}

function sortProjects(projects: readonly SimProject[], orderBy: string): SimProject[] {
  const desc = orderBy.startsWith('-');
  const field = orderBy.replace(/^[-+]/, '');
  const value = (p: SimProject): string | number =>
    field === 'name' ? p.name.toLowerCase() : field === 'id' ? Number(p.id) : p.key;
  const sorted = [...projects].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return desc ? sorted.reverse() : sorted;
}

/** Project-role reads and writes need Administer Projects; Jira answers 404, not 403. */
function resolveRole(sim: SimRuntime, request: FastifyRequest<{ Params: RoleParams }>, reply: FastifyReply) {
  const principal = request.principal;
  const project = sim.indexes.projectByKeyOrId(request.params.projectIdOrKey);
  const def = sim.state.roleDefinitions.find((r) => String(r.id) === request.params.id);
  if (principal?.kind !== 'site' || !principal.admin || !project || !def) {
    void jiraError(reply, 404, 'No project could be found with key or the project role does not exist.');
    return null;
  }
  return {
    project,
    def,
    actors: project.roles.get(def.id) ?? { users: new Set<string>(), groups: new Set<string>() },
  };
}

export function registerProjectRoutes(app: FastifyInstance, sim: SimRuntime): void {
  app.get('/rest/api/3/project/search', (request, reply) => {
    const query = queryOf(request);
    const startAt = intParam(query, 'startAt', 0, 0, Number.MAX_SAFE_INTEGER);
    const maxResults = intParam(query, 'maxResults', 50, 1, PROJECT_PAGE_CAP);
    const orderBy = single(query, 'orderBy') ?? 'key';
    if (
      !/^[-+]?(key|name|id|category|owner|issueCount|lastIssueUpdatedDate|archivedDate|deletedDate)$/.test(
        orderBy,
      )
    ) {
      return jiraError(reply, 400, `Invalid orderBy: ${orderBy}`);
    }
    const ids = new Set(many(query, 'id').slice(0, 50));
    const keys = new Set(
      many(query, 'keys')
        .slice(0, 50)
        .map((k) => k.toUpperCase()),
    );
    const text = single(query, 'query')?.toLowerCase();
    const types = new Set(many(query, 'typeKey').flatMap((t) => t.split(',')));
    const statuses = new Set(many(query, 'status'));
    if (statuses.size === 0) statuses.add('live');
    const matches = sim.indexes
      .projects()
      .filter(
        (p) =>
          statuses.has(p.archived ? 'archived' : 'live') &&
          (!ids.size || ids.has(p.id)) &&
          (!keys.size || keys.has(p.key)) &&
          (!types.size || types.has(p.projectTypeKey)) &&
          (!text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text)),
      );
    const base = jiraBase(sim, request);
    const expand = expandSet(query);
    return pageBean(
      sortProjects(matches, orderBy),
      startAt,
      maxResults,
      pageUrlFor(base, request, maxResults),
      (p) => projectJson(sim, base, p, expand, false),
    );
  });

  app.get<{ Params: ProjectParams }>('/rest/api/3/project/:projectIdOrKey', (request, reply) => {
    const project = sim.indexes.projectByKeyOrId(request.params.projectIdOrKey);
    if (!project)
      return jiraError(reply, 404, `No project could be found with key '${request.params.projectIdOrKey}'.`);
    return projectJson(sim, jiraBase(sim, request), project, expandSet(queryOf(request)), true);
  });

  app.get<{ Params: ProjectParams }>('/rest/api/3/project/:projectIdOrKey/role', (request, reply) => {
    const principal = request.principal;
    const project = sim.indexes.projectByKeyOrId(request.params.projectIdOrKey);
    if (principal?.kind !== 'site' || !principal.admin || !project) {
      return jiraError(reply, 404, `No project could be found with key '${request.params.projectIdOrKey}'.`);
    }
    return roleMap(sim, jiraBase(sim, request), project);
  });

  app.get<{ Params: RoleParams }>('/rest/api/3/project/:projectIdOrKey/role/:id', (request, reply) => {
    const found = resolveRole(sim, request, reply);
    if (!found) return reply;
    const excludeInactive = boolParam(queryOf(request), 'excludeInactiveUsers', false);
    return roleJson(sim, jiraBase(sim, request), found.project, found.def, found.actors, excludeInactive);
  });

  app.post<{ Params: RoleParams }>('/rest/api/3/project/:projectIdOrKey/role/:id', (request, reply) => {
    const found = resolveRole(sim, request, reply);
    if (!found) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const list = (key: string): string[] | null => {
      const value = body[key];
      if (value === undefined) return [];
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
    };
    const users = list('user');
    const groupIds = list('groupId');
    const groupNames = list('group');
    if (!users || !groupIds || !groupNames) return jiraError(reply, 400, 'Actors must be arrays of strings.');
    if (groupIds.length && groupNames.length)
      return jiraError(reply, 400, 'You must not specify both group and groupId.');
    if (!users.length && !groupIds.length && !groupNames.length)
      return jiraError(reply, 400, 'You must specify at least one actor.');
    // Validate everything first so a refused request changes nothing.
    for (const accountId of users) {
      if (sim.state.accounts.get(accountId)?.jiraActive !== true) {
        return jiraError(reply, 404, `We can't find an active user with the account ID '${accountId}'.`);
      }
    }
    const resolvedGroups: string[] = [];
    for (const ref of groupIds) {
      if (!sim.state.groups.has(ref))
        return jiraError(reply, 404, `We can't find the group with ID '${ref}'.`);
      resolvedGroups.push(ref);
    }
    for (const ref of groupNames) {
      const group = sim.indexes.groupByName(ref);
      if (!group) return jiraError(reply, 404, `We can't find the group '${ref}'.`);
      resolvedGroups.push(group.groupId);
    }
    const duplicate =
      users.find((u) => found.actors.users.has(u)) ?? resolvedGroups.find((g) => found.actors.groups.has(g));
    if (duplicate !== undefined)
      return jiraError(reply, 400, `'${duplicate}' is already a member of the project role.`);
    for (const accountId of users) addRoleActor(sim.state, found.project.id, found.def.id, { accountId });
    for (const groupId of resolvedGroups)
      addRoleActor(sim.state, found.project.id, found.def.id, { groupId });
    const actors = found.project.roles.get(found.def.id) ?? found.actors;
    return roleJson(sim, jiraBase(sim, request), found.project, found.def, actors, false);
  });

  app.delete<{ Params: RoleParams }>('/rest/api/3/project/:projectIdOrKey/role/:id', (request, reply) => {
    const found = resolveRole(sim, request, reply);
    if (!found) return reply;
    const query = queryOf(request);
    const user = single(query, 'user');
    const groupId = single(query, 'groupId');
    const groupNameParam = single(query, 'group');
    if ([user, groupId, groupNameParam].filter((v) => v !== undefined).length !== 1) {
      return jiraError(reply, 400, 'You must specify exactly one of user, groupId or group.');
    }
    const resolvedGroup =
      groupNameParam !== undefined ? sim.indexes.groupByName(groupNameParam)?.groupId : groupId;
    const removed =
      user !== undefined
        ? removeRoleActor(sim.state, found.project.id, found.def.id, { accountId: user })
        : resolvedGroup !== undefined &&
          removeRoleActor(sim.state, found.project.id, found.def.id, { groupId: resolvedGroup });
    if (!removed) return jiraError(reply, 404, 'The actor is not a member of the project role.');
    return reply.code(204).send();
  });

  app.get('/rest/api/3/role', (request, reply) => {
    const principal = request.principal;
    if (principal?.kind !== 'site' || !principal.admin) {
      return jiraError(reply, 403, 'You do not have the permission to view project roles.');
    }
    const base = jiraBase(sim, request);
    return sim.state.roleDefinitions.map((def) => ({
      self: `${base}/rest/api/3/role/${def.id}`,
      name: def.name,
      id: def.id,
      description: def.description,
      actors: [],
    }));
  });
}
