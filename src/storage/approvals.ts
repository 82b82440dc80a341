// Access requests: rows, their JSON parts (steps, notes) and the approvers of each current step.
// Every state change goes through `updateRequest`, a conditional UPDATE on (id, version): of two
// writers that read the same version, exactly one changes the row; the other learns it lost.
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import {
  ITEM_KINDS,
  REQUEST_STATUSES,
  storedStepSchema,
  targetSchema,
  type AccessRequest,
  type ItemKind,
  type Note,
  type RequestStatus,
  type StoredStep,
} from '../approvals/types.ts';
import { toCount } from './helpers.ts';
import type { Database, Flag, IsoTime } from './schema.ts';

export type AccessRequestsTable = {
  id: string;
  integration_id: string;
  catalog_item_id: string;
  item_kind: ItemKind;
  item_label: string;
  /** JSON text: ItemTarget. */
  item_target: string;
  requester_user_id: string;
  requester_email: string;
  requester_account_id: string;
  reason: string;
  duration_days: number | null;
  expires_at: IsoTime | null;
  status: RequestStatus;
  version: number;
  /** JSON text: StoredStep[]. */
  steps: string;
  /** JSON text: Note[]. */
  notes: string;
  provision_operation_id: string | null;
  provision_error: string | null;
  provision_at: IsoTime | null;
  revoke_operation_id: string | null;
  revoke_error: string | null;
  revoke_at: IsoTime | null;
  expiry_notice_sent: Flag;
  created_at: IsoTime;
  updated_at: IsoTime;
  decided_at: IsoTime | null;
};

export type AccessRequestApproversTable = { request_id: string; user_id: string };

export type RequestTables = {
  access_requests: AccessRequestsTable;
  access_request_approvers: AccessRequestApproversTable;
};
export type Db = Kysely<Database> | Transaction<Database>;

export function requestTables(db: Db): Kysely<Database & RequestTables> {
  return db.withTables<RequestTables>();
}

/** A request as stored: the contract's shape plus what only the server needs. */
export interface StoredRequest extends Omit<AccessRequest, 'steps'> {
  steps: StoredStep[];
  version: number;
  durationDays: number | null;
  expiryNoticeSent: boolean;
}

const notesSchema = z.array(z.object({ at: z.string(), text: z.string() }));

