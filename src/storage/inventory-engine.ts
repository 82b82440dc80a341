// The page-write engine behind inventory-writes.ts. Each table is described as data (TableSpec);
// one algorithm handles every table: select the page's existing rows by key (IN-lists), compare
// only the fields the caller knows, write only new/changed/restored rows in batched upserts, and
// record every key in sync_seen for the sweep. Unchanged rows are never written.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { chunk } from './helpers.ts';
import type { Database } from './schema.ts';

export type Value = string | number | null;
/** A row as column → value; `undefined` means "this source does not know this field". */
export type ColumnValues = Readonly<Record<string, Value | undefined>>;
export type StoredRow = Readonly<Record<string, Value>>;

export interface WriteContext {
  integrationId: string;
  runId: string;
  /** ISO 8601 UTC. */
  now: string;
}

/** Entities the sweep understands; also the `entity` column of sync_seen. */
export type SeenEntity =
  'accounts' | 'groups' | 'memberships' | 'projects' | 'role_actors' | 'products' | 'product_access';

type InventoryTable =
  | 'accounts'
  | 'groups'
  | 'group_memberships'
  | 'projects'
  | 'roles'
  | 'role_actors'
  | 'products'
  | 'product_access';

export interface TableSpec {
  table: InventoryTable;
  /** null: not tracked for sweeping. */
  seenEntity: SeenEntity | null;
  /** Key columns besides integration_id. */
  keys: readonly string[];
  /** Compared, optional data columns. */
  fields: readonly string[];
  /** Has removed_at (set to null whenever the row is seen). */
  removable: boolean;
  /** Has first_seen_at (set on insert only). */
  firstSeen: boolean;
  /** Columns stamped with ctx.now on every write. */
  touch: readonly string[];
}

export interface RowChange {
  key: string;
  /** The fields the caller supplied (defined ones only), plus keys. */
  row: ColumnValues;
  before: StoredRow | undefined;
  changed: readonly string[];
  restored: boolean;
}

export interface PageResult {
  inserted: RowChange[];
  updated: RowChange[];
  unchanged: number;
}

/**
 * Joins key parts for sync_seen. A space never occurs in Atlassian ids (accountId pattern
 * `[a-zA-Z0-9_|:-]`, UUID group ids, numeric project/role ids, product keys); the sweep builds
 * the same string in SQL with `||`.
 */
export const KEY_SEPARATOR = ' ';

export function keyOf(row: ColumnValues, keys: readonly string[]): string {
  return keys.map((k) => String(row[k])).join(KEY_SEPARATOR);
}

function knownFields(row: ColumnValues, fields: readonly string[]): string[] {
  return fields.filter((f) => row[f] !== undefined);
}

export async function writePage(
  db: Kysely<Database>,
  ctx: WriteContext,
  spec: TableSpec,
  rows: readonly ColumnValues[],
): Promise<PageResult> {
  // Later rows for the same key add to earlier ones (a page may repeat an entity).
  const byKey = new Map<string, ColumnValues>();
  for (const row of rows) {
    const key = keyOf(row, spec.keys);
    const previous = byKey.get(key);
    byKey.set(key, previous ? { ...previous, ...definedOnly(row) } : row);
  }
  const existing = await selectExisting(db, ctx.integrationId, spec, [...byKey.values()]);

  const result: PageResult = { inserted: [], updated: [], unchanged: 0 };
  const toWrite: { signature: string; row: Record<string, Value> }[] = [];
  for (const [key, row] of byKey) {
    const known = knownFields(row, spec.fields);
    const before = existing.get(key);
    if (!before) {
      result.inserted.push({ key, row, before, changed: known, restored: false });
      toWrite.push({ signature: known.join(','), row: newRow(ctx, spec, row) });
      continue;
    }
    const changed = known.filter((f) => row[f] !== before[f]);
    const restored = spec.removable && before.removed_at !== null;
    if (changed.length === 0 && !restored) {
      result.unchanged += 1;
      continue;
    }
    result.updated.push({ key, row, before, changed, restored });
    toWrite.push({ signature: known.join(','), row: mergedRow(ctx, spec, before, row, known) });
  }

  // Rows from one source know the same fields, so this is usually one batch.
  const groups = new Map<string, Record<string, Value>[]>();
  for (const { signature, row } of toWrite) groups.set(signature, [...(groups.get(signature) ?? []), row]);
  for (const [signature, group] of groups) {
    const set = [
      ...(signature === '' ? [] : signature.split(',')),
      ...(spec.removable ? ['removed_at'] : []),
      ...spec.touch,
    ];
    await upsertRows(db, spec, group, set);
  }

  if (spec.seenEntity !== null) await recordSeen(db, ctx.runId, spec.seenEntity, [...byKey.keys()]);
  return result;
}

