// Aggregates: the license view (seats per product and plan) and inventory counts (used by tests
// and the sync report to compare the store with the source).
import { sql, type Kysely } from 'kysely';
import { daysBefore, toCount } from './helpers.ts';
import type { Database } from './schema.ts';

export interface LicenseSummaryOptions {
  integrationId?: string;
  /** ISO 8601 reference time. */
  now: string;
  /** A billable seat is idle when its last activity is older than this, or unknown. Default 90. */
  inactiveDays?: number;
}

export interface LicenseLine {
  integrationId: string;
  productKey: string;
  name: string | null;
  plan: string | null;
  /** Seats bought; null = unlimited or unknown. */
  seatsTotal: number | null;
  /** As reported by Atlassian, else the count of accounts with access. */
  seatsUsed: number;
  /** null when seatsTotal is null. */
  seatsRemaining: number | null;
  /** Present accounts with present access. */
  assigned: number;
  billableAssigned: number;
  /**
   * Billable accounts with access whose last activity on this product (else on any product) is
   * older than inactiveDays, or unknown.
   */
  inactiveBillable: number;
}

export async function licenseSummary(
  db: Kysely<Database>,
  opts: LicenseSummaryOptions,
): Promise<LicenseLine[]> {
  const cutoff = daysBefore(opts.now, opts.inactiveDays ?? 90);
  let usage = db
    .selectFrom('product_access as pa')
    .innerJoin('accounts as a', (j) =>
      j.onRef('a.integration_id', '=', 'pa.integration_id').onRef('a.account_id', '=', 'pa.account_id'),
    )
    .select((eb) => [
      'pa.integration_id',
      'pa.product_key',
      eb.fn.countAll<string | number>().as('assigned'),
      sql<string | number>`sum(case when a.billable = 1 then 1 else 0 end)`.as('billable_assigned'),
      sql<string | number>`sum(case when a.billable = 1
        and (coalesce(pa.last_active, a.last_active) is null or coalesce(pa.last_active, a.last_active) < ${cutoff})
        then 1 else 0 end)`.as('inactive_billable'),
    ])
    .where('pa.removed_at', 'is', null)
    .where('a.removed_at', 'is', null)
    .groupBy(['pa.integration_id', 'pa.product_key']);
  let products = db.selectFrom('products').selectAll();
  if (opts.integrationId !== undefined) {
    usage = usage.where('pa.integration_id', '=', opts.integrationId);
    products = products.where('integration_id', '=', opts.integrationId);
  }
  const [usageRows, productRows] = await Promise.all([usage.execute(), products.execute()]);

  const lines = new Map<string, LicenseLine>();
  const key = (integrationId: string, productKey: string): string => `${integrationId} ${productKey}`;
  for (const p of productRows) {
    lines.set(key(p.integration_id, p.product_key), {
      integrationId: p.integration_id,
      productKey: p.product_key,
      name: p.name,
      plan: p.plan,
      seatsTotal: p.seats_total,
      seatsUsed: p.seats_used ?? 0,
      seatsRemaining: null,
      assigned: 0,
      billableAssigned: 0,
      inactiveBillable: 0,
    });
  }
  for (const u of usageRows) {
    const k = key(u.integration_id, u.product_key);
    const line = lines.get(k) ?? {
      integrationId: u.integration_id,
      productKey: u.product_key,
      name: null,
      plan: null,
      seatsTotal: null,
      seatsUsed: 0,
      seatsRemaining: null,
      assigned: 0,
      billableAssigned: 0,
      inactiveBillable: 0,
    };
    line.assigned = toCount(u.assigned);
    line.billableAssigned = toCount(u.billable_assigned);
    line.inactiveBillable = toCount(u.inactive_billable);
    lines.set(k, line);
  }
  const reported = new Map(productRows.map((p) => [key(p.integration_id, p.product_key), p.seats_used]));
  for (const [k, line] of lines) {
    line.seatsUsed = reported.get(k) ?? line.assigned;
    line.seatsRemaining = line.seatsTotal === null ? null : line.seatsTotal - line.seatsUsed;
  }
  return [...lines.values()].sort(
    (a, b) => a.integrationId.localeCompare(b.integrationId) || a.productKey.localeCompare(b.productKey),
  );
}

export interface InventoryCounts {
  accounts: number;
  /** Keyed `${accountType}/${status}` ('unknown' for null). */
  accountsByTypeAndStatus: Record<string, number>;
  groups: number;
  memberships: number;
  projects: number;
  roles: number;
  roleActors: number;
  products: number;
  productAccess: number;
}

/** Counts of present rows of one integration. */
export async function inventoryCounts(db: Kysely<Database>, integrationId: string): Promise<InventoryCounts> {
  const present = async (
    table: 'groups' | 'group_memberships' | 'projects' | 'role_actors' | 'product_access',
  ): Promise<number> => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('integration_id', '=', integrationId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return toCount(row?.n);
  };
  const all = async (table: 'roles' | 'products'): Promise<number> => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('integration_id', '=', integrationId)
      .executeTakeFirst();
    return toCount(row?.n);
  };
  const byTypeAndStatus = await db
    .selectFrom('accounts')
    .select((eb) => ['account_type', 'status', eb.fn.countAll<string | number>().as('n')])
    .where('integration_id', '=', integrationId)
    .where('removed_at', 'is', null)
    .groupBy(['account_type', 'status'])
    .execute();
  const accountsByTypeAndStatus: Record<string, number> = {};
  let accounts = 0;
  for (const row of byTypeAndStatus) {
    const n = toCount(row.n);
    accountsByTypeAndStatus[`${row.account_type ?? 'unknown'}/${row.status ?? 'unknown'}`] = n;
    accounts += n;
  }
  return {
    accounts,
    accountsByTypeAndStatus,
    groups: await present('groups'),
    memberships: await present('group_memberships'),
    projects: await present('projects'),
    roles: await all('roles'),
    roleActors: await present('role_actors'),
    products: await all('products'),
    productAccess: await present('product_access'),
  };
}
