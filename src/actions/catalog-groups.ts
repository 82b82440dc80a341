// Actions on groups, memberships and project roles. Groups of the organization's directories are
// written through Organizations v2 when the integration has an org key; otherwise through Jira.
// IdP-synced groups are refused: they must be changed in the identity provider.
import { z } from 'zod';
import { adminDirectories, JiraGroupSchema } from '../atlassian/index.ts';
import {
  findGroup,
  findRole,
  inventoryGroupKnown,
  jiraGroupIdsOf,
  directoryUser,
  jiraUserOrNull,
  roleHasActor,
  type GroupFacts,
} from './facts.ts';
import { removeGroup, setMembership, setRoleActor, upsertGroup } from '../storage/inventory-grants.ts';
import {
  check,
  defineAction,
  done,
  refuse,
  run,
  type ActionContext,
  type ApplyContext,
  type Check,
  type Plan,
  type PlannedCall,
} from './types.ts';

export const accountIdSchema = z
  .string()
  .trim()
  .regex(/^[\w:.-]{1,128}$/, 'not an Atlassian account ID');
const groupIdSchema = z
  .string()
  .trim()
  .regex(/^[\w:/.-]{1,200}$/, 'not a group ID');

const ORG_OR_JIRA_GROUPS = {
  withOrgKey: 'Organizations v2 directory groups',
  jiraOnly: 'Jira REST v3 /group',
};

/** Group lookup with the two checks every group write needs: it exists, and it is not IdP-managed. */
async function writableGroup(
  ctx: ActionContext,
  groupId: string,
  checks: Check[],
): Promise<GroupFacts | Plan> {
  const group = await findGroup(ctx, { groupId });
  checks.push(check('group exists', group !== null, group ? `"${group.name}"` : `no group ${groupId}`));
  if (!group) return refuse(`Group ${groupId} does not exist`, checks);
  checks.push(
    check(
      'group is not IdP-managed',
      !group.idpManaged,
      group.idpManaged ? 'synced from an identity provider' : 'managed in Atlassian',
    ),
  );
  if (group.idpManaged) {
    return refuse(
      `Group "${group.name}" is managed by an identity provider (SCIM); change its members there`,
      checks,
    );
  }
  return group;
}

const isPlan = (value: GroupFacts | Plan): value is Plan => 'decision' in value;

async function membershipPlan(
  ctx: ActionContext,
  input: { groupId: string; accountId: string },
  add: boolean,
): Promise<Plan> {
  const checks: Check[] = [];
  const group = await writableGroup(ctx, input.groupId, checks);
  if (isPlan(group)) return group;
  let member: boolean;
  let call: PlannedCall;
  if (ctx.orgId && group.directoryId) {
    const user = await directoryUser(ctx, ctx.orgId, input.accountId);
    const sameDirectory = user?.directoryId === group.directoryId;
    checks.push(
      check(
        "account is in the group's directory",
        sameDirectory,
        user ? `directory ${user.directoryId}` : 'not in the organization',
      ),
    );
    if (!user || !sameDirectory)
      return refuse(`Account ${input.accountId} is not in the directory of group "${group.name}"`, checks);
    member = user.groupIds.includes(group.groupId);
    const target = { orgId: ctx.orgId, directoryId: group.directoryId, groupId: group.groupId };
    call = add
      ? { endpoint: 'admin.group.addMember', pathParams: target, body: { accountId: input.accountId } }
      : { endpoint: 'admin.group.removeMember', pathParams: { ...target, accountId: input.accountId } };
  } else {
    const groupIds = await jiraGroupIdsOf(ctx, input.accountId);
    checks.push(check('account exists', groupIds !== null, groupIds ? 'known to Jira' : 'unknown to Jira'));
    if (groupIds === null) return refuse(`Account ${input.accountId} does not exist`, checks);
    member = groupIds.includes(group.groupId);
    call = add
      ? {
          endpoint: 'jira.group.addUser',
          query: { groupId: group.groupId },
          body: { accountId: input.accountId },
        }
      : { endpoint: 'jira.group.removeUser', query: { groupId: group.groupId, accountId: input.accountId } };
  }
  checks.push(
    check(
      add ? 'not yet a member' : 'currently a member',
      member !== add,
      member ? 'member' : 'not a member',
    ),
  );
  if (member === add)
    return done(add ? `Already a member of "${group.name}"` : `Not a member of "${group.name}"`, checks);
  return run([call], checks);
}

const membershipSchema = z.object({ groupId: groupIdSchema, accountId: accountIdSchema }).strict();