function definedOnly(row: ColumnValues): ColumnValues {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
}

function allColumns(spec: TableSpec): string[] {
  return [
    'integration_id',
    ...spec.keys,
    ...spec.fields,
    ...(spec.firstSeen ? ['first_seen_at'] : []),
    ...(spec.removable ? ['removed_at'] : []),
    ...spec.touch,
  ];
}

function newRow(ctx: WriteContext, spec: TableSpec, row: ColumnValues): Record<string, Value> {
  const out: Record<string, Value> = { integration_id: ctx.integrationId };
  for (const k of spec.keys) out[k] = row[k] ?? null;
  for (const f of spec.fields) out[f] = row[f] ?? null;
  if (spec.firstSeen) out.first_seen_at = ctx.now;
  if (spec.removable) out.removed_at = null;
  for (const t of spec.touch) out[t] = ctx.now;
  return out;
}

function mergedRow(
  ctx: WriteContext,
  spec: TableSpec,
  before: StoredRow,
  row: ColumnValues,
  known: readonly string[],
): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const column of allColumns(spec)) out[column] = before[column] ?? null;
  for (const f of known) out[f] = row[f] ?? null;
  if (spec.removable) out.removed_at = null;
  for (const t of spec.touch) out[t] = ctx.now;
  return out;
}

async function selectExisting(
  db: Kysely<Database>,
  integrationId: string,
  spec: TableSpec,
  rows: readonly ColumnValues[],
): Promise<Map<string, StoredRow>> {
  const found = new Map<string, StoredRow>();
  // IN-lists per key column select a superset for composite keys; the map lookup narrows it.
  for (const part of chunk(rows, 5 * spec.keys.length)) {
    const conditions = spec.keys.map((k) => {
      const values = [...new Set(part.map((r) => String(r[k])))];
      return sql`${sql.ref(k)} in (${sql.join(values)})`;
    });
    const result = await sql<StoredRow>`select * from ${sql.table(spec.table)}
      where integration_id = ${integrationId} and ${sql.join(conditions, sql` and `)}`.execute(db);
    for (const row of result.rows) found.set(keyOf(row, spec.keys), row);
  }
  return found;
}

async function upsertRows(
  db: Kysely<Database>,
  spec: TableSpec,
  rows: readonly Record<string, Value>[],
  set: readonly string[],
): Promise<void> {
  const columns = allColumns(spec);
  const conflict = ['integration_id', ...spec.keys];
  const onConflict: RawBuilder<unknown> =
    set.length === 0
      ? sql`do nothing`
      : sql`do update set ${sql.join(set.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`;
  for (const part of chunk(rows, columns.length)) {
    const values = part.map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`);
    await sql`insert into ${sql.table(spec.table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      values ${sql.join(values)}
      on conflict (${sql.join(conflict.map((c) => sql.ref(c)))}) ${onConflict}`.execute(db);
  }
}

async function recordSeen(
  db: Kysely<Database>,
  runId: string,
  entity: SeenEntity,
  keys: readonly string[],
): Promise<void> {
  for (const part of chunk(keys, 3)) {
    await db
      .insertInto('sync_seen')
      .values(part.map((key) => ({ run_id: runId, entity, key })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
