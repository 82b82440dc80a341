// Writes one page of synced inventory in one transaction. Fields left `undefined` mean "this
// source does not know", so the Jira user list and the org directory can fill the same account in
// one run without overwriting each other. History is written on the account; a baseline run (the
// integration has no complete successful run yet) writes no history at all, to avoid a flood of
// "added" rows on the first import.
import type { Kysely } from 'kysely';
import { chunk, inTransaction, toFlag, toIsoTime } from './helpers.ts';
import {
  writePage,
  type ColumnValues,
  type PageResult,
  type RowChange,
  type TableSpec,
  type Value,
  type WriteContext,
} from './inventory-engine.ts';
import type {
  AccountStatus,
  ActorType,
  Database,
  HistoryChange,
  MembershipStatus,
  NewHistoryRecord,
} from './schema.ts';
import { isBaselineRun } from './sync-runs.ts';

export type { WriteContext } from './inventory-engine.ts';
export { sweep, type SweepCounts } from './inventory-sweep.ts';

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export type AccountInput = { accountId: string } & Partial<{
  accountType: string | null;
  appType: string | null;
  status: AccountStatus | null;
  membershipStatus: MembershipStatus | null;
  jiraActive: boolean | null;
  managed: boolean | null;
  billable: boolean | null;
  email: string | null;
  displayName: string | null;
  /** ISO 8601; normalised to UTC with milliseconds. */
  lastActive: string | null;
  inDirectory: boolean | null;
}>;

export type GroupInput = { groupId: string } & Partial<{
  name: string | null;
  description: string | null;
  idpManaged: boolean | null;
}>;

export interface MembershipInput {
  groupId: string;
  accountId: string;
}

export type ProjectInput = { projectId: string } & Partial<{
  projectKey: string | null;
  name: string | null;
  projectType: string | null;
  leadAccountId: string | null;
  archived: boolean | null;
}>;

export type RoleInput = { roleId: string } & Partial<{ name: string | null; description: string | null }>;

export interface RoleActorInput {
  projectId: string;
  roleId: string;
  actorType: ActorType;
  actorId: string;
}

export type ProductInput = { productKey: string } & Partial<{
  name: string | null;
  plan: string | null;
  /** null = unlimited or unknown. */
  seatsTotal: number | null;
  seatsUsed: number | null;
  ari: string | null;
  url: string | null;
}>;

export interface ProductAccessInput {
  accountId: string;
  productKey: string;
  lastActive?: string | null;
}

/** Input field → column, and how to store the value. Declared as data so the mapping is plain. */
type Conversion = 'text' | 'flag' | 'time' | 'number';
const ACCOUNT_FIELDS = {
  accountType: ['account_type', 'text'],
  appType: ['app_type', 'text'],
  status: ['status', 'text'],
  membershipStatus: ['membership_status', 'text'],
  jiraActive: ['jira_active', 'flag'],
  managed: ['managed', 'flag'],
  billable: ['billable', 'flag'],
  email: ['email', 'text'],
  displayName: ['display_name', 'text'],
  lastActive: ['last_active', 'time'],
  inDirectory: ['in_directory', 'flag'],
} as const satisfies Record<string, readonly [string, Conversion]>;
const GROUP_FIELDS = {
  name: ['name', 'text'],
  description: ['description', 'text'],
  idpManaged: ['idp_managed', 'flag'],
} as const satisfies Record<string, readonly [string, Conversion]>;
const PROJECT_FIELDS = {
  projectKey: ['project_key', 'text'],
  name: ['name', 'text'],
  projectType: ['project_type', 'text'],
  leadAccountId: ['lead_account_id', 'text'],
  archived: ['archived', 'flag'],
} as const satisfies Record<string, readonly [string, Conversion]>;
const ROLE_FIELDS = {
  name: ['name', 'text'],
  description: ['description', 'text'],
} as const satisfies Record<string, readonly [string, Conversion]>;
const PRODUCT_FIELDS = {
  name: ['name', 'text'],
  plan: ['plan', 'text'],
  seatsTotal: ['seats_total', 'number'],
  seatsUsed: ['seats_used', 'number'],
  ari: ['ari', 'text'],
  url: ['url', 'text'],
} as const satisfies Record<string, readonly [string, Conversion]>;

type FieldMap = Readonly<Record<string, readonly [string, Conversion]>>;

const columnsOf = (fields: FieldMap): string[] => Object.values(fields).map(([column]) => column);

