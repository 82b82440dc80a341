// The two sync plans and the smallest number of API calls each can make for a given org.
// These formulas are the yardstick for the call-efficiency tests and the benchmarks.

export type SyncPlanKind = 'org' | 'jira';

/** Page caps of the endpoints the plans use (see src/atlassian/endpoints.ts). */
export const PAGE_CAPS = {
  jiraUsers: 1000, // GET /rest/api/3/users/search: bare array, ends on an empty page
  jiraGroups: 50, // GET /rest/api/3/group/bulk: PageBean, ends on isLast
  jiraGroupMembers: 50, // GET /rest/api/3/group/member: PageBean
  jiraProjects: 100, // GET /rest/api/3/project/search: PageBean
  directoryUsers: 100, // POST /admin/v2/.../users/search: cursor, ends without links.next
  directoryGroups: 100, // POST /admin/v2/.../groups/search
} as const;

export interface OrgShape {
  /** Every account Jira lists (all types). */
  jiraUsers: number;
  /** Accounts in the org directory (managed and unmanaged). */
  directoryUsers: number;
  /** App accounts: outside the directory, so the org plan asks Jira for their groups one by one. */
  appAccounts: number;
  groups: number;
  /** Member count of each group, for the Jira-only plan. */
  groupSizes: readonly number[];
  /** Number of roles of each project. */
  projectRoleCounts: readonly number[];
}

const pages = (items: number, cap: number): number => Math.max(1, Math.ceil(items / cap));

/**
 * Minimal calls:
 *   users/search            ceil(U / 1000) + 1   (a short page is not the end: one more, empty, page)
 *   projects                ceil(P / 100)
 *   roles per project       P                    (GET /project/{key}/role)
 *   role actors             Σ roles(p)           (GET /project/{key}/role/{id})
 *   application roles       1
 * org plan adds            ceil(D / 100) directory users (with groups and products) + ceil(G / 100) directory
 *                          groups + 1 workspaces + A (GET /user/groups for each app account, which the
 *                          directory does not list)
 * jira plan adds           ceil(G / 50) groups + Σ max(1, ceil(members(g) / 50)) group members
 */
export function minimalCalls(plan: SyncPlanKind, shape: OrgShape): number {
  const projects = shape.projectRoleCounts.length;
  const common =
    Math.ceil(shape.jiraUsers / PAGE_CAPS.jiraUsers) +
    1 +
    pages(projects, PAGE_CAPS.jiraProjects) +
    projects +
    shape.projectRoleCounts.reduce((sum, roles) => sum + roles, 0) +
    1;
  if (plan === 'org') {
    return (
      common +
      pages(shape.directoryUsers, PAGE_CAPS.directoryUsers) +
      pages(shape.groups, PAGE_CAPS.directoryGroups) +
      1 +
      shape.appAccounts
    );
  }
  return (
    common +
    pages(shape.groups, PAGE_CAPS.jiraGroups) +
    shape.groupSizes.reduce((sum, size) => sum + pages(size, PAGE_CAPS.jiraGroupMembers), 0)
  );
}
