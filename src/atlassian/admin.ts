// Typed Organizations (admin) API calls. Directory-scoped writes need the user's directoryId;
// `-` (all directories) works only for reads and searches.
import { z } from 'zod';
import type { AtlassianClient } from './client.ts';
import { collectAll, paginate, type Page, type ResumeToken } from './paginate.ts';
import {
  AdminDirectorySchema,
  AdminDirectoryUserSchema,
  AdminGroupSchema,
  AdminLastActiveSchema,
  AdminOrgSchema,
  AdminV1UserSchema,
  AdminWorkspaceSchema,
  type AdminDirectory,
  type AdminDirectoryUser,
  type AdminGroup,
  type AdminLastActive,
  type AdminOrg,
  type AdminV1User,
  type AdminWorkspace,
} from './types.ts';
import { parseBody, typedPages } from './validate.ts';

export const ALL_DIRECTORIES = '-';
const GROUP_ARI_PREFIX = 'ari:cloud:identity::group/';

/** Admin v2 returns group ids both as plain UUIDs and as ARIs; store the UUID. */
export function normaliseGroupId(id: string): string {
  return id.startsWith(GROUP_ARI_PREFIX) ? id.slice(GROUP_ARI_PREFIX.length) : id;
}

export async function adminOrgs(client: AtlassianClient): Promise<AdminOrg[]> {
  return collectAll(typedPages(paginate(client, 'admin.orgs'), AdminOrgSchema, 'admin.orgs'));
}

/** Managed accounts only (verified domains); carries access_billable and last_active. */
export function adminV1UserPages(
  client: AtlassianClient,
  orgId: string,
  resume?: ResumeToken,
): AsyncGenerator<Page<AdminV1User>> {
  const endpoint = 'admin.v1.users';
  return typedPages(
    paginate(client, endpoint, { pathParams: { orgId } }, resumeOption(resume)),
    AdminV1UserSchema,
    endpoint,
  );
}

/** Per-product last active; budget 200 requests per minute per org (own token bucket). */
export async function adminLastActiveDates(
  client: AtlassianClient,
  orgId: string,
  accountId: string,
): Promise<AdminLastActive> {
  const endpoint = 'admin.lastActiveDates';
  const { body } = await client.request(endpoint, { pathParams: { orgId, accountId } });
  return parseBody(AdminLastActiveSchema, body, endpoint).data;
}

export async function adminDirectories(
  client: AtlassianClient,
  orgId: string,
  filter: { accountId?: string } = {},
): Promise<AdminDirectory[]> {
  const endpoint = 'admin.directories';
  const params = { pathParams: { orgId }, query: { accountId: filter.accountId } };
  return collectAll(typedPages(paginate(client, endpoint, params), AdminDirectorySchema, endpoint));
}

export type AdminUserExpand = 'productAccess' | 'groups' | 'platformRoles' | 'counts.resources';

export interface AdminUserSearch {
  directoryId?: string;
  expand?: AdminUserExpand[];
  accountIds?: string[];
  claimStatus?: 'managed' | 'unmanaged';
  resume?: ResumeToken;
}

/** Everyone in the org (managed or not), with product access and groups when expanded. */
export function adminUserSearchPages(
  client: AtlassianClient,
  orgId: string,
  search: AdminUserSearch = {},
): AsyncGenerator<Page<AdminDirectoryUser>> {
  const endpoint = 'admin.users.search';
  const { directoryId = ALL_DIRECTORIES, resume, ...filters } = search;
  const params = { pathParams: { orgId, directoryId }, body: filters };
  const pages = typedPages(
    paginate(client, endpoint, params, resumeOption(resume)),
    AdminDirectoryUserSchema,
    endpoint,
  );
  return mapItems(pages, (user) => ({
    ...user,
    ...(user.groups ? { groups: user.groups.map((g) => ({ ...g, id: normaliseGroupId(g.id) })) } : {}),
  }));
}

export function adminGroupSearchPages(
  client: AtlassianClient,
  orgId: string,
  search: {
    directoryId?: string;
    expand?: ('counts.users' | 'counts.resources')[];
    resume?: ResumeToken;
  } = {},
): AsyncGenerator<Page<AdminGroup>> {
  const endpoint = 'admin.groups.search';
  const { directoryId = ALL_DIRECTORIES, resume, ...filters } = search;
  const params = { pathParams: { orgId, directoryId }, body: filters };
  const pages = typedPages(
    paginate(client, endpoint, params, resumeOption(resume)),
    AdminGroupSchema,
    endpoint,
  );
  return mapItems(pages, (group) => ({ ...group, id: normaliseGroupId(group.id) }));
}

