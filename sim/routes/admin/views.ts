// How the Organizations API presents the shared model: v1 `User`, v2 `MultiDirectoryUser`,
// `MultiDirectoryGroup`. Optional fields the spec does not mark nullable are left out, not null.

import type { SimAccount, SimGroup, SimProduct, SimState } from '../../model.ts';
import type { SimRuntime } from '../../runtime.ts';

export const GROUP_ARI_PREFIX = 'ari:cloud:identity::group/';

export type V2Status = 'active' | 'suspended' | 'not_invited' | 'deactivated' | 'for_deletion';
export type V2MembershipStatus = 'active' | 'suspended' | 'no_membership';

/** The composite `status` the v2 spec defines from accountStatus and membershipStatus. */
export function v2Status(account: SimAccount): V2Status {
  if (account.pendingDeletionSince !== null) return 'for_deletion';
  if (account.accountStatus !== 'active') return 'deactivated';
  if (account.directoryId === null) return 'not_invited';
  return account.membershipStatus === 'suspended' ? 'suspended' : 'active';
}

export function v2MembershipStatus(account: SimAccount): V2MembershipStatus {
  return account.directoryId === null ? 'no_membership' : account.membershipStatus;
}

/** The email the admin API shows: always for managed accounts, else only when the user shares it. */
export function adminEmail(account: SimAccount): string | undefined {
  if (account.email === null) return undefined;
  return account.managed || account.emailVisibleInJira ? account.email : undefined;
}

export function pictureUrl(account: SimAccount): string {
  return `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${encodeURIComponent(account.accountId)}/128`;
}

export function productByKey(state: SimState, key: string): SimProduct | undefined {
  return state.products.find((product) => product.key === key);
}

/** ARI resource owner → product key. Jira products share the site ARI, so the owner tells them apart. */
const RESOURCE_OWNERS: Record<string, string> = {
  jira: 'jira-software',
  'jira-software': 'jira-software',
  'jira-servicedesk': 'jira-service-desk',
  'jira-product-discovery': 'jira-product-discovery',
  confluence: 'confluence',
};

/** The product a resource ARI (`ari:cloud:<owner>::site/<cloudId>`) names on this site. */
export function productForResource(state: SimState, ari: string): SimProduct | undefined {
  const match = /^ari:cloud:([a-z-]+)::site\/(.+)$/.exec(ari);
  if (!match || match[2] !== state.cloudId) return undefined;
  const key = RESOURCE_OWNERS[match[1] ?? ''];
  return key === undefined ? undefined : productByKey(state, key);
}

/** Account id → ids of the groups it belongs to; rebuilt whenever the indexes are invalidated. */
const membershipCache = new WeakMap<readonly SimGroup[], Map<string, string[]>>();

export function groupIdsOf(sim: SimRuntime, accountId: string): readonly string[] {
  const groups = sim.indexes.groups();
  let byAccount = membershipCache.get(groups);
  if (!byAccount) {
    byAccount = new Map();
    for (const group of groups) {
      for (const member of group.members) {
        const list = byAccount.get(member);
        if (list) list.push(group.groupId);
        else byAccount.set(member, [group.groupId]);
      }
    }
    membershipCache.set(groups, byAccount);
  }
  return byAccount.get(accountId) ?? [];
}

/** v1 `GET /v1/orgs/{orgId}/users` item. */
export function v1User(sim: SimRuntime, account: SimAccount): Record<string, unknown> {
  const email = adminEmail(account);
  return {
    account_id: account.accountId,
    account_type: account.accountType,
    account_status: account.accountStatus,
    name: account.displayName,
    picture: pictureUrl(account),
    ...(email === undefined ? {} : { email }),
    access_billable: account.billable,
    ...(account.lastActive === null ? {} : { last_active: account.lastActive }),
    product_access: account.products.map((access) => {
      const product = productByKey(sim.state, access.key);
      return {
        key: access.key,
        name: product?.name ?? access.key,
        ...(product ? { url: product.url } : {}),
        ...(access.lastActive === null ? {} : { last_active: access.lastActive }),
      };
    }),
    links: { self: `${sim.urls.api}/users/${encodeURIComponent(account.accountId)}/manage/profile` },
  };
}

export type UserExpand = 'platformRoles' | 'counts.resources' | 'productAccess' | 'groups';

/** v2 `MultiDirectoryUser`; `directoryId` limits the `groups` expansion (null: every directory). */
export function v2User(
  sim: SimRuntime,
  account: SimAccount,
  expand: ReadonlySet<UserExpand>,
  directoryId: string | null,
): Record<string, unknown> {
  const email = adminEmail(account);
  const view: Record<string, unknown> = {
    accountId: account.accountId,
    accountType: 'atlassian',
    accountStatus: account.accountStatus,
    membershipStatus: v2MembershipStatus(account),
    status: v2Status(account),
    claimStatus: account.managed ? 'managed' : 'unmanaged',
    managementSource: account.managementSource,
    name: account.displayName,
    nickname: account.nickname,
    ...(email === undefined ? {} : { email, emailVerified: true }),
    mfaEnabled: false,
    addedToOrg: account.addedToOrg,
    timeZone: account.timeZone,
    avatar: pictureUrl(account),
    picture: pictureUrl(account),
  };
  if (expand.has('platformRoles')) view.platformRoles = platformRoles(account);
  if (expand.has('counts.resources')) view.counts = { resources: account.products.length };
  if (expand.has('productAccess')) {
    view.productAccess = account.products.map((access) => ({
      id: productByKey(sim.state, access.key)?.ari ?? access.key,
      key: access.key,
      ...(access.lastActive === null ? {} : { lastActiveTimestamp: access.lastActive }),
    }));
  }
  if (expand.has('groups')) {
    view.groups = groupIdsOf(sim, account.accountId)
      .map((groupId) => sim.state.groups.get(groupId))
      .filter((group): group is SimGroup => group !== undefined)
      .filter((group) => directoryId === null || group.directoryId === directoryId)
      .map((group) => ({
        id: GROUP_ARI_PREFIX + group.groupId,
        name: group.name,
        description: group.description,
      }));
  }
  return view;
}

export function platformRoles(account: SimAccount): string[] {
  const roles: string[] = [];
  if (account.orgAdmin) roles.push('atlassian/org-admin');
  if (account.siteAdmin) roles.push('atlassian/site-admin');
  return roles;
}

export type GroupExpand = 'counts.users' | 'counts.resources';

/** Products whose Jira application lists the group as a default group. */
export function productsGrantedBy(state: SimState, groupId: string): string[] {
  return state.applicationRoles
    .filter((role) => role.defaultGroupIds.includes(groupId))
    .map((role) => role.productKey);
}

export function v2Group(
  sim: SimRuntime,
  group: SimGroup,
  expand: ReadonlySet<GroupExpand>,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: group.groupId,
    name: group.name,
    description: group.description,
    directoryId: group.directoryId,
    externalSynced: group.idpManaged,
    managedBy: group.idpManaged ? 'external' : 'admins',
    managementAccess: { readable: true, modifiable: !group.idpManaged, deletable: !group.idpManaged },
  };
  const counts: Record<string, number> = {};
  if (expand.has('counts.users')) counts.users = group.members.size;
  if (expand.has('counts.resources')) counts.resources = productsGrantedBy(sim.state, group.groupId).length;
  if (Object.keys(counts).length > 0) view.counts = counts;
  return view;
}
