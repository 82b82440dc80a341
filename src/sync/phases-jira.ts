// Phases that read the Jira platform API. Both plans use the user list, projects with roles, and
// application roles; only the Jira-only plan reads groups and their members from Jira.
import {
  jiraApplicationRoles,
  jiraGroupMemberPages,
  jiraGroupPages,
  jiraProjectPages,
  jiraProjectRoles,
  jiraRoleActors,
  jiraUserGroups,
  jiraUsersPages,
  type JiraUser,
} from '../atlassian/index.ts';
import { productKeyForJiraApplication } from '../domain/inventory.ts';
import type { SyncPlanKind } from '../domain/sync-plan.ts';
import {
  replaceProducts,
  upsertAccounts,
  upsertGroups,
  upsertMemberships,
  upsertProjects,
  upsertRoleActors,
  upsertRoles,
  type AccountInput,
  type RoleActorInput,
} from '../storage/inventory-writes.ts';
import { forEachConcurrently, streamPages, type Phase } from './context.ts';

/**
 * In the org plan the directory is the authority on an Atlassian account's status and email; Jira
 * only adds what the directory lacks (apps, customers, Jira's own `active` flag). A hidden email
 * is "unknown", never a change to null.
 */
function accountFromJira(user: JiraUser, plan: SyncPlanKind): AccountInput {
  const type = user.accountType ?? 'unknown';
  const jiraIsAuthority = plan === 'jira' || type !== 'atlassian';
  return {
    accountId: user.accountId,
    accountType: type,
    appType: user.appType ?? null,
    jiraActive: user.active ?? null,
    displayName: user.displayName ?? null,
    ...(user.emailAddress ? { email: user.emailAddress } : {}),
    ...(jiraIsAuthority ? { status: user.active === false ? 'inactive' : 'active' } : {}),
  };
}

/**
 * Every account Jira knows. In the org plan the directory supplies people's groups, but app accounts
 * are outside the directory, so their groups are asked of Jira one account at a time.
 */
export function jiraUsersPhase(plan: SyncPlanKind): Phase {
  return {
    name: 'jiraUsers',
    run: (ctx, state, save) =>
      streamPages(
        ctx,
        'jiraUsers',
        state,
        save,
        (resume) => jiraUsersPages(ctx.client, resume),
        async (users) => {
          ctx.record(
            'accounts',
            await upsertAccounts(
              ctx.db,
              ctx.write,
              users.map((u) => accountFromJira(u, plan)),
            ),
          );
          if (plan !== 'org') return;
          const apps = users.filter((u) => u.accountType === 'app');
          await forEachConcurrently(apps, ctx.concurrency, async (app) => {
            const groups = await jiraUserGroups(ctx.client, app.accountId);
            const rows = groups.flatMap((g) =>
              g.groupId ? [{ groupId: g.groupId, accountId: app.accountId }] : [],
            );
            ctx.record('memberships', await upsertMemberships(ctx.db, ctx.write, rows));
          });
        },
      ),
  };
}

/** Jira-only plan: groups from group/bulk, and each group's members (inactive ones included). */
export const jiraGroupsPhase: Phase = {
  name: 'jiraGroups',
  run: (ctx, state, save) =>
    streamPages(
      ctx,
      'jiraGroups',
      state,
      save,
      (resume) => jiraGroupPages(ctx.client, resume),
      async (groups) => {
        ctx.record(
          'groups',
          await upsertGroups(
            ctx.db,
            ctx.write,
            groups.map((g) => ({ groupId: g.groupId, name: g.name })),
          ),
        );
        await forEachConcurrently(groups, ctx.concurrency, async (group) => {
          for await (const page of jiraGroupMemberPages(ctx.client, group.groupId)) {
            const rows = page.items.map((member) => ({
              groupId: group.groupId,
              accountId: member.accountId,
            }));
            ctx.record('memberships', await upsertMemberships(ctx.db, ctx.write, rows));
          }
        });
      },
    ),
};

/** Projects with their lead, then each project's roles and their actors. */
export const jiraProjectsPhase: Phase = {
  name: 'jiraProjects',
  run: (ctx, state, save) =>
    streamPages(
      ctx,
      'jiraProjects',
      state,
      save,
      (resume) => jiraProjectPages(ctx.client, resume),
      async (projects) => {
        ctx.record(
          'projects',
          await upsertProjects(
            ctx.db,
            ctx.write,
            projects.map((p) => ({
              projectId: p.id,
              projectKey: p.key,
              name: p.name,
              projectType: p.projectTypeKey ?? null,
              leadAccountId: p.lead?.accountId ?? null,
              archived: p.archived ?? false,
            })),
          ),
        );
        await forEachConcurrently(projects, ctx.concurrency, async (project) => {
          const roles = await jiraProjectRoles(ctx.client, project.id);
          ctx.record(
            'roles',
            await upsertRoles(
              ctx.db,
              ctx.write,
              roles.map((r) => ({ roleId: String(r.id), name: r.name })),
            ),
          );
          await forEachConcurrently(roles, ctx.concurrency, async (role) => {
            const detail = await jiraRoleActors(ctx.client, project.id, role.id);
            const actors: RoleActorInput[] = [];
            for (const actor of detail.actors ?? []) {
              const base = { projectId: project.id, roleId: String(role.id) };
              if (actor.actorUser?.accountId)
                actors.push({ ...base, actorType: 'user', actorId: actor.actorUser.accountId });
              else if (actor.actorGroup?.groupId)
                actors.push({ ...base, actorType: 'group', actorId: actor.actorGroup.groupId });
            }
            ctx.record('role_actors', await upsertRoleActors(ctx.db, ctx.write, actors));
          });
        });
      },
    ),
};

/** Jira products and their seats. */
export const jiraApplicationRolesPhase: Phase = {
  name: 'jiraApplicationRoles',
  run: async (ctx) => {
    const roles = await jiraApplicationRoles(ctx.client);
    const products = roles.map((role) => ({
      productKey: productKeyForJiraApplication(role.key),
      name: role.name ?? role.key,
      seatsTotal: role.hasUnlimitedSeats ? null : (role.numberOfSeats ?? null),
      seatsUsed: role.userCount ?? null,
    }));
    ctx.record('products', await replaceProducts(ctx.db, ctx.write, products));
  },
};
