// Request schemas and match predicates of the v2 directory searches (users/search, groups/search).
// Kept apart from the routes so the filters read as one table each.

import { z } from 'zod';
import type { SimAccount, SimGroup } from '../../model.ts';
import type { SimRuntime } from '../../runtime.ts';
import { AdminError } from './errors.ts';
import {
  GROUP_ARI_PREFIX,
  groupIdsOf,
  productForResource,
  productsGrantedBy,
  v2MembershipStatus,
  v2Status,
} from './views.ts';

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).min(1).max(max).optional();

export const userSearchFilterSchema = z.object({
  accountIds: list(z.string(), 10),
  accountStatus: list(z.enum(['active', 'inactive', 'closed']), 3),
  claimStatus: z.enum(['managed', 'unmanaged']).optional(),
  directoryIds: list(z.string(), 10),
  emailDomains: list(z.string(), 10),
  emails: list(z.string(), 100),
  expand: z.array(z.enum(['platformRoles', 'counts.resources', 'productAccess', 'groups'])).optional(),
  groupIds: list(z.string(), 10),
  limit: z.number().int().min(1).max(100).optional(),
  membershipStatus: list(z.enum(['active', 'suspended', 'no_membership']), 3),
  mfaEnabled: z.boolean().optional(),
  resourceIds: list(z.string(), 20),
  roleIds: list(
    z.enum([
      'atlassian/user',
      'atlassian/admin',
      'atlassian/guest',
      'atlassian/customer',
      'atlassian/user-access-admin',
      'atlassian/contributor',
      'atlassian/basic',
      'atlassian/stakeholder',
      'atlassian/org-admin',
      'atlassian/site-admin',
      'atlassian/ai-access',
    ]),
    10,
  ),
  searchTerm: z.string().optional(),
  sortBy: z
    .array(z.object({ field: z.literal('nick_name'), direction: z.enum(['asc', 'desc']) }))
    .min(1)
    .max(1)
    .optional(),
  status: list(z.enum(['active', 'suspended', 'not_invited', 'deactivated', 'for_deletion']), 4),
});
export type UserSearchFilter = z.infer<typeof userSearchFilterSchema>;
export const userSearchBodySchema = userSearchFilterSchema.extend({ cursor: z.string().optional() });

export const groupSearchFilterSchema = z.object({
  accountIds: list(z.string(), 10),
  directoryIds: list(z.string(), 10),
  expand: z
    .array(z.enum(['counts.resources', 'counts.users']))
    .min(1)
    .max(2)
    .optional(),
  groupIds: list(z.string(), 10),
  groupNames: list(z.string(), 100),
  limit: z.number().int().min(1).max(100).optional(),
  resourceIds: list(z.string(), 20),
  resourceOwners: list(z.string(), 10),
  roleIds: list(z.string(), 10),
  searchTerm: z.string().optional(),
  sortBy: z
    .array(z.object({ field: z.literal('name'), direction: z.enum(['asc', 'desc']) }))
    .min(1)
    .max(1)
    .optional(),
});
export type GroupSearchFilter = z.infer<typeof groupSearchFilterSchema>;
export const groupSearchBodySchema = groupSearchFilterSchema.extend({ cursor: z.string().optional() });

export function checkUserFilter(filter: UserSearchFilter): void {
  if (filter.emails && filter.searchTerm !== undefined) {
    throw new AdminError('badBody', '`emails` and `searchTerm` are mutually exclusive.');
  }
}

export function checkGroupFilter(filter: GroupSearchFilter): void {
  if (filter.groupIds && filter.groupNames) {
    throw new AdminError('badBody', '`groupIds` and `groupNames` are mutually exclusive.');
  }
  if (filter.groupNames && filter.searchTerm !== undefined) {
    throw new AdminError('badBody', '`groupNames` and `searchTerm` are mutually exclusive.');
  }
}

export function stripGroupAri(id: string): string {
  return id.startsWith(GROUP_ARI_PREFIX) ? id.slice(GROUP_ARI_PREFIX.length) : id;
}

/** Accounts a directory search can see: directory members, plus managed accounts with no membership. */
export function inOrgDirectory(account: SimAccount, directoryId: string): boolean {
  if (account.accountType !== 'atlassian') return false;
  if (account.directoryId === null) return directoryId === '-' && account.managed;
  return directoryId === '-' || account.directoryId === directoryId;
}

