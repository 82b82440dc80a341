// What access requests read from the inventory: the requester's account by email, the names of
// what is requested, a project's lead and administrators, and whether an account already holds
// a grant. Removed rows (removed_at set) do not count.
import { sql } from 'kysely';
import type { Db } from './approvals.ts';
import type { AccountStatus, MembershipStatus } from './schema.ts';

export interface InventoryAccount {
  accountId: string;
  email: string | null;
  displayName: string | null;
  status: AccountStatus | null;
  membershipStatus: MembershipStatus | null;
  removed: boolean;
}

const ACCOUNT_COLUMNS = [
  'account_id',
  'email',
  'display_name',
  'status',
  'membership_status',
  'removed_at',
] as const;

function toAccount(row: {
  account_id: string;
  email: string | null;
  display_name: string | null;
  status: AccountStatus | null;
  membership_status: MembershipStatus | null;
  removed_at: string | null;
}): InventoryAccount {
  return {
    accountId: row.account_id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
    membershipStatus: row.membership_status,
    removed: row.removed_at !== null,
  };
}

/** Active for approving: present, active and not suspended in the directory. */
export function isActiveAccount(account: InventoryAccount): boolean {
  return !account.removed && account.status === 'active' && account.membershipStatus !== 'suspended';
}

/** Why an account may not approve, in words ("inactive", "suspended", …); null when it may. */
export function inactivityOf(account: InventoryAccount | undefined): string | null {
  if (!account || account.removed) return 'removed';
  if (account.membershipStatus === 'suspended') return 'suspended';
  if (account.status === 'closed') return 'closed';
  if (account.status !== 'active') return account.status ?? 'of unknown status';
  return null;
}

/** The present account with this email (case-insensitive), active ones first. */
export async function findAccountByEmail(
  db: Db,
  integrationId: string,
  email: string,
): Promise<InventoryAccount | undefined> {
  const rows = await db
    .selectFrom('accounts')
    .select(ACCOUNT_COLUMNS)
    .where('integration_id', '=', integrationId)
    .where('removed_at', 'is', null)
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .orderBy('account_id')
    .execute();
  const accounts = rows.map(toAccount);
  return accounts.find(isActiveAccount) ?? accounts[0];
}

export async function findAccount(
  db: Db,
  integrationId: string,
  accountId: string,
): Promise<InventoryAccount | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select(ACCOUNT_COLUMNS)
    .where('integration_id', '=', integrationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && toAccount(row);
}

export interface InventoryProject {
  projectId: string;
  key: string | null;
  name: string | null;
  leadAccountId: string | null;
}

export async function findProject(
  db: Db,
  integrationId: string,
  projectId: string,
): Promise<InventoryProject | undefined> {
  const row = await db
    .selectFrom('projects')
    .select(['project_id', 'project_key', 'name', 'lead_account_id'])
    .where('integration_id', '=', integrationId)
    .where('project_id', '=', projectId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return (
    row && {
      projectId: row.project_id,
      key: row.project_key,
      name: row.name,
      leadAccountId: row.lead_account_id,
    }
  );
}

export async function findRoleName(
  db: Db,
  integrationId: string,
  roleId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('roles')
    .select('name')
    .where('integration_id', '=', integrationId)
    .where('role_id', '=', roleId)
    .executeTakeFirst();
  return row === undefined ? undefined : (row.name ?? roleId);
}

export async function findGroupName(
  db: Db,
  integrationId: string,
  groupId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('groups')
    .select('name')
    .where('integration_id', '=', integrationId)
    .where('group_id', '=', groupId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : (row.name ?? groupId);
}

export async function findProductName(
  db: Db,
  integrationId: string,
  productKey: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('products')
    .select('name')
    .where('integration_id', '=', integrationId)
    .where('product_key', '=', productKey)
    .executeTakeFirst();
  return row === undefined ? undefined : (row.name ?? productKey);
}

export const ADMINISTRATORS_ROLE = 'administrators';

/** The user actors (with their accounts) of the project's Administrators role. */
export async function projectAdministrators(
  db: Db,
  integrationId: string,
  projectId: string,
): Promise<InventoryAccount[]> {
  const rows = await db
    .selectFrom('role_actors as ra')
    .innerJoin('roles as r', (j) =>
      j.onRef('r.integration_id', '=', 'ra.integration_id').onRef('r.role_id', '=', 'ra.role_id'),
    )
    .innerJoin('accounts as a', (j) =>
      j.onRef('a.integration_id', '=', 'ra.integration_id').onRef('a.account_id', '=', 'ra.actor_id'),
    )
    .select(['a.account_id', 'a.email', 'a.display_name', 'a.status', 'a.membership_status', 'a.removed_at'])
    .where('ra.integration_id', '=', integrationId)
    .where('ra.project_id', '=', projectId)
    .where('ra.actor_type', '=', 'user')
    .where('ra.removed_at', 'is', null)
    .where(sql<string>`lower(r.name)`, '=', ADMINISTRATORS_ROLE)
    .orderBy('a.account_id')
    .execute();
  return rows.map(toAccount);
}

export type GrantTarget =
  | { kind: 'group'; groupId: string }
  | { kind: 'projectRole'; projectId: string; roleId: string }
  | { kind: 'product'; productKey: string };

/** Whether the account holds the grant directly (group membership, role actor, product access). */
export async function holdsGrant(
  db: Db,
  integrationId: string,
  accountId: string,
  target: GrantTarget,
): Promise<boolean> {
  switch (target.kind) {
    case 'group': {
      const row = await db
        .selectFrom('group_memberships')
        .select('account_id')
        .where('integration_id', '=', integrationId)
        .where('group_id', '=', target.groupId)
        .where('account_id', '=', accountId)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      return row !== undefined;
    }
    case 'projectRole': {
      const row = await db
        .selectFrom('role_actors')
        .select('actor_id')
        .where('integration_id', '=', integrationId)
        .where('project_id', '=', target.projectId)
        .where('role_id', '=', target.roleId)
        .where('actor_type', '=', 'user')
        .where('actor_id', '=', accountId)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      return row !== undefined;
    }
    case 'product': {
      const row = await db
        .selectFrom('product_access')
        .select('account_id')
        .where('integration_id', '=', integrationId)
        .where('product_key', '=', target.productKey)
        .where('account_id', '=', accountId)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      return row !== undefined;
    }
  }
}