export const addToGroup = defineAction(membershipSchema, {
  kind: 'addToGroup',
  description: 'Add an account to a group',
  destructive: false,
  api: {
    ...ORG_OR_JIRA_GROUPS,
    consequence: "The account gains the group's product access and project roles (may take a seat).",
  },
  target: (i) => `account:${i.accountId} group:${i.groupId}`,
  plan: (ctx, i) => membershipPlan(ctx, i, true),
  apply: (ctx, i) => setMembership(ctx, i.groupId, i.accountId, true),
});

export const removeFromGroup = defineAction(membershipSchema, {
  kind: 'removeFromGroup',
  description: 'Remove an account from a group',
  destructive: true,
  api: {
    ...ORG_OR_JIRA_GROUPS,
    consequence: 'The account loses what the group grants (products, project roles).',
  },
  target: (i) => `account:${i.accountId} group:${i.groupId}`,
  plan: (ctx, i) => membershipPlan(ctx, i, false),
  apply: (ctx, i) => setMembership(ctx, i.groupId, i.accountId, false),
});

export const createGroup = defineAction(
  z
    .object({ name: z.string().trim().min(1).max(255), description: z.string().max(1000).optional() })
    .strict(),
  {
    kind: 'createGroup',
    description: 'Create a group',
    destructive: false,
    api: { ...ORG_OR_JIRA_GROUPS, consequence: 'A new, empty group.' },
    target: (i) => `group:${i.name}`,
    plan: async (ctx, i) => {
      const existing = await findGroup(ctx, { name: i.name });
      const checks = [
        check(
          'name is free',
          existing === null,
          existing ? `group ${existing.groupId} exists` : 'no group has this name',
        ),
      ];
      if (existing)
        return done(`Group "${existing.name}" already exists`, checks, { groupId: existing.groupId });
      if (ctx.orgId) {
        const directoryId = (await adminDirectories(ctx.client, ctx.orgId))[0]?.directoryId;
        if (directoryId === undefined)
          return refuse('The organization has no directory to create the group in', checks);
        const body =
          i.description === undefined ? { name: i.name } : { name: i.name, description: i.description };
        return run(
          [{ endpoint: 'admin.group.create', pathParams: { orgId: ctx.orgId, directoryId }, body }],
          checks,
        );
      }
      return run([{ endpoint: 'jira.group.create', body: { name: i.name } }], checks);
    },
    // Organizations v2 documents no response body for a created group: find it by name.
    confirm: async (ctx, i, responses) => {
      const parsed = JiraGroupSchema.safeParse(responses[0]);
      if (parsed.success) return { groupId: parsed.data.groupId };
      const group = await findGroup(ctx, { name: i.name });
      return { groupId: group?.groupId ?? null };
    },
    apply: async (ctx, i) => {
      const groupId = ctx.facts.groupId;
      if (typeof groupId === 'string') await upsertGroup(ctx, { groupId, name: i.name });
    },
  },
);

export const deleteGroup = defineAction(z.object({ groupId: groupIdSchema }).strict(), {
  kind: 'deleteGroup',
  description: 'Delete a group',
  destructive: true,
  api: {
    ...ORG_OR_JIRA_GROUPS,
    consequence: 'Members lose what the group grants; role-actor grants of the group go too.',
  },
  target: (i) => `group:${i.groupId}`,
  plan: async (ctx, i) => {
    const group = await findGroup(ctx, { groupId: i.groupId });
    if (!group) {
      const known = await inventoryGroupKnown(ctx, i.groupId);
      const checks = [check('group exists', false, known ? 'already gone from Atlassian' : 'never seen')];
      return known
        ? done(`Group ${i.groupId} is already deleted`, checks)
        : refuse(`Group ${i.groupId} does not exist`, checks);
    }
    const checks = [
      check('group exists', true, `"${group.name}"`),
      check(
        'group is not IdP-managed',
        !group.idpManaged,
        group.idpManaged ? 'synced from an identity provider' : 'managed in Atlassian',
      ),
    ];
    if (group.idpManaged)
      return refuse(
        `Group "${group.name}" is managed by an identity provider (SCIM); delete it there`,
        checks,
      );
    if (ctx.orgId && group.directoryId) {
      return run(
        [
          {
            endpoint: 'admin.group.delete',
            pathParams: { orgId: ctx.orgId, directoryId: group.directoryId, groupId: group.groupId },
          },
        ],
        checks,
      );
    }
    return run([{ endpoint: 'jira.group.delete', query: { groupId: group.groupId } }], checks);
  },
  apply: (ctx, i) => removeGroup(ctx, i.groupId),
});