const SPECS = {
  accounts: {
    table: 'accounts',
    seenEntity: 'accounts',
    keys: ['account_id'],
    fields: columnsOf(ACCOUNT_FIELDS),
    removable: true,
    firstSeen: true,
    touch: ['last_seen_at', 'updated_at'],
  },
  groups: {
    table: 'groups',
    seenEntity: 'groups',
    keys: ['group_id'],
    fields: columnsOf(GROUP_FIELDS),
    removable: true,
    firstSeen: true,
    touch: [],
  },
  memberships: {
    table: 'group_memberships',
    seenEntity: 'memberships',
    keys: ['group_id', 'account_id'],
    fields: [],
    removable: true,
    firstSeen: true,
    touch: [],
  },
  projects: {
    table: 'projects',
    seenEntity: 'projects',
    keys: ['project_id'],
    fields: columnsOf(PROJECT_FIELDS),
    removable: true,
    firstSeen: true,
    touch: [],
  },
  roles: {
    table: 'roles',
    seenEntity: null,
    keys: ['role_id'],
    fields: columnsOf(ROLE_FIELDS),
    removable: false,
    firstSeen: false,
    touch: [],
  },
  roleActors: {
    table: 'role_actors',
    seenEntity: 'role_actors',
    keys: ['project_id', 'role_id', 'actor_type', 'actor_id'],
    fields: [],
    removable: true,
    firstSeen: true,
    touch: [],
  },
  products: {
    table: 'products',
    seenEntity: 'products',
    keys: ['product_key'],
    fields: columnsOf(PRODUCT_FIELDS),
    removable: false,
    firstSeen: false,
    touch: ['updated_at'],
  },
  productAccess: {
    table: 'product_access',
    seenEntity: 'product_access',
    keys: ['account_id', 'product_key'],
    fields: ['last_active'],
    removable: true,
    firstSeen: true,
    touch: [],
  },
} as const satisfies Record<string, TableSpec>;

/** Account fields whose changes are stored but not written to history: they move every day. */
const NO_HISTORY_FIELDS: ReadonlySet<string> = new Set(['last_active']);

function convert(value: unknown, how: Conversion): Value | undefined {
  if (value === undefined || value === null) return value;
  switch (how) {
    case 'flag':
      return toFlag(value === true);
    case 'time':
      return toIsoTime(value as string);
    case 'number':
      return value as number;
    case 'text':
      return value as string;
  }
}

function toColumns(
  input: Readonly<Record<string, unknown>>,
  fields: FieldMap,
  keys: Record<string, string>,
): ColumnValues {
  const out: Record<string, Value | undefined> = { ...keys };
  for (const [name, [column, how]] of Object.entries(fields)) out[column] = convert(input[name], how);
  return out;
}

function counts(result: PageResult): WriteCounts {
  return { inserted: result.inserted.length, updated: result.updated.length, unchanged: result.unchanged };
}

/** Writes history rows unless this is a baseline run. */
async function writeHistory(
  db: Kysely<Database>,
  ctx: WriteContext,
  entries: readonly HistoryEntryInput[],
): Promise<void> {
  if (entries.length === 0 || (await isBaselineRun(db, ctx.integrationId))) return;
  const rows: NewHistoryRecord[] = entries.map((e) => ({
    integration_id: ctx.integrationId,
    account_id: e.accountId,
    run_id: ctx.runId,
    changed_at: ctx.now,
    change: e.change,
    field: e.field ?? null,
    old_value: e.oldValue ?? null,
    new_value: e.newValue ?? null,
  }));
  for (const part of chunk(rows, 8)) await db.insertInto('account_history').values(part).execute();
}

interface HistoryEntryInput {
  accountId: string;
  change: HistoryChange;
  field?: string | null;
  oldValue?: string | null;
  newValue?: string | null;
}

const FIELD_NAME_BY_COLUMN: ReadonlyMap<string, string> = new Map(
  Object.entries(ACCOUNT_FIELDS).map(([name, [column]]) => [column, name]),
);
const FLAG_COLUMNS: ReadonlySet<string> = new Set<string>(
  Object.values(ACCOUNT_FIELDS)
    .filter(([, how]) => how === 'flag')
    .map(([column]) => column),
);

function historyText(column: string, value: Value | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (FLAG_COLUMNS.has(column)) return value === 1 ? 'true' : 'false';
  return String(value);
}

function accountHistory(change: RowChange, kind: 'inserted' | 'updated'): HistoryEntryInput[] {
  const accountId = String(change.row.account_id);
  if (kind === 'inserted') return [{ accountId, change: 'added' }];
  const entries: HistoryEntryInput[] = change.restored ? [{ accountId, change: 'restored' }] : [];
  for (const column of change.changed) {
    // null → value is a source filling in a field it was first to know, not a change.
    if (NO_HISTORY_FIELDS.has(column) || change.before?.[column] === null) continue;
    entries.push({
      accountId,
      change: 'updated',
      field: FIELD_NAME_BY_COLUMN.get(column) ?? column,
      oldValue: historyText(column, change.before?.[column]),
      newValue: historyText(column, change.row[column]),
    });
  }
  return entries;
}

