// What a request's state change writes besides the request itself: audit events and
// notifications, both in the same transaction. Declared per event so a transition names what
// happened and this module says how it is recorded.
import type { Kysely, Transaction } from 'kysely';
import {
  recordNotification,
  type NotificationEvent,
  type NotificationEventType,
} from '../notifications/index.ts';
import { appendAuditEvent, type Via } from '../storage/audit.ts';
import type { StoredRequest } from '../storage/approvals.ts';
import type { Database } from '../storage/schema.ts';

/** Who caused a change, as the audit log records it. */
export interface AuditActor {
  actor: string;
  via: Via;
  /** The HTTP request id, when there is one. */
  requestId: string | null;
}

export const JOB_ACTOR: AuditActor = { actor: 'seatwarden:approvals', via: 'job', requestId: null };

export interface AuditEntry {
  action: string;
  outcome?: string;
  detail?: Record<string, unknown>;
}

export interface Notice {
  type: NotificationEventType;
  recipientUserIds: string[];
  alsoAdmins?: boolean;
  title: string;
  body: string;
}

type Trx = Kysely<Database> | Transaction<Database>;

export function requestTarget(request: Pick<StoredRequest, 'id'>): string {
  return `request:${request.id}`;
}

export function requestLink(request: Pick<StoredRequest, 'id'>): string {
  return `/requests/${request.id}`;
}

export async function writeAudit(
  trx: Trx,
  request: StoredRequest,
  who: AuditActor,
  entry: AuditEntry,
  at: string,
): Promise<void> {
  await appendAuditEvent(trx, {
    at,
    actor: who.actor,
    via: who.via,
    integrationId: request.integrationId,
    action: entry.action,
    target: requestTarget(request),
    requestId: who.requestId,
    outcome: entry.outcome ?? 'succeeded',
    atlassianStatus: null,
    detail: {
      accessRequestId: request.id,
      item: request.item.label,
      kind: request.item.kind,
      requester: request.requester.email,
      status: request.status,
      ...entry.detail,
    },
  });
}

export async function writeNotice(
  trx: Trx,
  request: StoredRequest,
  notice: Notice,
  now: Date,
): Promise<void> {
  const event: NotificationEvent = {
    type: notice.type,
    integrationId: request.integrationId,
    requestId: request.id,
    recipientUserIds: [...new Set(notice.recipientUserIds)],
    ...(notice.alsoAdmins ? { alsoAdmins: true } : {}),
    title: notice.title,
    body: notice.body,
    link: requestLink(request),
  };
  await recordNotification(trx, event, now);
}
