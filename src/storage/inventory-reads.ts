// Read side of the inventory for the CLI, API and UI. Lists are paged in SQL; groups and products
// are fetched for the accounts of one page only, so the cost does not grow with the org.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { daysBefore, escapeLike, fromFlag, toCount } from './helpers.ts';
import type { AccountRecord, AccountStatus, Database } from './schema.ts';

export interface AccountFilter {
  integrationId?: string;
  status?: AccountStatus | readonly AccountStatus[];
  accountType?: string | readonly string[];
  /** Has (present) access to this product key. */
  productKey?: string;
  /** Is a (present) member of this group id. */
  groupId?: string;
  /** Holds this project role, directly or through a group; roleId omitted = any role there. */
  projectRole?: { projectId: string; roleId?: string };
  /** Last active is known and older than `now` − N days. Needs `now`. */
  inactiveDays?: number;
  /** Last active is unknown (never active, or not visible). */
  neverActive?: boolean;
  billable?: boolean;
  /** Case-insensitive: display name or email contains it, or accountId starts with it. */
  search?: string;
  includeRemoved?: boolean;
  /** ISO 8601 reference time for inactiveDays. */
  now?: string;
}

export type AccountSortKey =
  'displayName' | 'email' | 'lastActive' | 'status' | 'accountType' | 'accountId' | 'firstSeenAt';
export interface AccountSort {
  by: AccountSortKey;
  direction: 'asc' | 'desc';
}
export interface PageRequest {
  limit: number;
  offset: number;
}

export interface AccountView {
  integrationId: string;
  accountId: string;
  accountType: string | null;
  appType: string | null;
  status: AccountStatus | null;
  membershipStatus: 'active' | 'suspended' | null;
  jiraActive: boolean | null;
  managed: boolean | null;
  billable: boolean | null;
  email: string | null;
  displayName: string | null;
  lastActive: string | null;
  inDirectory: boolean | null;
  firstSeenAt: string;
  lastSeenAt: string;
  removedAt: string | null;
  updatedAt: string;
}

export interface AccountListItem extends AccountView {
  groups: { groupId: string; name: string | null }[];
  products: { productKey: string; lastActive: string | null }[];
  /**
   * Held directly, plus through groups when the list was asked for them (`groupRoles`); one entry
   * per project and role.
   */
  projectRoles: { projectId: string; projectKey: string | null; roleId: string; roleName: string | null }[];
}

export interface AccountPage {
  items: AccountListItem[];
  total: number;
}

const SORT_COLUMNS = {
  displayName: 'display_name',
  email: 'email',
  lastActive: 'last_active',
  status: 'status',
  accountType: 'account_type',
  accountId: 'account_id',
  firstSeenAt: 'first_seen_at',
} as const satisfies Record<AccountSortKey, keyof AccountRecord>;

export const MAX_PAGE_SIZE = 1000;

export function toAccountView(row: AccountRecord): AccountView {
  return {
    integrationId: row.integration_id,
    accountId: row.account_id,
    accountType: row.account_type,
    appType: row.app_type,
    status: row.status,
    membershipStatus: row.membership_status,
    jiraActive: fromFlag(row.jira_active),
    managed: fromFlag(row.managed),
    billable: fromFlag(row.billable),
    email: row.email,
    displayName: row.display_name,
    lastActive: row.last_active,
    inDirectory: fromFlag(row.in_directory),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    removedAt: row.removed_at,
    updatedAt: row.updated_at,
  };
}

const asList = <T>(value: T | readonly T[]): readonly T[] =>
  Array.isArray(value) ? (value as readonly T[]) : [value as T];

