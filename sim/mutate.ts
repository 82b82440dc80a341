// State changes as plain functions over SimState, shared by the Jira handlers, the control API
// (`POST /__sim/mutate`) and tests. Each one keeps the indexes fresh and reports what changed.

import { z } from 'zod';
import type { SimAccount, SimGroup, SimProject, SimRoleActors, SimState } from './model.ts';
import { indexesFor } from './indexes.ts';
import { isBillable } from './licensing.ts';

export class MutationError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const accountId = z.string().regex(/^[a-zA-Z0-9_|:-]{1,128}$/);
const isoDate = z.iso.datetime({ offset: true });
const productAccess = z.object({ key: z.string().min(1).max(100), lastActive: isoDate.nullable() });
const actor = z.union([z.object({ accountId }).strict(), z.object({ groupId: z.string().min(1) }).strict()]);
const roleTarget = { projectKey: z.string().min(1).max(100), roleId: z.number().int() };

export const mutationSchema = z.discriminatedUnion('op', [
  z
    .object({
      op: z.literal('addUser'),
      accountId: accountId.optional(),
      displayName: z.string().min(1).max(255),
      email: z.email().nullable().optional(),
      accountType: z.enum(['atlassian', 'app', 'customer']).default('atlassian'),
      managed: z.boolean().default(true),
      emailVisibleInJira: z.boolean().default(true),
      products: z.array(productAccess).default([]),
      lastActive: isoDate.nullable().default(null),
    })
    .strict(),
  z.object({ op: z.literal('removeUser'), accountId }).strict(),
  z
    .object({
      op: z.literal('updateUser'),
      accountId,
      displayName: z.string().min(1).max(255).optional(),
      email: z.email().nullable().optional(),
      status: z.enum(['active', 'inactive', 'closed', 'suspended']).optional(),
      lastActive: isoDate.nullable().optional(),
      products: z.array(productAccess).optional(),
    })
    .strict(),
  z.object({ op: z.literal('addMembership'), groupId: z.string().min(1), accountId }).strict(),
  z.object({ op: z.literal('removeMembership'), groupId: z.string().min(1), accountId }).strict(),
  z.object({ op: z.literal('addRoleActor'), ...roleTarget, actor }).strict(),
  z.object({ op: z.literal('removeRoleActor'), ...roleTarget, actor }).strict(),
  z.object({ op: z.literal('setProjectLead'), projectKey: z.string().min(1), accountId }).strict(),
]);
export type Mutation = z.infer<typeof mutationSchema>;
export type RoleActor = z.infer<typeof actor>;

export interface MutationResult {
  op: Mutation['op'];
  changed: boolean;
  accountId?: string;
  detail?: Record<string, unknown>;
}

export function requireAccount(state: SimState, id: string): SimAccount {
  const account = state.accounts.get(id);
  if (!account) throw new MutationError(404, `account ${id} not found`);
  return account;
}

export function requireGroup(state: SimState, groupId: string): SimGroup {
  const group = state.groups.get(groupId);
  if (!group) throw new MutationError(404, `group ${groupId} not found`);
  return group;
}

export function requireProject(state: SimState, keyOrId: string): SimProject {
  const project = indexesFor(state).projectByKeyOrId(keyOrId);
  if (!project) throw new MutationError(404, `project ${keyOrId} not found`);
  return project;
}

function roleActors(state: SimState, project: SimProject, roleId: number): SimRoleActors {
  if (!state.roleDefinitions.some((r) => r.id === roleId))
    throw new MutationError(404, `role ${roleId} not found`);
  let actors = project.roles.get(roleId);
  if (!actors) {
    actors = { users: new Set(), groups: new Set() };
    project.roles.set(roleId, actors);
  }
  return actors;
}

let createdCounter = 0;

export function addUser(state: SimState, input: Extract<Mutation, { op: 'addUser' }>, now: Date): SimAccount {
  const prefix = input.accountType === 'app' ? '712020' : input.accountType === 'customer' ? 'qm' : '557058';
  createdCounter += 1;
  const id = input.accountId ?? `${prefix}:sim-${now.getTime().toString(36)}-${createdCounter}`;
  if (state.accounts.has(id)) throw new MutationError(409, `account ${id} already exists`);
  if (input.email && indexesFor(state).accountByEmail(input.email)) {
    throw new MutationError(409, `an account with email ${input.email} already exists`);
  }
  const inDirectory = input.accountType === 'atlassian';
  const account: SimAccount = {
    accountId: id,
    accountType: input.accountType,
    displayName: input.displayName,
    nickname: input.displayName.split(' ')[0] ?? input.displayName,
    email: input.email ?? null,
    emailVisibleInJira: input.emailVisibleInJira,
    managed: inDirectory && input.managed,
    directoryId: inDirectory ? (state.directories[0]?.directoryId ?? null) : null,
    accountStatus: 'active',
    membershipStatus: 'active',
    jiraActive: true,
    lastActive: input.lastActive,
    addedToOrg: now.toISOString(),
    products: input.products,
    billable: false,
    orgAdmin: false,
    siteAdmin: false,
    managementSource: inDirectory ? 'invited' : null,
    pendingDeletionSince: null,
    timeZone: 'UTC',
    locale: 'en_US',
  };
  if (input.accountType === 'app') account.appType = 'service';
  account.billable = isBillable(account);
  state.accounts.set(id, account);
  indexesFor(state).invalidate();
  return account;
}

