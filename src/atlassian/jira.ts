// Typed Jira platform REST v3 calls for sync and actions.
import { z } from 'zod';
import type { AtlassianClient } from './client.ts';
import { AtlassianError } from './errors.ts';
import { paginate, type Page, type ResumeToken } from './paginate.ts';
import {
  JiraApplicationRoleSchema,
  JiraGroupNameSchema,
  JiraGroupSchema,
  JiraProjectRoleMapSchema,
  JiraProjectRoleSchema,
  JiraProjectSchema,
  JiraUserSchema,
  type JiraApplicationRole,
  type JiraGroup,
  type JiraGroupName,
  type JiraProject,
  type JiraProjectRole,
  type JiraUser,
} from './types.ts';
import { parseBody, typedPages } from './validate.ts';

// ---------- reads ----------

export async function jiraMyself(client: AtlassianClient): Promise<JiraUser> {
  const { body } = await client.request('jira.myself');
  return parseBody(JiraUserSchema, body, 'jira.myself');
}

/** Every account of every type (atlassian, app, customer), active or not. */
export function jiraUsersPages(
  client: AtlassianClient,
  resume?: ResumeToken,
): AsyncGenerator<Page<JiraUser>> {
  const endpoint = 'jira.users.search';
  return typedPages(paginate(client, endpoint, {}, resumeOption(resume)), JiraUserSchema, endpoint);
}

export async function jiraUser(client: AtlassianClient, accountId: string): Promise<JiraUser> {
  const { body } = await client.request('jira.user.get', {
    query: { accountId, expand: 'groups,applicationRoles' },
  });
  return parseBody(JiraUserSchema, body, 'jira.user.get');
}

export async function jiraUserGroups(client: AtlassianClient, accountId: string): Promise<JiraGroupName[]> {
  const { body } = await client.request('jira.user.groups', { query: { accountId } });
  return parseBody(z.array(JiraGroupNameSchema), body, 'jira.user.groups');
}

export function jiraGroupPages(
  client: AtlassianClient,
  resume?: ResumeToken,
): AsyncGenerator<Page<JiraGroup>> {
  const endpoint = 'jira.groups.bulk';
  return typedPages(paginate(client, endpoint, {}, resumeOption(resume)), JiraGroupSchema, endpoint);
}

/** Members of one group, inactive ones included. */
export function jiraGroupMemberPages(
  client: AtlassianClient,
  groupId: string,
  resume?: ResumeToken,
): AsyncGenerator<Page<JiraUser>> {
  const endpoint = 'jira.group.members';
  return typedPages(
    paginate(client, endpoint, { query: { groupId } }, resumeOption(resume)),
    JiraUserSchema,
    endpoint,
  );
}

/** Projects with their lead (expand=lead is part of the endpoint declaration). */
export function jiraProjectPages(
  client: AtlassianClient,
  resume?: ResumeToken,
): AsyncGenerator<Page<JiraProject>> {
  const endpoint = 'jira.projects.search';
  return typedPages(paginate(client, endpoint, {}, resumeOption(resume)), JiraProjectSchema, endpoint);
}

export async function jiraProject(client: AtlassianClient, projectIdOrKey: string): Promise<JiraProject> {
  const { body } = await client.request('jira.project.get', { pathParams: { projectIdOrKey } });
  return parseBody(JiraProjectSchema, body, 'jira.project.get');
}

/** The project's roles as `{id, name}`; Jira answers a name → URL map, the id is the URL's last segment. */
export async function jiraProjectRoles(
  client: AtlassianClient,
  projectIdOrKey: string,
): Promise<{ id: number; name: string }[]> {
  const endpoint = 'jira.project.roles';
  const { body } = await client.request(endpoint, { pathParams: { projectIdOrKey } });
  const map = parseBody(JiraProjectRoleMapSchema, body, endpoint);
  return Object.entries(map).map(([name, url]) => {
    const match = /\/role\/(\d+)\/?$/.exec(url);
    if (!match?.[1]) {
      throw new AtlassianError(`${endpoint} gave role "${name}" a URL without a role id`, {
        kind: 'invalid',
        endpoint,
        retryable: false,
      });
    }
    return { id: Number(match[1]), name };
  });
}