function toRequest(row: AccessRequestsTable): StoredRequest {
  const operationRef = (id: string | null, error: string | null, at: string | null) =>
    id === null && error === null && at === null ? null : { operationId: id, error, at };
  return {
    id: row.id,
    integrationId: row.integration_id,
    catalogItemId: row.catalog_item_id,
    item: {
      kind: z.enum(ITEM_KINDS).parse(row.item_kind),
      label: row.item_label,
      target: targetSchema.parse(JSON.parse(row.item_target)),
    },
    requester: {
      userId: row.requester_user_id,
      email: row.requester_email,
      accountId: row.requester_account_id,
    },
    reason: row.reason,
    expiresAt: row.expires_at,
    status: z.enum(REQUEST_STATUSES).parse(row.status),
    steps: z.array(storedStepSchema).parse(JSON.parse(row.steps)),
    notes: notesSchema.parse(JSON.parse(row.notes)),
    provisioning: operationRef(row.provision_operation_id, row.provision_error, row.provision_at),
    revoke: operationRef(row.revoke_operation_id, row.revoke_error, row.revoke_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    decidedAt: row.decided_at,
    version: row.version,
    durationDays: row.duration_days,
    expiryNoticeSent: row.expiry_notice_sent === 1,
  };
}

/** The user ids who may decide the request's current step (the inbox index). */
export function currentApproverIds(request: Pick<StoredRequest, 'status' | 'steps'>): string[] {
  if (request.status !== 'pending') return [];
  const step = request.steps.find((s) => s.status === 'pending');
  const ids = (step?.approvers ?? []).flatMap((a) => (a.userId === null ? [] : [a.userId]));
  return [...new Set(ids)];
}

async function writeApprovers(db: Db, request: StoredRequest): Promise<void> {
  const t = requestTables(db);
  await t.deleteFrom('access_request_approvers').where('request_id', '=', request.id).execute();
  const ids = currentApproverIds(request);
  if (ids.length > 0) {
    await t
      .insertInto('access_request_approvers')
      .values(ids.map((user_id) => ({ request_id: request.id, user_id })))
      .execute();
  }
}

function toRow(request: StoredRequest): AccessRequestsTable {
  return {
    id: request.id,
    integration_id: request.integrationId,
    catalog_item_id: request.catalogItemId,
    item_kind: request.item.kind,
    item_label: request.item.label,
    item_target: JSON.stringify(request.item.target),
    requester_user_id: request.requester.userId,
    requester_email: request.requester.email,
    requester_account_id: request.requester.accountId,
    reason: request.reason,
    duration_days: request.durationDays,
    expires_at: request.expiresAt,
    status: request.status,
    version: request.version,
    steps: JSON.stringify(request.steps),
    notes: JSON.stringify(request.notes),
    provision_operation_id: request.provisioning?.operationId ?? null,
    provision_error: request.provisioning?.error ?? null,
    provision_at: request.provisioning?.at ?? null,
    revoke_operation_id: request.revoke?.operationId ?? null,
    revoke_error: request.revoke?.error ?? null,
    revoke_at: request.revoke?.at ?? null,
    expiry_notice_sent: request.expiryNoticeSent ? 1 : 0,
    created_at: request.createdAt,
    updated_at: request.updatedAt,
    decided_at: request.decidedAt,
  };
}

export async function insertRequest(db: Db, request: StoredRequest): Promise<void> {
  await requestTables(db).insertInto('access_requests').values(toRow(request)).execute();
  await writeApprovers(db, request);
}

/**
 * Writes `next` only if the row still has `expectedVersion`; the stored version becomes
 * expectedVersion + 1. False when another writer got there first (nothing is written).
 */
export async function updateRequest(db: Db, next: StoredRequest, expectedVersion: number): Promise<boolean> {
  const { id: _id, ...row } = toRow({ ...next, version: expectedVersion + 1 });
  const result = await requestTables(db)
    .updateTable('access_requests')
    .set(row)
    .where('id', '=', next.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await writeApprovers(db, next);
  return true;
}

export async function getRequest(db: Db, id: string): Promise<StoredRequest | undefined> {
  const row = await requestTables(db)
    .selectFrom('access_requests')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRequest(row);
}

export interface RequestFilter {
  status?: RequestStatus | readonly RequestStatus[];
  integrationId?: string;
  requesterUserId?: string;
  catalogItemId?: string;
  /** Only requests with an expiry at or before this time. */
  expiresBefore?: IsoTime;
  limit?: number;
  offset?: number;
}

function filtered(db: Db, filter: RequestFilter) {
  let query = requestTables(db).selectFrom('access_requests');
  if (filter.status !== undefined) {
    const statuses: readonly RequestStatus[] =
      typeof filter.status === 'string' ? [filter.status] : filter.status;
    query = query.where('status', 'in', statuses);
  }
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.requesterUserId !== undefined)
    query = query.where('requester_user_id', '=', filter.requesterUserId);
  if (filter.catalogItemId !== undefined) query = query.where('catalog_item_id', '=', filter.catalogItemId);
  if (filter.expiresBefore !== undefined)
    query = query.where('expires_at', 'is not', null).where('expires_at', '<=', filter.expiresBefore);
  return query;
}

/** Newest first. */
export async function listRequests(db: Db, filter: RequestFilter = {}): Promise<StoredRequest[]> {
  let query = filtered(db, filter).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  if (filter.offset !== undefined && filter.offset > 0) query = query.offset(filter.offset);
  return (await query.execute()).map(toRequest);
}

export async function countRequests(db: Db, filter: RequestFilter = {}): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirst();
  return toCount(row?.n);
}

/** Pending requests whose current step this user may decide, newest first. */
export async function listInboxRequests(db: Db, userId: string): Promise<StoredRequest[]> {
  const rows = await requestTables(db)
    .selectFrom('access_requests as r')
    .innerJoin('access_request_approvers as a', 'a.request_id', 'r.id')
    .selectAll('r')
    .where('a.user_id', '=', userId)
    .where('r.status', '=', 'pending')
    .orderBy('r.created_at', 'desc')
    .execute();
  return rows.map(toRequest);
}

/** Whether the requester already has an open (not finished) request for the item. */
export async function findOpenRequest(
  db: Db,
  requesterUserId: string,
  catalogItemId: string,
): Promise<StoredRequest | undefined> {
  const rows = await listRequests(db, {
    requesterUserId,
    catalogItemId,
    status: ['pending', 'flagged', 'approved', 'failed'],
    limit: 1,
  });
  return rows[0];
}

export function addNote(request: StoredRequest, at: IsoTime, text: string): Note[] {
  return [...request.notes, { at, text }];
}
