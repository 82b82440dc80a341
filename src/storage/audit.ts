// The append-only, hash-chained audit log. Each event's hash covers its fields and the previous
// event's hash, so editing, removing or reordering a row breaks the chain at that row. This module
// exposes append and read only: nothing in Seatwarden updates or deletes an event.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { escapeLike, inTransaction, toCount } from './helpers.ts';
import type { Database, IsoTime } from './schema.ts';

export type Via = 'ui' | 'api' | 'cli' | 'job';
export const VIAS: readonly Via[] = ['ui', 'api', 'cli', 'job'];

export type AuditEventsTable = {
  seq: number;
  at: IsoTime;
  actor: string;
  via: Via;
  integration_id: string | null;
  action: string;
  target: string;
  request_id: string | null;
  outcome: string;
  atlassian_status: number | null;
  /** Canonical JSON text. */
  detail: string;
  prev_hash: string;
  hash: string;
};

export type AuditHeadTable = { id: number; seq: number; hash: string; updated_at: IsoTime };

export type AuditTables = { audit_events: AuditEventsTable; audit_head: AuditHeadTable };
type AuditDb = Kysely<Database & AuditTables>;

function auditTables(db: Kysely<Database> | Transaction<Database>): AuditDb {
  return db.withTables<AuditTables>();
}

export const GENESIS_HASH = '0'.repeat(64);
const HEAD_ID = 1;

export interface AuditEventInput {
  at: IsoTime;
  actor: string;
  via: Via;
  integrationId: string | null;
  action: string;
  target: string;
  requestId: string | null;
  outcome: string;
  atlassianStatus: number | null;
  detail: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends Omit<AuditEventInput, 'detail'> {
  seq: number;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}

function hashRow(row: Omit<AuditEventsTable, 'hash'>): string {
  const fields = {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    via: row.via,
    integrationId: row.integration_id,
    action: row.action,
    target: row.target,
    requestId: row.request_id,
    outcome: row.outcome,
    atlassianStatus: row.atlassian_status,
    detail: row.detail,
    prevHash: row.prev_hash,
  };
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/**
 * Appends one event. Call it inside the transaction that makes the change it records. The head
 * row is updated FIRST: that takes a row lock on PostgreSQL and the write lock on SQLite, so two
 * writers (even in two processes) queue instead of both chaining onto the same previous event.
 */
export async function appendAuditEvent(
  db: Kysely<Database> | Transaction<Database>,
  event: AuditEventInput,
): Promise<AuditEvent> {
  return inTransaction(db, async (trx) => {
    const adb = auditTables(trx);
    // The migration creates the head row, so this always locks exactly one row.
    await adb.updateTable('audit_head').set({ updated_at: event.at }).where('id', '=', HEAD_ID).execute();
    const head = await adb
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', HEAD_ID)
      .executeTakeFirstOrThrow();
    const row = {
      seq: head.seq + 1,
      at: event.at,
      actor: event.actor,
      via: event.via,
      integration_id: event.integrationId,
      action: event.action,
      target: event.target,
      request_id: event.requestId,
      outcome: event.outcome,
      atlassian_status: event.atlassianStatus,
      detail: canonicalJson(event.detail),
      prev_hash: head.hash,
    };
    const hash = hashRow(row);
    await adb
      .insertInto('audit_events')
      .values({ ...row, hash })
      .execute();
    await adb.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', HEAD_ID).execute();
    return toEvent({ ...row, hash });
  });
}

export interface AuditFilter {
  integrationId?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  /** Substring of the target. */
  target?: string;
  via?: Via;
  from?: IsoTime;
  to?: IsoTime;
  /** Events with seq below this (paging newest first). */
  beforeSeq?: number;
  limit?: number;
}

export const MAX_AUDIT_PAGE = 1000;

/** Newest first. */
export async function listAuditEvents(db: Kysely<Database>, filter: AuditFilter = {}): Promise<AuditEvent[]> {
  let query = auditTables(db).selectFrom('audit_events').selectAll();
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
  if (filter.via !== undefined) query = query.where('via', '=', filter.via);
  if (filter.target !== undefined) query = query.where('target', 'like', `%${escapeLike(filter.target)}%`);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  const limit = Math.min(Math.max(1, filter.limit ?? 100), MAX_AUDIT_PAGE);
  const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(toEvent);
}

export async function countAuditEvents(db: Kysely<Database>): Promise<number> {
  const row = await auditTables(db)
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return toCount(row?.n);
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  firstBad?: { seq: number; reason: string };
}

const VERIFY_BATCH = 1000;

/** Walks the whole chain in order; the first row that does not fit is named with the reason. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainVerdict> {
  const adb = auditTables(db);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await adb
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(VERIFY_BATCH)
      .execute();
    for (const raw of rows) {
      const row = raw;
      const bad = (reason: string): ChainVerdict => ({
        ok: false,
        checked,
        firstBad: { seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          checked,
          firstBad: {
            seq: expectedSeq,
            reason: `event ${String(expectedSeq)} is missing (removed); the chain resumes at ${String(row.seq)}`,
          },
        };
      }
      if (row.prev_hash !== prevHash)
        return bad('prev_hash does not match the previous event (removed or reordered)');
      const { hash, ...fields } = row;
      if (hashRow(fields) !== hash) return bad('hash does not match the content (edited)');
      checked += 1;
      prevHash = hash;
      expectedSeq += 1;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  const head = await adb
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', HEAD_ID)
    .executeTakeFirst();
  const headSeq = head ? head.seq : 0;
  if (headSeq !== expectedSeq - 1 || (head !== undefined && head.hash !== prevHash)) {
    return {
      ok: false,
      checked,
      firstBad: {
        seq: expectedSeq,
        reason: `the chain head records event ${String(headSeq)}: events at the end were removed or the head was edited`,
      },
    };
  }
  return { ok: true, checked };
}

function toEvent(row: AuditEventsTable): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    via: row.via,
    integrationId: row.integration_id,
    action: row.action,
    target: row.target,
    requestId: row.request_id,
    outcome: row.outcome,
    atlassianStatus: row.atlassian_status,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