export async function jiraRoleActors(
  client: AtlassianClient,
  projectIdOrKey: string,
  roleId: number,
): Promise<JiraProjectRole> {
  const { body } = await client.request('jira.project.role.get', {
    pathParams: { projectIdOrKey, roleId: String(roleId) },
  });
  return parseBody(JiraProjectRoleSchema, body, 'jira.project.role.get');
}

export async function jiraRoles(client: AtlassianClient): Promise<JiraProjectRole[]> {
  const { body } = await client.request('jira.roles');
  return parseBody(z.array(JiraProjectRoleSchema), body, 'jira.roles');
}

export async function jiraApplicationRoles(client: AtlassianClient): Promise<JiraApplicationRole[]> {
  const { body } = await client.request('jira.applicationRoles');
  return parseBody(z.array(JiraApplicationRoleSchema), body, 'jira.applicationRoles');
}

// ---------- writes ----------

export type JiraProductKey = 'jira-core' | 'jira-servicedesk' | 'jira-product-discovery' | 'jira-software';

/** Legacy invite; needs an org-admin caller. `products: []` creates a user without product access. */
export async function jiraCreateUser(
  client: AtlassianClient,
  input: { emailAddress: string; products: JiraProductKey[] },
): Promise<JiraUser> {
  const { body } = await client.request('jira.user.create', { body: input });
  return parseBody(JiraUserSchema, body, 'jira.user.create');
}

/** Removes the user from Jira only; the Atlassian account stays. */
export async function jiraDeleteUser(client: AtlassianClient, accountId: string): Promise<void> {
  await client.request('jira.user.delete', { query: { accountId } });
}

export async function jiraCreateGroup(client: AtlassianClient, name: string): Promise<JiraGroup> {
  const { body } = await client.request('jira.group.create', { body: { name } });
  return parseBody(JiraGroupSchema, body, 'jira.group.create');
}

export async function jiraDeleteGroup(client: AtlassianClient, groupId: string): Promise<void> {
  await client.request('jira.group.delete', { query: { groupId } });
}

export async function jiraAddUserToGroup(
  client: AtlassianClient,
  groupId: string,
  accountId: string,
): Promise<void> {
  await client.request('jira.group.addUser', { query: { groupId }, body: { accountId } });
}

export async function jiraRemoveUserFromGroup(
  client: AtlassianClient,
  groupId: string,
  accountId: string,
): Promise<void> {
  await client.request('jira.group.removeUser', { query: { groupId, accountId } });
}

export type RoleActor = { kind: 'user'; accountId: string } | { kind: 'group'; groupId: string };

export async function jiraAddRoleActor(
  client: AtlassianClient,
  projectIdOrKey: string,
  roleId: number,
  actor: RoleActor,
): Promise<JiraProjectRole> {
  const body = actor.kind === 'user' ? { user: [actor.accountId] } : { groupId: [actor.groupId] };
  const response = await client.request('jira.project.role.addActors', {
    pathParams: { projectIdOrKey, roleId: String(roleId) },
    body,
  });
  return parseBody(JiraProjectRoleSchema, response.body, 'jira.project.role.addActors');
}

export async function jiraRemoveRoleActor(
  client: AtlassianClient,
  projectIdOrKey: string,
  roleId: number,
  actor: RoleActor,
): Promise<void> {
  await client.request('jira.project.role.removeActor', {
    pathParams: { projectIdOrKey, roleId: String(roleId) },
    query: actor.kind === 'user' ? { user: actor.accountId } : { groupId: actor.groupId },
  });
}

function resumeOption(resume: ResumeToken | undefined): { resume?: ResumeToken } {
  return resume ? { resume } : {};
}