export async function adminUser(
  client: AtlassianClient,
  orgId: string,
  directoryId: string,
  accountId: string,
): Promise<AdminDirectoryUser> {
  const endpoint = 'admin.user.get';
  const { body } = await client.request(endpoint, { pathParams: { orgId, directoryId, accountId } });
  return parseBody(z.looseObject({ data: AdminDirectoryUserSchema }), body, endpoint).data;
}

export function adminWorkspacePages(
  client: AtlassianClient,
  orgId: string,
): AsyncGenerator<Page<AdminWorkspace>> {
  const endpoint = 'admin.workspaces';
  return typedPages(
    paginate(client, endpoint, { pathParams: { orgId }, body: {} }),
    AdminWorkspaceSchema,
    endpoint,
  );
}

// ---------- writes (directory-scoped) ----------

export interface DirectoryUserRef {
  orgId: string;
  directoryId: string;
  accountId: string;
}

export async function adminSuspendUser(client: AtlassianClient, ref: DirectoryUserRef): Promise<void> {
  await client.request('admin.user.suspend', { pathParams: { ...ref } });
}

export async function adminRestoreUser(client: AtlassianClient, ref: DirectoryUserRef): Promise<void> {
  await client.request('admin.user.restore', { pathParams: { ...ref } });
}

/** Removes the user from the directory: roles and groups are lost; re-invite to undo. */
export async function adminRemoveUser(client: AtlassianClient, ref: DirectoryUserRef): Promise<void> {
  await client.request('admin.user.remove', { pathParams: { ...ref } });
}

export async function adminCreateGroup(
  client: AtlassianClient,
  target: { orgId: string; directoryId: string },
  group: { name: string; description?: string },
): Promise<void> {
  await client.request('admin.group.create', { pathParams: { ...target }, body: group });
}

export async function adminDeleteGroup(
  client: AtlassianClient,
  target: { orgId: string; directoryId: string; groupId: string },
): Promise<void> {
  await client.request('admin.group.delete', {
    pathParams: { ...target, groupId: normaliseGroupId(target.groupId) },
  });
}

export async function adminAddGroupMember(
  client: AtlassianClient,
  target: { orgId: string; directoryId: string; groupId: string },
  accountId: string,
): Promise<void> {
  await client.request('admin.group.addMember', {
    pathParams: { ...target, groupId: normaliseGroupId(target.groupId) },
    body: { accountId },
  });
}

export async function adminRemoveGroupMember(
  client: AtlassianClient,
  target: { orgId: string; directoryId: string; groupId: string },
  accountId: string,
): Promise<void> {
  await client.request('admin.group.removeMember', {
    pathParams: { ...target, groupId: normaliseGroupId(target.groupId), accountId },
  });
}

export type AdminProductRole =
  | 'atlassian/user'
  | 'atlassian/user-access-admin'
  | 'atlassian/admin'
  | 'atlassian/guest'
  | 'atlassian/contributor'
  | 'atlassian/customer'
  | 'atlassian/basic'
  | 'atlassian/stakeholder'
  | 'atlassian/site-admin';

/** Grants product access: `resource` is the product ARI, e.g. `ari:cloud:jira::site/<cloudId>`. */
export async function adminAssignRole(
  client: AtlassianClient,
  orgId: string,
  accountId: string,
  grant: { role: AdminProductRole; resource: string },
): Promise<void> {
  await client.request('admin.user.roles.assign', { pathParams: { orgId, accountId }, body: grant });
}

export async function adminRevokeRole(
  client: AtlassianClient,
  orgId: string,
  accountId: string,
  grant: { role: AdminProductRole; resource: string },
): Promise<void> {
  await client.request('admin.user.roles.revoke', { pathParams: { orgId, accountId }, body: grant });
}

async function* mapItems<T, U>(pages: AsyncIterable<Page<T>>, map: (item: T) => U): AsyncGenerator<Page<U>> {
  for await (const page of pages) yield { ...page, items: page.items.map(map) };
}

function resumeOption(resume: ResumeToken | undefined): { resume?: ResumeToken } {
  return resume ? { resume } : {};
}
