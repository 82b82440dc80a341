// Every Atlassian endpoint Seatwarden calls, declared as data. The client, the rate limiter and the
// pagination engine read these entries; nothing else hard-codes a path. Facts (caps, styles) come
// from /work/shared/specs and reference/atlassian-api.md.

export type Api = 'jira' | 'admin' | 'userManagement' | 'site';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type PageStyle = 'pagebean' | 'array' | 'cursorV1' | 'cursorV2Body' | 'cursorV2Query';
/** Which token bucket a call spends from: the Jira site, the org, or the org's last-active budget. */
export type BucketName = 'site' | 'org' | 'orgLastActive';

export interface PageSpec {
  style: PageStyle;
  /** Largest page the API allows; we always ask for it. 0 when the API takes no page size. */
  cap: number;
  /** Query (or body, for cursorV2Body) field that carries the page size; absent when the API has none. */
  sizeParam?: 'maxResults' | 'limit';
  /** `users/search` answers 409 when it runs longer than 10 s: retry with a smaller page. */
  shrinkOn409?: boolean;
}

export interface EndpointSpec {
  api: Api;
  method: HttpMethod;
  /** Path template; `{name}` segments are filled from path params. */
  path: string;
  bucket: BucketName;
  /** Safe to repeat after an ambiguous failure (the request may have reached the server). */
  idempotent: boolean;
  page?: PageSpec;
  /** Fixed query params the endpoint always needs. */
  defaultQuery?: Readonly<Record<string, string | readonly string[]>>;
}

const jira = (method: HttpMethod, path: string, rest: Partial<EndpointSpec> = {}): EndpointSpec => ({
  api: 'jira',
  method,
  path: `/rest/api/3${path}`,
  bucket: 'site',
  idempotent: method !== 'POST',
  ...rest,
});
const admin = (method: HttpMethod, path: string, rest: Partial<EndpointSpec> = {}): EndpointSpec => ({
  api: 'admin',
  method,
  path: `/admin${path}`,
  bucket: 'org',
  idempotent: method !== 'POST',
  ...rest,
});
const userManagement = (method: HttpMethod, path: string): EndpointSpec => ({
  api: 'userManagement',
  method,
  path: `/users/{accountId}/manage${path}`,
  bucket: 'org',
  idempotent: method !== 'POST',
});

const DIR = '/v2/orgs/{orgId}/directories/{directoryId}';
// POST searches change nothing, so they are as safe to repeat as a GET.
const search = { idempotent: true };

