// Provisioning operations and their items. An item is claimed (pending → running with a lease)
// before its Atlassian call, and its outcome is written in the caller's transaction together with
// the audit event and the inventory change; an expired lease marks an item whose process died.
import type { Kysely, Transaction } from 'kysely';
import type { Via } from './audit.ts';
import type { Database, Flag, IsoTime } from './schema.ts';

export type OperationStatus = 'pending' | 'running' | 'succeeded' | 'partial' | 'failed' | 'refused';
export type ItemStatus = 'pending' | 'running' | 'succeeded' | 'skipped' | 'failed' | 'refused';

export type OperationsTable = {
  id: string;
  integration_id: string;
  kind: string;
  actor: string;
  via: Via;
  request_id: string | null;
  status: OperationStatus;
  dry_run: Flag;
  created_at: IsoTime;
  finished_at: IsoTime | null;
};

export type OperationItemsTable = {
  operation_id: string;
  seq: number;
  action: string;
  /** JSON text. */
  input: string;
  status: ItemStatus;
  /** JSON text. */
  result: string | null;
  atlassian_status: number | null;
  attempts: number;
  lease_until: IsoTime | null;
  updated_at: IsoTime;
};

export type ActionTables = { operations: OperationsTable; operation_items: OperationItemsTable };
type Db = Kysely<Database> | Transaction<Database>;

function actionTables(db: Db): Kysely<Database & ActionTables> {
  return db.withTables<ActionTables>();
}

export interface OperationItem {
  seq: number;
  action: string;
  input: Record<string, unknown>;
  status: ItemStatus;
  result: Record<string, unknown> | null;
  atlassianStatus: number | null;
  attempts: number;
  leaseUntil: IsoTime | null;
  updatedAt: IsoTime;
}

export interface Operation {
  id: string;
  integrationId: string;
  kind: string;
  actor: string;
  via: Via;
  requestId: string | null;
  status: OperationStatus;
  dryRun: boolean;
  createdAt: IsoTime;
  finishedAt: IsoTime | null;
  items: OperationItem[];
}

export interface NewOperation {
  id: string;
  integrationId: string;
  kind: string;
  actor: string;
  via: Via;
  requestId: string | null;
  dryRun: boolean;
  now: IsoTime;
  items: readonly { action: string; input: Readonly<Record<string, unknown>> }[];
}

export async function createOperation(db: Db, op: NewOperation): Promise<void> {
  const adb = actionTables(db);
  await adb
    .insertInto('operations')
    .values({
      id: op.id,
      integration_id: op.integrationId,
      kind: op.kind,
      actor: op.actor,
      via: op.via,
      request_id: op.requestId,
      status: 'pending',
      dry_run: op.dryRun ? 1 : 0,
      created_at: op.now,
      finished_at: null,
    })
    .execute();
  if (op.items.length === 0) return;
  await adb
    .insertInto('operation_items')
    .values(
      op.items.map((item, index) => ({
        operation_id: op.id,
        seq: index + 1,
        action: item.action,
        input: JSON.stringify(item.input),
        status: 'pending' as const,
        result: null,
        atlassian_status: null,
        attempts: 0,
        lease_until: null,
        updated_at: op.now,
      })),
    )
    .execute();
}

/**
 * Takes an item for this process: pending, or running with an expired lease (its process died).
 * Returns the status it had, or undefined when another process holds it or it is finished.
 */
export async function claimItem(
  db: Db,
  operationId: string,
  seq: number,
  now: IsoTime,
  leaseUntil: IsoTime,
): Promise<'pending' | 'running' | undefined> {
  const adb = actionTables(db);
  const before = await adb
    .selectFrom('operation_items')
    .select(['status', 'lease_until'])
    .where('operation_id', '=', operationId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!before) return undefined;
  const claimable =
    before.status === 'pending' || (before.status === 'running' && (before.lease_until ?? '') < now);
  if (!claimable) return undefined;
  // The status and lease in the WHERE make the claim atomic: of two claimers only one updates.
  const updated = await adb
    .updateTable('operation_items')
    .set((eb) => ({
      status: 'running',
      lease_until: leaseUntil,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('operation_id', '=', operationId)
    .where('seq', '=', seq)
    .where('status', '=', before.status)
    .where((eb) =>
      before.lease_until === null
        ? eb('lease_until', 'is', null)
        : eb('lease_until', '=', before.lease_until),
    )
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n ? (before.status as 'pending' | 'running') : undefined;
}

export interface ItemOutcome {
  status: Exclude<ItemStatus, 'pending' | 'running'>;
  result: Readonly<Record<string, unknown>>;
  atlassianStatus: number | null;
  now: IsoTime;
}

export async function finishItem(
  db: Db,
  operationId: string,
  seq: number,
  outcome: ItemOutcome,
): Promise<void> {
  await actionTables(db)
    .updateTable('operation_items')
    .set({
      status: outcome.status,
      result: JSON.stringify(outcome.result),
      atlassian_status: outcome.atlassianStatus,
      lease_until: null,
      updated_at: outcome.now,
    })
    .where('operation_id', '=', operationId)
    .where('seq', '=', seq)
    .execute();
}

export async function setOperationStatus(
  db: Db,
  operationId: string,
  status: OperationStatus,
  finishedAt: IsoTime | null,
): Promise<void> {
  await actionTables(db)
    .updateTable('operations')
    .set({ status, finished_at: finishedAt })
    .where('id', '=', operationId)
    .execute();
}

/** The operation's status from its items' statuses. */
export function summariseStatus(items: readonly Pick<OperationItem, 'status'>[]): OperationStatus {
  if (items.some((i) => i.status === 'pending' || i.status === 'running')) return 'running';
  const ok = items.filter((i) => i.status === 'succeeded' || i.status === 'skipped').length;
  if (ok === items.length) return 'succeeded';
  if (ok > 0) return 'partial';
  return items.every((i) => i.status === 'refused') ? 'refused' : 'failed';
}

export async function getOperation(db: Db, id: string): Promise<Operation | undefined> {
  const adb = actionTables(db);
  const op = await adb.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!op) return undefined;
  const items = await adb
    .selectFrom('operation_items')
    .selectAll()
    .where('operation_id', '=', id)
    .orderBy('seq')
    .execute();
  return {
    id: op.id,
    integrationId: op.integration_id,
    kind: op.kind,
    actor: op.actor,
    via: op.via,
    requestId: op.request_id,
    status: op.status,
    dryRun: op.dry_run === 1,
    createdAt: op.created_at,
    finishedAt: op.finished_at,
    items: items.map((row) => ({
      seq: row.seq,
      action: row.action,
      input: JSON.parse(row.input) as Record<string, unknown>,
      status: row.status,
      result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
      atlassianStatus: row.atlassian_status,
      attempts: row.attempts,
      leaseUntil: row.lease_until,
      updatedAt: row.updated_at,
    })),
  };
}

/** Operations left unfinished (a crashed process), oldest first, for `actions resume`. */
export async function listUnfinishedOperations(
  db: Db,
): Promise<{ id: string; kind: string; createdAt: IsoTime }[]> {
  const rows = await actionTables(db)
    .selectFrom('operations')
    .select(['id', 'kind', 'created_at'])
    .where('status', 'in', ['pending', 'running'])
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, createdAt: r.created_at }));
}
