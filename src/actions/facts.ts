// What pre-flight checks read: Atlassian's live state (so "already done" is true now, and a
// resumed item can tell whether its call happened before a crash) and, where Atlassian has no
// cheap read, the local inventory.
import { z } from 'zod';
import {
  adminDirectories,
  adminUserSearchPages,
  AdminDirectoryUserSchema,
  AdminGroupSchema,
  isAtlassianError,
  jiraRoleActors,
  jiraProjectRoles,
  jiraUser,
  jiraUserGroups,
  JiraGroupSchema,
  normaliseGroupId,
  type AdminDirectoryUser,
  type JiraProjectRole,
  type JiraUser,
} from '../atlassian/index.ts';
import type { ActionContext } from './types.ts';

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isAtlassianError(error) && error.kind === 'not_found') return null;
    throw error;
  }
}

export function needsOrg(ctx: ActionContext): string | null {
  return ctx.orgId;
}

export interface DirectoryUser {
  directoryId: string;
  user: AdminDirectoryUser;
  groupIds: string[];
  productKeys: string[];
  orgAdmin: boolean;
}

/** The account as the organization's directory sees it, or null when it is in no directory. */
export async function directoryUser(
  ctx: ActionContext,
  orgId: string,
  accountId: string,
): Promise<DirectoryUser | null> {
  const directories = await adminDirectories(ctx.client, orgId, { accountId });
  const directoryId = directories[0]?.directoryId;
  if (directoryId === undefined) return null;
  const pages = adminUserSearchPages(ctx.client, orgId, {
    accountIds: [accountId],
    expand: ['groups', 'productAccess', 'platformRoles'],
  });
  for await (const page of pages) {
    const user = page.items.find((u) => u.accountId === accountId);
    if (!user) continue;
    return {
      directoryId,
      user,
      groupIds: (user.groups ?? []).map((g) => g.id),
      productKeys: (user.productAccess ?? []).flatMap((p) => (p.key ? [p.key] : [])),
      orgAdmin: (user.platformRoles ?? []).some((r) => roleName(r) === 'atlassian/org-admin'),
    };
  }
  return null;
}

function roleName(role: unknown): string | undefined {
  if (typeof role === 'string') return role;
  if (typeof role === 'object' && role !== null && 'id' in role && typeof role.id === 'string')
    return role.id;
  return undefined;
}

/** Directory users with this exact email (case-insensitive on Atlassian's side). */
export async function directoryUsersByEmail(
  ctx: ActionContext,
  orgId: string,
  email: string,
): Promise<AdminDirectoryUser[]> {
  const { body } = await ctx.client.request('admin.users.search', {
    pathParams: { orgId, directoryId: '-' },
    body: { emails: [email], limit: 10 },
  });
  return z.looseObject({ data: z.array(AdminDirectoryUserSchema) }).parse(body).data;
}

export function jiraUserOrNull(ctx: ActionContext, accountId: string): Promise<JiraUser | null> {
  return orNull(jiraUser(ctx.client, accountId));
}

export async function jiraGroupIdsOf(ctx: ActionContext, accountId: string): Promise<string[] | null> {
  const groups = await orNull(jiraUserGroups(ctx.client, accountId));
  return groups === null ? null : groups.flatMap((g) => (g.groupId ? [g.groupId] : []));
}

export interface GroupFacts {
  groupId: string;
  name: string;
  /** Set for groups of the organization's directories (writes go through the org API). */
  directoryId: string | null;
  idpManaged: boolean;
}

/** The group by id (or, with `byName`, by exact name), from the org when there is one, else from Jira. */
export async function findGroup(
  ctx: ActionContext,
  ref: { groupId: string } | { name: string },
): Promise<GroupFacts | null> {
  if (ctx.orgId) {
    const filter =
      'groupId' in ref ? { groupIds: [normaliseGroupId(ref.groupId)] } : { groupNames: [ref.name] };
    const { body } = await ctx.client.request('admin.groups.search', {
      pathParams: { orgId: ctx.orgId, directoryId: '-' },
      body: { ...filter, limit: 10 },
    });
    const groups = z.looseObject({ data: z.array(AdminGroupSchema) }).parse(body).data;
    const match = groups.find((g) =>
      'groupId' in ref
        ? normaliseGroupId(g.id) === normaliseGroupId(ref.groupId)
        : g.name.toLowerCase() === ref.name.toLowerCase(),
    );
    if (match) {
      return {
        groupId: normaliseGroupId(match.id),
        name: match.name,
        directoryId: match.directoryId ?? null,
        idpManaged: match.externalSynced === true || match.managementAccess?.modifiable === false,
      };
    }
    return null;
  }
  const query = 'groupId' in ref ? { groupId: ref.groupId } : { groupName: ref.name };
  const { body } = await ctx.client.request('jira.groups.bulk', { query });
  const values = z.looseObject({ values: z.array(JiraGroupSchema) }).parse(body).values;
  const match = values[0];
  if (!match) return null;
  const stored = await ctx.db
    .selectFrom('groups')
    .select('idp_managed')
    .where('integration_id', '=', ctx.integrationId)
    .where('group_id', '=', match.groupId)
    .executeTakeFirst();
  return {
    groupId: match.groupId,
    name: match.name,
    directoryId: null,
    idpManaged: stored?.idp_managed === 1,
  };
}

export interface RoleFacts {
  projectId: string;
  projectKey: string;
  roleId: number;
  role: JiraProjectRole;
}

/** The project role by project key or id and role id or name, with its current actors. */
export async function findRole(ctx: ActionContext, project: string, role: string): Promise<RoleFacts | null> {
  const roles = await orNull(jiraProjectRoles(ctx.client, project));
  if (roles === null) return null;
  const match = roles.find((r) => String(r.id) === role || r.name.toLowerCase() === role.toLowerCase());
  if (!match) return null;
  const actors = await jiraRoleActors(ctx.client, project, match.id);
  const stored = await ctx.db
    .selectFrom('projects')
    .select(['project_id', 'project_key'])
    .where('integration_id', '=', ctx.integrationId)
    .where((eb) => eb.or([eb('project_key', '=', project), eb('project_id', '=', project)]))
    .executeTakeFirst();
  return {
    projectId: stored?.project_id ?? project,
    projectKey: stored?.project_key ?? project,
    roleId: match.id,
    role: actors,
  };
}

export function roleHasActor(
  role: JiraProjectRole,
  actor: { accountId: string } | { groupId: string },
): boolean {
  return (role.actors ?? []).some((a) =>
    'accountId' in actor
      ? a.actorUser?.accountId === actor.accountId
      : a.actorGroup?.groupId === actor.groupId,
  );
}

export async function inventoryAccount(ctx: ActionContext, accountId: string) {
  return ctx.db
    .selectFrom('accounts')
    .selectAll()
    .where('integration_id', '=', ctx.integrationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function inventoryGroupKnown(ctx: ActionContext, groupId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('groups')
    .select('group_id')
    .where('integration_id', '=', ctx.integrationId)
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function inventoryProduct(ctx: ActionContext, productKey: string) {
  return ctx.db
    .selectFrom('products')
    .select(['product_key', 'ari', 'name'])
    .where('integration_id', '=', ctx.integrationId)
    .where('product_key', '=', productKey)
    .executeTakeFirst();
}