function accountConditions(
  eb: ExpressionBuilder<Database, 'accounts'>,
  filter: AccountFilter,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.integrationId !== undefined)
    conditions.push(eb('accounts.integration_id', '=', filter.integrationId));
  if (!filter.includeRemoved) conditions.push(eb('accounts.removed_at', 'is', null));
  if (filter.status !== undefined) conditions.push(eb('accounts.status', 'in', asList(filter.status)));
  if (filter.accountType !== undefined)
    conditions.push(eb('accounts.account_type', 'in', asList(filter.accountType)));
  if (filter.billable !== undefined) conditions.push(eb('accounts.billable', '=', filter.billable ? 1 : 0));
  if (filter.neverActive === true) conditions.push(eb('accounts.last_active', 'is', null));
  if (filter.neverActive === false) conditions.push(eb('accounts.last_active', 'is not', null));
  if (filter.inactiveDays !== undefined) {
    if (filter.now === undefined) throw new RangeError('inactiveDays needs filter.now');
    conditions.push(eb('accounts.last_active', '<', daysBefore(filter.now, filter.inactiveDays)));
  }
  if (filter.search !== undefined && filter.search.trim() !== '') {
    const needle = escapeLike(filter.search.trim().toLowerCase());
    conditions.push(
      eb.or([
        sql<SqlBool>`lower(accounts.display_name) like ${`%${needle}%`} escape '\\'`,
        sql<SqlBool>`lower(accounts.email) like ${`%${needle}%`} escape '\\'`,
        sql<SqlBool>`lower(accounts.account_id) like ${`${needle}%`} escape '\\'`,
      ]),
    );
  }
  if (filter.productKey !== undefined) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('product_access as pa')
          .select(sql`1`.as('one'))
          .whereRef('pa.integration_id', '=', 'accounts.integration_id')
          .whereRef('pa.account_id', '=', 'accounts.account_id')
          .where('pa.product_key', '=', filter.productKey)
          .where('pa.removed_at', 'is', null),
      ),
    );
  }
  if (filter.groupId !== undefined) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('group_memberships as gm')
          .select(sql`1`.as('one'))
          .whereRef('gm.integration_id', '=', 'accounts.integration_id')
          .whereRef('gm.account_id', '=', 'accounts.account_id')
          .where('gm.group_id', '=', filter.groupId)
          .where('gm.removed_at', 'is', null),
      ),
    );
  }
  if (filter.projectRole !== undefined) conditions.push(holdsProjectRole(eb, filter.projectRole));
  return conditions;
}

function holdsProjectRole(
  eb: ExpressionBuilder<Database, 'accounts'>,
  role: { projectId: string; roleId?: string },
): Expression<SqlBool> {
  let actors = eb
    .selectFrom('role_actors as ra')
    .select(sql`1`.as('one'))
    .whereRef('ra.integration_id', '=', 'accounts.integration_id')
    .where('ra.project_id', '=', role.projectId)
    .where('ra.removed_at', 'is', null);
  if (role.roleId !== undefined) actors = actors.where('ra.role_id', '=', role.roleId);
  return eb.exists(
    actors.where((inner) =>
      inner.or([
        inner.and([
          inner('ra.actor_type', '=', 'user'),
          inner('ra.actor_id', '=', inner.ref('accounts.account_id')),
        ]),
        inner.and([
          inner('ra.actor_type', '=', 'group'),
          inner.exists(
            inner
              .selectFrom('group_memberships as rgm')
              .select(sql`1`.as('one'))
              .whereRef('rgm.integration_id', '=', 'ra.integration_id')
              .whereRef('rgm.group_id', '=', 'ra.actor_id')
              .whereRef('rgm.account_id', '=', 'accounts.account_id')
              .where('rgm.removed_at', 'is', null),
          ),
        ]),
      ]),
    ),
  );
}