/** New or restored rows: the grants an account gained. */
function gained(result: PageResult): RowChange[] {
  return [...result.inserted, ...result.updated.filter((c) => c.restored)];
}

export async function upsertAccounts(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly AccountInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => toColumns(r, ACCOUNT_FIELDS, { account_id: r.accountId }));
    const result = await writePage(trx, ctx, SPECS.accounts, page);
    await writeHistory(trx, ctx, [
      ...result.inserted.flatMap((c) => accountHistory(c, 'inserted')),
      ...result.updated.flatMap((c) => accountHistory(c, 'updated')),
    ]);
    return counts(result);
  });
}

export async function upsertGroups(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly GroupInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => toColumns(r, GROUP_FIELDS, { group_id: r.groupId }));
    return counts(await writePage(trx, ctx, SPECS.groups, page));
  });
}

export async function upsertMemberships(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly MembershipInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => ({ group_id: r.groupId, account_id: r.accountId }));
    const result = await writePage(trx, ctx, SPECS.memberships, page);
    await writeHistory(
      trx,
      ctx,
      gained(result).map((c) => ({
        accountId: String(c.row.account_id),
        change: 'group_added',
        field: 'group',
        newValue: String(c.row.group_id),
      })),
    );
    return counts(result);
  });
}

/** A lead change is recorded on both the old and the new lead's account (field = project id). */
export async function upsertProjects(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly ProjectInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => toColumns(r, PROJECT_FIELDS, { project_id: r.projectId }));
    const result = await writePage(trx, ctx, SPECS.projects, page);
    const entries: HistoryEntryInput[] = [];
    for (const change of result.updated) {
      if (!change.changed.includes('lead_account_id')) continue;
      const oldLead = change.before?.lead_account_id ?? null;
      const newLead = change.row.lead_account_id ?? null;
      for (const lead of new Set([oldLead, newLead])) {
        if (lead === null) continue;
        entries.push({
          accountId: String(lead),
          change: 'lead_changed',
          field: String(change.row.project_id),
          oldValue: oldLead === null ? null : String(oldLead),
          newValue: newLead === null ? null : String(newLead),
        });
      }
    }
    await writeHistory(trx, ctx, entries);
    return counts(result);
  });
}

/** Roles are definitions (few, never swept). */
export async function upsertRoles(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly RoleInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => toColumns(r, ROLE_FIELDS, { role_id: r.roleId }));
    return counts(await writePage(trx, ctx, SPECS.roles, page));
  });
}

/** History value for a role grant: `projectId:roleId` (field 'project_role'). */
export function projectRoleValue(projectId: string, roleId: string): string {
  return `${projectId}:${roleId}`;
}

export async function upsertRoleActors(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly RoleActorInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => ({
      project_id: r.projectId,
      role_id: r.roleId,
      actor_type: r.actorType,
      actor_id: r.actorId,
    }));
    const result = await writePage(trx, ctx, SPECS.roleActors, page);
    await writeHistory(
      trx,
      ctx,
      gained(result)
        .filter((c) => c.row.actor_type === 'user')
        .map((c) => ({
          accountId: String(c.row.actor_id),
          change: 'role_added',
          field: 'project_role',
          newValue: projectRoleValue(String(c.row.project_id), String(c.row.role_id)),
        })),
    );
    return counts(result);
  });
}

/**
 * Upserts products and their plan/seat data (fields left undefined are kept). Products are few;
 * a product missing from a complete run is deleted by `sweep(…, ['products'])`.
 */
export async function replaceProducts(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly ProductInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => toColumns(r, PRODUCT_FIELDS, { product_key: r.productKey }));
    return counts(await writePage(trx, ctx, SPECS.products, page));
  });
}

export async function upsertProductAccess(
  db: Kysely<Database>,
  ctx: WriteContext,
  rows: readonly ProductAccessInput[],
): Promise<WriteCounts> {
  return inTransaction(db, async (trx) => {
    const page = rows.map((r) => ({
      account_id: r.accountId,
      product_key: r.productKey,
      last_active:
        r.lastActive === undefined || r.lastActive === null ? r.lastActive : toIsoTime(r.lastActive),
    }));
    const result = await writePage(trx, ctx, SPECS.productAccess, page);
    await writeHistory(
      trx,
      ctx,
      gained(result).map((c) => ({
        accountId: String(c.row.account_id),
        change: 'product_added',
        field: 'product',
        newValue: String(c.row.product_key),
      })),
    );
    return counts(result);
  });
}
