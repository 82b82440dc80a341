// The delivery outbox: rows are written pending, claimed by one worker at a time with a lease (a
// conditional UPDATE, so two workers on two nodes never both send one row), then marked sent, or
// retrying with a next attempt time, or failed.
import type { IsoTime } from './schema.ts';
import {
  notificationTables,
  type Db,
  type DeliveryChannel,
  type DeliveryStatus,
  type NotificationEventsTable,
} from './notifications.ts';

export interface NewDelivery {
  id: string;
  eventId: string;
  channel: DeliveryChannel;
  integrationId: string | null;
  recipientUserId: string | null;
  recipientEmail: string | null;
}

export async function insertDeliveries(
  db: Db,
  deliveries: readonly NewDelivery[],
  now: IsoTime,
): Promise<void> {
  if (deliveries.length === 0) return;
  await notificationTables(db)
    .insertInto('notification_deliveries')
    .values(
      deliveries.map((d) => ({
        id: d.id,
        event_id: d.eventId,
        channel: d.channel,
        integration_id: d.integrationId,
        recipient_user_id: d.recipientUserId,
        recipient_email: d.recipientEmail,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_error: null,
        last_status: null,
        created_at: now,
        updated_at: now,
        sent_at: null,
      })),
    )
    .execute();
}

/** Events whose email deliveries were not planned yet, oldest first. */
export async function eventsWithUnplannedEmails(db: Db, limit: number): Promise<string[]> {
  const rows = await notificationTables(db)
    .selectFrom('notification_events')
    .select('id')
    .where('emails_planned_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Takes the planning of one event's emails; of two planners only one gets true. */
export async function takeEmailPlanning(db: Db, eventId: string, now: IsoTime): Promise<boolean> {
  const result = await notificationTables(db)
    .updateTable('notification_events')
    .set({ emails_planned_at: now })
    .where('id', '=', eventId)
    .where('emails_planned_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The in-app recipients of an event who are still active users, with their emails. */
export async function eventRecipients(db: Db, eventId: string): Promise<{ userId: string; email: string }[]> {
  const rows = await notificationTables(db)
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .select(['users.id as userId', 'users.email as email'])
    .where('notifications.event_id', '=', eventId)
    .where('users.disabled', '=', 0)
    .orderBy('users.id')
    .execute();
  return rows;
}

/** Ids of deliveries due now and not held by a live claim, oldest first. */
export async function dueDeliveryIds(db: Db, now: IsoTime, limit: number): Promise<string[]> {
  const rows = await notificationTables(db)
    .selectFrom('notification_deliveries')
    .select('id')
    .where('status', 'in', ['pending', 'retrying'])
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims a due delivery until `claimedUntil` and counts the attempt. The conditions in the WHERE
 * make it atomic: of two workers, only one updates the row (PostgreSQL re-checks them after the
 * row lock; SQLite serialises writers).
 */
export async function claimDelivery(
  db: Db,
  id: string,
  now: IsoTime,
  claimedUntil: IsoTime,
): Promise<boolean> {
  const result = await notificationTables(db)
    .updateTable('notification_deliveries')
    .set((eb) => ({ claimed_until: claimedUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'retrying'])
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ClaimedDelivery {
  id: string;
  channel: DeliveryChannel;
  integrationId: string | null;
  recipientEmail: string | null;
  attempts: number;
  event: Pick<NotificationEventsTable, 'id' | 'type' | 'title' | 'body' | 'link' | 'request_id'>;
}

export async function loadDelivery(db: Db, id: string): Promise<ClaimedDelivery | undefined> {
  const row = await notificationTables(db)
    .selectFrom('notification_deliveries as d')
    .innerJoin('notification_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.channel',
      'd.integration_id',
      'd.recipient_email',
      'd.attempts',
      'e.id as event_id',
      'e.type',
      'e.title',
      'e.body',
      'e.link',
      'e.request_id',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    channel: row.channel,
    integrationId: row.integration_id,
    recipientEmail: row.recipient_email,
    attempts: row.attempts,
    event: {
      id: row.event_id,
      type: row.type,
      title: row.title,
      body: row.body,
      link: row.link,
      request_id: row.request_id,
    },
  };
}

export interface DeliveryOutcome {
  status: Exclude<DeliveryStatus, 'pending'>;
  nextAttemptAt: IsoTime | null;
  error: string | null;
  httpStatus: number | null;
}

/** Records an attempt's outcome, only while this worker's claim is still the row's claim. */
export async function recordOutcome(
  db: Db,
  id: string,
  claimedUntil: IsoTime,
  now: IsoTime,
  outcome: DeliveryOutcome,
): Promise<boolean> {
  const result = await notificationTables(db)
    .updateTable('notification_deliveries')
    .set({
      status: outcome.status,
      claimed_until: null,
      last_error: outcome.error,
      last_status: outcome.httpStatus,
      updated_at: now,
      ...(outcome.nextAttemptAt === null ? {} : { next_attempt_at: outcome.nextAttemptAt }),
      ...(outcome.status === 'sent' ? { sent_at: now } : {}),
    })
    .where('id', '=', id)
    .where('claimed_until', '=', claimedUntil)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  channel: DeliveryChannel;
  integrationId: string | null;
  recipientUserId: string | null;
  recipientEmail: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: IsoTime;
  lastError: string | null;
  lastStatus: number | null;
  sentAt: IsoTime | null;
}

/** Deliveries of some events (or all when omitted), oldest first: for status views and tests. */
export async function listDeliveries(db: Db, eventIds?: readonly string[]): Promise<DeliveryView[]> {
  if (eventIds?.length === 0) return [];
  let query = notificationTables(db).selectFrom('notification_deliveries').selectAll();
  if (eventIds) query = query.where('event_id', 'in', [...eventIds]);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    channel: r.channel,
    integrationId: r.integration_id,
    recipientUserId: r.recipient_user_id,
    recipientEmail: r.recipient_email,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    lastStatus: r.last_status,
    sentAt: r.sent_at,
  }));
}