const roleActorSchema = z
  .object({
    project: z
      .string()
      .trim()
      .regex(/^[\w-]{1,100}$/, 'not a project key or id'),
    role: z.string().trim().min(1).max(100),
    accountId: accountIdSchema.optional(),
    groupId: groupIdSchema.optional(),
  })
  .strict()
  .refine(
    (i) => (i.accountId === undefined) !== (i.groupId === undefined),
    'give exactly one of accountId or groupId',
  );
type RoleActorInput = z.output<typeof roleActorSchema>;

const actorOf = (i: RoleActorInput): { accountId: string } | { groupId: string } =>
  i.accountId !== undefined ? { accountId: i.accountId } : { groupId: i.groupId ?? '' };

async function roleActorPlan(ctx: ActionContext, i: RoleActorInput, add: boolean): Promise<Plan> {
  const role = await findRole(ctx, i.project, i.role);
  const checks = [
    check(
      'project and role exist',
      role !== null,
      role ? `${role.projectKey} / ${role.role.name}` : `no role "${i.role}" in ${i.project}`,
    ),
  ];
  if (!role) return refuse(`Project ${i.project} or its role "${i.role}" does not exist`, checks);
  const actor = actorOf(i);
  const has = roleHasActor(role.role, actor);
  const facts = { projectId: role.projectId, roleId: String(role.roleId) };
  if (has !== add) {
    if (add && 'accountId' in actor) {
      const user = await jiraUserOrNull(ctx, actor.accountId);
      checks.push(
        check(
          'account exists and is active',
          user?.active === true,
          user ? (user.active ? 'active' : 'inactive') : 'unknown',
        ),
      );
      // Jira answers 404 for an inactive user: refuse before calling.
      if (!user) return refuse(`Account ${actor.accountId} does not exist`, checks);
      if (!user.active)
        return refuse(
          `Account ${actor.accountId} is inactive; Jira does not add inactive users to roles`,
          checks,
        );
    } else if (add && 'groupId' in actor) {
      const group = await findGroup(ctx, actor);
      checks.push(check('group exists', group !== null, group ? `"${group.name}"` : 'unknown'));
      if (!group) return refuse(`Group ${actor.groupId} does not exist`, checks);
    }
  }
  checks.push(
    check(add ? 'not yet an actor' : 'currently an actor', has !== add, has ? 'actor' : 'not an actor'),
  );
  if (has === add)
    return done(add ? 'Already in the project role' : 'Not in the project role', checks, facts);
  const pathParams = { projectIdOrKey: role.projectKey, roleId: String(role.roleId) };
  const call: PlannedCall = add
    ? {
        endpoint: 'jira.project.role.addActors',
        pathParams,
        body: 'accountId' in actor ? { user: [actor.accountId] } : { groupId: [actor.groupId] },
      }
    : {
        endpoint: 'jira.project.role.removeActor',
        pathParams,
        query: 'accountId' in actor ? { user: actor.accountId } : { groupId: actor.groupId },
      };
  return run([call], checks, facts);
}

async function applyRoleActor(ctx: ApplyContext, i: RoleActorInput, present: boolean): Promise<void> {
  const { projectId, roleId } = ctx.facts;
  if (typeof projectId !== 'string' || typeof roleId !== 'string') return;
  const actor = actorOf(i);
  await setRoleActor(
    ctx,
    {
      projectId,
      roleId,
      actorType: 'accountId' in actor ? 'user' : 'group',
      actorId: 'accountId' in actor ? actor.accountId : actor.groupId,
    },
    present,
  );
}

const JIRA_ROLES = { withOrgKey: 'Jira REST v3 project roles', jiraOnly: 'Jira REST v3 project roles' };

export const addRoleActor = defineAction(roleActorSchema, {
  kind: 'addRoleActor',
  description: 'Add a user or a group to a project role',
  destructive: false,
  api: { ...JIRA_ROLES, consequence: "The actor gets the role's permissions in that project." },
  target: (i) =>
    `project:${i.project} role:${i.role} ${i.accountId ? `account:${i.accountId}` : `group:${i.groupId ?? ''}`}`,
  plan: (ctx, i) => roleActorPlan(ctx, i, true),
  apply: (ctx, i) => applyRoleActor(ctx, i, true),
});

export const removeRoleActor = defineAction(roleActorSchema, {
  kind: 'removeRoleActor',
  description: 'Remove a user or a group from a project role',
  destructive: true,
  api: {
    ...JIRA_ROLES,
    consequence: "The actor loses the role in that project (a group's members lose what it gave them).",
  },
  target: (i) =>
    `project:${i.project} role:${i.role} ${i.accountId ? `account:${i.accountId}` : `group:${i.groupId ?? ''}`}`,
  plan: (ctx, i) => roleActorPlan(ctx, i, false),
  apply: (ctx, i) => applyRoleActor(ctx, i, false),
});