export const ENDPOINTS = {
  // --- Jira platform REST v3 (site or gateway base) ---
  'jira.myself': jira('GET', '/myself'),
  'jira.users.search': jira('GET', '/users/search', {
    page: { style: 'array', cap: 1000, sizeParam: 'maxResults', shrinkOn409: true },
  }),
  'jira.user.get': jira('GET', '/user'),
  'jira.user.create': jira('POST', '/user'),
  'jira.user.delete': jira('DELETE', '/user'),
  'jira.user.groups': jira('GET', '/user/groups'),
  'jira.groups.bulk': jira('GET', '/group/bulk', {
    page: { style: 'pagebean', cap: 50, sizeParam: 'maxResults' },
  }),
  'jira.group.create': jira('POST', '/group'),
  'jira.group.delete': jira('DELETE', '/group'),
  'jira.group.members': jira('GET', '/group/member', {
    page: { style: 'pagebean', cap: 50, sizeParam: 'maxResults' },
    // Inactive members still hold seats and grants: always list them.
    defaultQuery: { includeInactiveUsers: 'true' },
  }),
  'jira.group.addUser': jira('POST', '/group/user'),
  'jira.group.removeUser': jira('DELETE', '/group/user'),
  'jira.projects.search': jira('GET', '/project/search', {
    page: { style: 'pagebean', cap: 100, sizeParam: 'maxResults' },
    // The lead is the approver for project-role requests; it is absent without expand. Archived
    // projects keep their role actors, so the inventory includes them (Jira lists only live ones by default).
    defaultQuery: { expand: 'lead', status: ['live', 'archived'] },
  }),
  'jira.project.get': jira('GET', '/project/{projectIdOrKey}'),
  'jira.project.roles': jira('GET', '/project/{projectIdOrKey}/role'),
  'jira.project.role.get': jira('GET', '/project/{projectIdOrKey}/role/{roleId}'),
  'jira.project.role.addActors': jira('POST', '/project/{projectIdOrKey}/role/{roleId}'),
  'jira.project.role.removeActor': jira('DELETE', '/project/{projectIdOrKey}/role/{roleId}'),
  'jira.roles': jira('GET', '/role'),
  'jira.applicationRoles': jira('GET', '/applicationrole'),
  // Unauthenticated, always on the site itself (never the gateway).
  'site.tenantInfo': {
    api: 'site',
    method: 'GET',
    path: '/_edge/tenant_info',
    bucket: 'site',
    idempotent: true,
  },

  // --- Organizations (admin) API ---
  'admin.orgs': admin('GET', '/v1/orgs', { page: { style: 'cursorV1', cap: 0 } }),
  'admin.v1.users': admin('GET', '/v1/orgs/{orgId}/users', { page: { style: 'cursorV1', cap: 0 } }),
  'admin.lastActiveDates': admin('GET', '/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates', {
    bucket: 'orgLastActive',
  }),
  'admin.directories': admin('GET', '/v2/orgs/{orgId}/directories', {
    page: { style: 'cursorV2Query', cap: 100, sizeParam: 'limit' },
  }),
  'admin.users.search': admin('POST', `${DIR}/users/search`, {
    ...search,
    page: { style: 'cursorV2Body', cap: 100, sizeParam: 'limit' },
  }),
  'admin.user.get': admin('GET', `${DIR}/users/{accountId}`),
  'admin.user.suspend': admin('POST', `${DIR}/users/{accountId}/suspend`),
  'admin.user.restore': admin('POST', `${DIR}/users/{accountId}/restore`),
  'admin.user.remove': admin('DELETE', `${DIR}/users/{accountId}`),
  'admin.groups.search': admin('POST', `${DIR}/groups/search`, {
    ...search,
    page: { style: 'cursorV2Body', cap: 100, sizeParam: 'limit' },
  }),
  'admin.group.create': admin('POST', `${DIR}/groups`),
  'admin.group.delete': admin('DELETE', `${DIR}/groups/{groupId}`),
  'admin.group.addMember': admin('POST', `${DIR}/groups/{groupId}/memberships`),
  'admin.group.removeMember': admin('DELETE', `${DIR}/groups/{groupId}/memberships/{accountId}`),
  'admin.user.roles.assign': admin('POST', '/v1/orgs/{orgId}/users/{accountId}/roles/assign'),
  'admin.user.roles.revoke': admin('POST', '/v1/orgs/{orgId}/users/{accountId}/roles/revoke'),
  'admin.workspaces': admin('POST', '/v2/orgs/{orgId}/workspaces', {
    ...search,
    page: { style: 'cursorV2Body', cap: 1000, sizeParam: 'limit' },
  }),

  // --- User management API (account lifecycle; unscoped org key) ---
  'um.manage': userManagement('GET', ''),
  'um.profile': userManagement('GET', '/profile'),
  'um.lifecycle.disable': userManagement('POST', '/lifecycle/disable'),
  'um.lifecycle.enable': userManagement('POST', '/lifecycle/enable'),
  'um.lifecycle.delete': userManagement('POST', '/lifecycle/delete'),
  'um.lifecycle.cancelDelete': userManagement('POST', '/lifecycle/cancel-delete'),
} as const satisfies Record<string, EndpointSpec>;

export type EndpointId = keyof typeof ENDPOINTS;

export function endpointSpec(id: EndpointId): EndpointSpec {
  return ENDPOINTS[id];
}