/** Take an account out of every group and project role (the account itself stays). */
export function detachEverywhere(state: SimState, id: string): { groups: number; roles: number } {
  let groups = 0;
  let roles = 0;
  for (const group of state.groups.values()) if (group.members.delete(id)) groups++;
  for (const project of state.projects.values()) {
    for (const actors of project.roles.values()) if (actors.users.delete(id)) roles++;
  }
  indexesFor(state).invalidate();
  return { groups, roles };
}

export function removeUser(state: SimState, id: string): MutationResult {
  requireAccount(state, id);
  const detached = detachEverywhere(state, id);
  state.accounts.delete(id);
  indexesFor(state).invalidate();
  return {
    op: 'removeUser',
    changed: true,
    accountId: id,
    detail: { removedFromGroups: detached.groups, removedFromRoles: detached.roles },
  };
}

export function setAccountStatus(
  account: SimAccount,
  status: 'active' | 'inactive' | 'closed' | 'suspended',
): void {
  if (status === 'active') {
    account.accountStatus = 'active';
    account.membershipStatus = 'active';
    account.jiraActive = true;
  } else if (status === 'suspended') {
    account.membershipStatus = 'suspended';
    account.jiraActive = false;
  } else {
    account.accountStatus = status;
    account.jiraActive = false;
  }
  account.billable = isBillable(account);
}

export function updateUser(state: SimState, input: Extract<Mutation, { op: 'updateUser' }>): MutationResult {
  const account = requireAccount(state, input.accountId);
  const before = JSON.stringify(account);
  if (input.displayName !== undefined) account.displayName = input.displayName;
  if (input.email !== undefined) account.email = input.email;
  if (input.lastActive !== undefined) account.lastActive = input.lastActive;
  if (input.products !== undefined) account.products = input.products;
  if (input.status !== undefined) setAccountStatus(account, input.status);
  account.billable = isBillable(account);
  indexesFor(state).invalidate();
  return { op: 'updateUser', changed: before !== JSON.stringify(account), accountId: account.accountId };
}

export function addMembership(state: SimState, groupId: string, id: string): boolean {
  const group = requireGroup(state, groupId);
  requireAccount(state, id);
  if (group.members.has(id)) return false;
  group.members.add(id);
  indexesFor(state).invalidate();
  return true;
}

export function removeMembership(state: SimState, groupId: string, id: string): boolean {
  const group = requireGroup(state, groupId);
  if (!group.members.delete(id)) return false;
  indexesFor(state).invalidate();
  return true;
}

export function addRoleActor(state: SimState, projectKey: string, roleId: number, who: RoleActor): boolean {
  const actors = roleActors(state, requireProject(state, projectKey), roleId);
  if ('accountId' in who) {
    requireAccount(state, who.accountId);
    if (actors.users.has(who.accountId)) return false;
    actors.users.add(who.accountId);
  } else {
    requireGroup(state, who.groupId);
    if (actors.groups.has(who.groupId)) return false;
    actors.groups.add(who.groupId);
  }
  return true;
}

export function removeRoleActor(
  state: SimState,
  projectKey: string,
  roleId: number,
  who: RoleActor,
): boolean {
  const actors = roleActors(state, requireProject(state, projectKey), roleId);
  return 'accountId' in who ? actors.users.delete(who.accountId) : actors.groups.delete(who.groupId);
}

export function setProjectLead(state: SimState, projectKey: string, id: string): MutationResult {
  const project = requireProject(state, projectKey);
  requireAccount(state, id);
  const previous = project.leadAccountId;
  project.leadAccountId = id;
  return { op: 'setProjectLead', changed: previous !== id, accountId: id, detail: { previous } };
}

/** Apply one validated control-API mutation. */
export function applyMutation(state: SimState, mutation: Mutation, now: Date): MutationResult {
  switch (mutation.op) {
    case 'addUser': {
      const account = addUser(state, mutation, now);
      return { op: 'addUser', changed: true, accountId: account.accountId };
    }
    case 'removeUser':
      return removeUser(state, mutation.accountId);
    case 'updateUser':
      return updateUser(state, mutation);
    case 'addMembership':
      return {
        op: mutation.op,
        changed: addMembership(state, mutation.groupId, mutation.accountId),
        accountId: mutation.accountId,
      };
    case 'removeMembership':
      return {
        op: mutation.op,
        changed: removeMembership(state, mutation.groupId, mutation.accountId),
        accountId: mutation.accountId,
      };
    case 'addRoleActor':
      return {
        op: mutation.op,
        changed: addRoleActor(state, mutation.projectKey, mutation.roleId, mutation.actor),
      };
    case 'removeRoleActor':
      return {
        op: mutation.op,
        changed: removeRoleActor(state, mutation.projectKey, mutation.roleId, mutation.actor),
      };
    case 'setProjectLead':
      return setProjectLead(state, mutation.projectKey, mutation.accountId);
  }
}