export async function listAccounts(
  db: Kysely<Database>,
  filter: AccountFilter = {},
  sort: AccountSort = { by: 'displayName', direction: 'asc' },
  page: PageRequest = { limit: 50, offset: 0 },
  options: ListOptions = {},
): Promise<AccountPage> {
  const limit = Math.min(Math.max(1, Math.floor(page.limit)), MAX_PAGE_SIZE);
  const offset = Math.max(0, Math.floor(page.offset));
  const column = SORT_COLUMNS[sort.by];
  const filtered = db.selectFrom('accounts').where((eb) => eb.and(accountConditions(eb, filter)));
  const [rows, total] = await Promise.all([
    filtered
      .selectAll('accounts')
      // Tie-breakers in the same direction, so the sort indexes (migration 0007) give the order.
      .orderBy(`accounts.${column}`, (ob) => (sort.direction === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('accounts.account_id', sort.direction)
      .orderBy('accounts.integration_id', sort.direction)
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
  ]);
  const items = await withGrants(db, rows.map(toAccountView), options.groupRoles ?? false);
  return { items, total: toCount(total?.n) };
}

export interface ListOptions {
  /**
   * Also list the project roles each account holds through its groups. A group such as
   * jira-software-users is often an actor in every project, so this can mean thousands of roles per
   * account: exports ask for it, interactive pages show direct roles and leave the rest to the
   * account's own page.
   */
  groupRoles?: boolean;
}

/** Adds present groups and products to one page of accounts, with two IN-list queries. */
async function withGrants(
  db: Kysely<Database>,
  accounts: AccountView[],
  groupRoles: boolean,
): Promise<AccountListItem[]> {
  if (accounts.length === 0) return [];
  const integrationIds = [...new Set(accounts.map((a) => a.integrationId))];
  const accountIds = [...new Set(accounts.map((a) => a.accountId))];
  const [groups, products] = await Promise.all([
    db
      .selectFrom('group_memberships as gm')
      .leftJoin('groups as g', (join) =>
        join.onRef('g.integration_id', '=', 'gm.integration_id').onRef('g.group_id', '=', 'gm.group_id'),
      )
      .select(['gm.integration_id', 'gm.account_id', 'gm.group_id', 'g.name'])
      .where('gm.integration_id', 'in', integrationIds)
      .where('gm.account_id', 'in', accountIds)
      .where('gm.removed_at', 'is', null)
      .orderBy('g.name')
      .orderBy('gm.group_id')
      .execute(),
    db
      .selectFrom('product_access')
      .select(['integration_id', 'account_id', 'product_key', 'last_active'])
      .where('integration_id', 'in', integrationIds)
      .where('account_id', 'in', accountIds)
      .where('removed_at', 'is', null)
      .orderBy('product_key')
      .execute(),
  ]);
  const roles = await projectRolesOf(db, integrationIds, accountIds, groupRoles);
  const key = (integrationId: string, accountId: string): string => `${integrationId} ${accountId}`;
  const items = new Map<string, AccountListItem>(
    accounts.map((a) => [
      key(a.integrationId, a.accountId),
      { ...a, groups: [], products: [], projectRoles: [] },
    ]),
  );
  for (const g of groups)
    items.get(key(g.integration_id, g.account_id))?.groups.push({ groupId: g.group_id, name: g.name });
  for (const p of products)
    items
      .get(key(p.integration_id, p.account_id))
      ?.products.push({ productKey: p.product_key, lastActive: p.last_active });
  const seen = new Set<string>();
  for (const r of roles) {
    const item = items.get(key(r.integration_id, r.account_id));
    const grant = `${r.integration_id} ${r.account_id} ${r.project_id} ${r.role_id}`;
    if (!item || seen.has(grant)) continue;
    seen.add(grant);
    item.projectRoles.push({
      projectId: r.project_id,
      projectKey: r.project_key,
      roleId: r.role_id,
      roleName: r.role_name,
    });
  }
  return [...items.values()];
}

/** Present project roles of a page of accounts: user actors, and group actors through memberships if asked. */
async function projectRolesOf(
  db: Kysely<Database>,
  integrationIds: string[],
  accountIds: string[],
  groupRoles: boolean,
) {
  const direct = db
    .selectFrom('role_actors as ra')
    .select(['ra.integration_id', 'ra.actor_id as account_id', 'ra.project_id', 'ra.role_id'])
    .where('ra.actor_type', '=', 'user')
    .where('ra.integration_id', 'in', integrationIds)
    .where('ra.actor_id', 'in', accountIds)
    .where('ra.removed_at', 'is', null);
  const grants = groupRoles
    ? direct.unionAll(
        db
          .selectFrom('group_memberships as gm')
          .innerJoin('role_actors as ra', (j) =>
            j
              .onRef('ra.integration_id', '=', 'gm.integration_id')
              .onRef('ra.actor_id', '=', 'gm.group_id')
              .on('ra.actor_type', '=', 'group'),
          )
          .select(['gm.integration_id', 'gm.account_id', 'ra.project_id', 'ra.role_id'])
          .where('gm.integration_id', 'in', integrationIds)
          .where('gm.account_id', 'in', accountIds)
          .where('gm.removed_at', 'is', null)
          .where('ra.removed_at', 'is', null),
      )
    : direct;
  return db
    .selectFrom(grants.as('g'))
    .innerJoin('projects as p', (j) =>
      j.onRef('p.integration_id', '=', 'g.integration_id').onRef('p.project_id', '=', 'g.project_id'),
    )
    .leftJoin('roles as r', (j) =>
      j.onRef('r.integration_id', '=', 'g.integration_id').onRef('r.role_id', '=', 'g.role_id'),
    )
    .select([
      'g.integration_id',
      'g.account_id',
      'g.project_id',
      'g.role_id',
      'p.project_key',
      'r.name as role_name',
    ])
    .where('p.removed_at', 'is', null)
    .orderBy('p.project_key')
    .orderBy('r.name')
    .execute();
}

export {
  getAccountDetail,
  type AccountDetail,
  type HistoryEntry,
  type ProjectRoleGrant,
} from './account-detail.ts';

export {
  licenseSummary,
  inventoryCounts,
  type LicenseLine,
  type LicenseSummaryOptions,
  type InventoryCounts,
} from './inventory-stats.ts';