/** Where a search starts: the accounts named by id or email when given, else every account. */
export function userCandidates(sim: SimRuntime, filter: UserSearchFilter): readonly SimAccount[] {
  if (filter.accountIds) {
    return filter.accountIds
      .map((id) => sim.state.accounts.get(id))
      .filter((a): a is SimAccount => a !== undefined);
  }
  if (filter.emails) {
    return filter.emails
      .map((email) => sim.indexes.accountByEmail(email))
      .filter((a): a is SimAccount => a !== undefined);
  }
  return sim.indexes.accounts();
}

function includesFolded(haystack: string | null, needle: string): boolean {
  return haystack !== null && haystack.toLowerCase().includes(needle.toLowerCase());
}

export function userMatcher(
  sim: SimRuntime,
  filter: UserSearchFilter,
  directoryId: string,
): (a: SimAccount) => boolean {
  const groupIds = filter.groupIds?.map(stripGroupAri);
  const domains = filter.emailDomains?.map((d) => `@${d.toLowerCase().replace(/^@/, '')}`);
  const resourceKeys = filter.resourceIds
    ?.map((ari) => productForResource(sim.state, ari)?.key)
    .filter((key): key is string => key !== undefined);
  return (account) => {
    if (!inOrgDirectory(account, directoryId)) return false;
    if (
      filter.directoryIds &&
      (account.directoryId === null || !filter.directoryIds.includes(account.directoryId))
    )
      return false;
    if (filter.accountStatus && !filter.accountStatus.includes(account.accountStatus)) return false;
    if (filter.claimStatus && (filter.claimStatus === 'managed') !== account.managed) return false;
    if (filter.membershipStatus && !filter.membershipStatus.includes(v2MembershipStatus(account)))
      return false;
    if (filter.status && !filter.status.includes(v2Status(account))) return false;
    // Nobody in the simulated org has two-step verification on.
    if (filter.mfaEnabled === true) return false;
    if (domains && !domains.some((d) => account.email?.toLowerCase().endsWith(d) === true)) return false;
    if (filter.emails && !filter.emails.some((e) => e.toLowerCase() === account.email?.toLowerCase()))
      return false;
    if (groupIds) {
      const mine = groupIdsOf(sim, account.accountId);
      if (!groupIds.some((id) => mine.includes(id))) return false;
    }
    if (resourceKeys && !account.products.some((p) => resourceKeys.includes(p.key))) return false;
    if (filter.roleIds && !filter.roleIds.some((role) => holdsRole(account, role))) return false;
    if (filter.searchTerm !== undefined) {
      const term = filter.searchTerm;
      if (
        !includesFolded(account.displayName, term) &&
        !includesFolded(account.nickname, term) &&
        !includesFolded(account.email, term)
      ) {
        return false;
      }
    }
    return true;
  };
}

function holdsRole(account: SimAccount, role: string): boolean {
  if (role === 'atlassian/org-admin') return account.orgAdmin;
  if (role === 'atlassian/site-admin') return account.siteAdmin;
  if (role === 'atlassian/user') return account.products.length > 0;
  return false;
}

export function groupCandidates(sim: SimRuntime, filter: GroupSearchFilter): readonly SimGroup[] {
  if (filter.groupIds) {
    return filter.groupIds
      .map((id) => sim.state.groups.get(stripGroupAri(id)))
      .filter((g): g is SimGroup => g !== undefined);
  }
  return sim.indexes.groups();
}

export function groupMatcher(
  sim: SimRuntime,
  filter: GroupSearchFilter,
  directoryId: string,
): (g: SimGroup) => boolean {
  const names = filter.groupNames?.map((n) => n.toLowerCase());
  return (group) => {
    if (directoryId !== '-' && group.directoryId !== directoryId) return false;
    if (filter.directoryIds && !filter.directoryIds.includes(group.directoryId)) return false;
    if (names && !names.includes(group.name.toLowerCase())) return false;
    if (filter.searchTerm !== undefined && !includesFolded(group.name, filter.searchTerm)) return false;
    if (filter.accountIds && !filter.accountIds.some((id) => group.members.has(id))) return false;
    if (filter.resourceIds || filter.resourceOwners || filter.roleIds) {
      const granted = productsGrantedBy(sim.state, group.groupId);
      if (granted.length === 0) return false;
      const resourceKeys = filter.resourceIds?.map((ari) => productForResource(sim.state, ari)?.key);
      if (resourceKeys && !granted.some((key) => resourceKeys.includes(key))) return false;
      if (
        filter.resourceOwners &&
        !granted.some((key) => filter.resourceOwners?.some((owner) => key.startsWith(owner)))
      ) {
        return false;
      }
    }
    return true;
  };
}
