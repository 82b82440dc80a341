// The reference an admin would otherwise write: a plain, sequential script on jira.js, the most used
// Jira client, paging the way its documentation and the REST reference show (default page sizes,
// startAt loops, one call at a time). It reads users, groups with their members, and project roles.
import { Version3Client } from 'jira.js';

export interface ScriptTarget {
  siteUrl: string;
  email: string;
  apiToken: string;
}

export interface ScriptResult {
  wallMs: number;
  users: number;
  groups: number;
  memberships: number;
  projects: number;
  roleActors: number;
  /** Set when the script stopped on an error (jira.js does not retry, e.g. on a 429). */
  error?: string;
}

export async function runJiraJsScript(target: ScriptTarget): Promise<ScriptResult> {
  const client = new Version3Client({
    host: target.siteUrl,
    authentication: { basic: { email: target.email, apiToken: target.apiToken } },
  });
  const result: ScriptResult = { wallMs: 0, users: 0, groups: 0, memberships: 0, projects: 0, roleActors: 0 };
  const started = performance.now();
  try {
    // users/search returns a bare array; an empty page is the end.
    for (let startAt = 0; ;) {
      const users = await client.users.getAllUsers({ startAt });
      if (users.length === 0) break;
      result.users += users.length;
      startAt += users.length;
    }
    for (let startAt = 0, last = false; !last;) {
      const page = await client.groups.bulkGetGroups({ startAt });
      const groups = page.values ?? [];
      result.groups += groups.length;
      for (const group of groups) {
        if (!group.groupId) continue;
        for (let memberStart = 0, membersLast = false; !membersLast;) {
          const members = await client.groups.getUsersFromGroup({
            groupId: group.groupId,
            startAt: memberStart,
            includeInactiveUsers: true,
          });
          const values = members.values ?? [];
          result.memberships += values.length;
          memberStart += values.length;
          membersLast = members.isLast ?? values.length === 0;
        }
      }
      startAt += groups.length;
      last = page.isLast ?? groups.length === 0;
    }
    for (let startAt = 0, last = false; !last;) {
      const page = await client.projects.searchProjects({ startAt });
      const projects = page.values;
      result.projects += projects.length;
      for (const project of projects) {
        const roles = await client.projectRoles.getProjectRoles({ projectIdOrKey: project.id });
        for (const url of Object.values(roles)) {
          const id = Number(url.split('/').pop());
          const role = await client.projectRoles.getProjectRole({ projectIdOrKey: project.id, id });
          result.roleActors += role.actors?.length ?? 0;
        }
      }
      startAt += projects.length;
      last = page.isLast || projects.length === 0;
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  result.wallMs = performance.now() - started;
  return result;
}
