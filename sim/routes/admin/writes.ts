// Organizations API v2 directory writes: groups, memberships, suspend, restore, remove.
// Every write changes the shared state, so Jira's group and user endpoints show it on the next read.

import { z } from 'zod';
import { isBillable, productIsFull } from '../../licensing.ts';
import { detachEverywhere } from '../../mutate.ts';
import type { SimAccount, SimGroup } from '../../model.ts';
import { uuid } from '../../prng.ts';
import type { SimRuntime } from '../../runtime.ts';
import { findGroup, requireDirectory } from './directories.ts';
import { AdminError } from './errors.ts';
import { parseBody, type AdminRoute } from './route.ts';
import { productsGrantedBy, v2Group } from './views.ts';

const createGroupSchema = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1000).optional(),
});
const addMemberSchema = z.object({ accountId: z.string().min(1).max(128) });

/** An account in this directory (writes need a real directory, never `-`). */
function findDirectoryUser(sim: SimRuntime, directoryId: string, accountId: string): SimAccount {
  requireDirectory(sim, directoryId, false);
  const account = sim.state.accounts.get(accountId);
  if (account?.directoryId !== directoryId) {
    throw new AdminError('userNotFound', `User ${accountId} was not found in the directory.`);
  }
  return account;
}

function refuseIdpGroup(group: SimGroup, action: string): void {
  if (group.idpManaged) {
    throw new AdminError(
      'cannotManageGroup',
      `You can't ${action} a group synced from an identity provider. Manage this group in your identity provider instead.`,
    );
  }
}

function refuseOrgAdmin(account: SimAccount, action: string): void {
  if (account.orgAdmin) throw new AdminError('cannotManageOrg', `You can't ${action} an organization admin.`);
}

/** Give the account the products a group grants; refuse when one of them has no seat left. */
function grantGroupProducts(sim: SimRuntime, account: SimAccount, group: SimGroup): void {
  const missing = productsGrantedBy(sim.state, group.groupId).filter(
    (key) => !account.products.some((p) => p.key === key),
  );
  const full = missing.find((key) => productIsFull(sim.state, key));
  if (full !== undefined) {
    throw new AdminError(
      'licenceLimit',
      `You've exceeded your user limit for ${full}, which this group grants access to.`,
    );
  }
  for (const key of missing) account.products.push({ key, lastActive: null });
  account.billable = isBillable(account);
}

export const writeRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/groups',
    scope: null,
    handle: ({ sim, params, body }) => {
      const directoryId = params.directoryId ?? '';
      requireDirectory(sim, directoryId, false);
      const input = parseBody(createGroupSchema, body);
      if (sim.indexes.groupByName(input.name)) {
        throw new AdminError('conflict', `A group with the name ${input.name} already exists.`);
      }
      const group: SimGroup = {
        groupId: uuid(() => sim.rng()),
        name: input.name,
        description: input.description ?? '',
        directoryId,
        idpManaged: false,
        members: new Set(),
      };
      sim.state.groups.set(group.groupId, group);
      sim.indexes.invalidate();
      return { status: 201, body: v2Group(sim, group, new Set()) };
    },
  },
  {
    method: 'DELETE',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId',
    scope: null,
    handle: ({ sim, params }) => {
      const group = findGroup(sim, params.directoryId ?? '', params.groupId ?? '', false);
      refuseIdpGroup(group, 'delete');
      if (sim.state.applicationRoles.some((role) => role.defaultGroupIds.includes(group.groupId))) {
        throw new AdminError(
          'defaultGroup',
          `Group ${group.name} is a default group of a product and can't be deleted.`,
        );
      }
      sim.state.groups.delete(group.groupId);
      for (const project of sim.state.projects.values()) {
        for (const actors of project.roles.values()) actors.groups.delete(group.groupId);
      }
      sim.indexes.invalidate();
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships',
    scope: null,
    handle: ({ sim, params, body }) => {
      const group = findGroup(sim, params.directoryId ?? '', params.groupId ?? '', false);
      const { accountId } = parseBody(addMemberSchema, body);
      refuseIdpGroup(group, 'add a user to');
      const account = findDirectoryUser(sim, group.directoryId, accountId);
      if (group.members.has(accountId)) {
        throw new AdminError('conflict', `The user is already in the group ${group.name}.`);
      }
      grantGroupProducts(sim, account, group);
      group.members.add(accountId);
      sim.indexes.invalidate();
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships/:accountId',
    scope: null,
    handle: ({ sim, params }) => {
      const group = findGroup(sim, params.directoryId ?? '', params.groupId ?? '', false);
      refuseIdpGroup(group, 'remove a user from');
      findDirectoryUser(sim, group.directoryId, params.accountId ?? '');
      group.members.delete(params.accountId ?? '');
      sim.indexes.invalidate();
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId/suspend',
    scope: null,
    handle: ({ sim, params }) => {
      const account = findDirectoryUser(sim, params.directoryId ?? '', params.accountId ?? '');
      refuseOrgAdmin(account, 'suspend');
      // Suspended users keep their groups and roles but hold no seat and can't sign in.
      account.membershipStatus = 'suspended';
      account.billable = isBillable(account);
      account.jiraActive = false;
      sim.indexes.invalidate();
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId/restore',
    scope: null,
    handle: ({ sim, params }) => {
      const account = findDirectoryUser(sim, params.directoryId ?? '', params.accountId ?? '');
      if (account.membershipStatus === 'active') return { status: 204 };
      const full = account.products.find((access) => productIsFull(sim.state, access.key));
      if (full) {
        throw new AdminError(
          'licenceBreaches',
          `Restoring this user would exceed your user limit for ${full.key}.`,
        );
      }
      account.membershipStatus = 'active';
      account.billable = isBillable(account);
      account.jiraActive = account.accountStatus === 'active';
      sim.indexes.invalidate();
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId',
    scope: null,
    handle: ({ sim, params }) => {
      const account = findDirectoryUser(sim, params.directoryId ?? '', params.accountId ?? '');
      refuseOrgAdmin(account, 'remove');
      removeFromDirectory(sim, account);
      return { status: 204 };
    },
  },
];

/** Out of the directory: no groups, no project roles, no products; a new invite is needed. */
export function removeFromDirectory(sim: SimRuntime, account: SimAccount): void {
  detachEverywhere(sim.state, account.accountId);
  account.directoryId = null;
  account.membershipStatus = 'active';
  account.products = [];
  account.billable = false;
  account.jiraActive = false;
  account.siteAdmin = false;
  account.managementSource = null;
  sim.indexes.invalidate();
}
