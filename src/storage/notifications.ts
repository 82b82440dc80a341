// Notification tables (migration 0009): events, in-app rows per recipient, and the per-integration
// webhook setting. The delivery outbox is in notification-deliveries.ts.
import type { Kysely, Transaction } from 'kysely';
import type { UsersTable } from './auth-schema.ts';
import { toCount } from './helpers.ts';
import type { Database, IsoTime } from './schema.ts';

export type NotificationEventsTable = {
  id: string;
  type: string;
  integration_id: string | null;
  request_id: string | null;
  title: string;
  body: string;
  link: string | null;
  created_at: IsoTime;
  emails_planned_at: IsoTime | null;
};

export type NotificationsTable = {
  id: string;
  event_id: string;
  user_id: string;
  type: string;
  integration_id: string | null;
  request_id: string | null;
  title: string;
  body: string;
  link: string | null;
  created_at: IsoTime;
  read_at: IsoTime | null;
};

export type DeliveryChannel = 'webhook' | 'email';
export type DeliveryStatus = 'pending' | 'retrying' | 'sent' | 'failed';

export type NotificationDeliveriesTable = {
  id: string;
  event_id: string;
  channel: DeliveryChannel;
  integration_id: string | null;
  recipient_user_id: string | null;
  recipient_email: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: IsoTime;
  /** Set by the worker that claimed the row; others leave it alone until it passes. */
  claimed_until: IsoTime | null;
  last_error: string | null;
  /** HTTP status of the last webhook attempt. */
  last_status: number | null;
  created_at: IsoTime;
  updated_at: IsoTime;
  sent_at: IsoTime | null;
};

export type NotificationWebhooksTable = {
  integration_id: string;
  /** Sealed with the secret box; never returned or logged. */
  url_enc: string;
  /** Host (and port) of the URL: safe to show. */
  host: string;
  updated_at: IsoTime;
};

export type NotificationTables = {
  notification_events: NotificationEventsTable;
  notifications: NotificationsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_webhooks: NotificationWebhooksTable;
  users: UsersTable;
};

export type Db = Kysely<Database> | Transaction<Database>;

export function notificationTables(db: Db): Kysely<Database & NotificationTables> {
  return db.withTables<NotificationTables>();
}

export interface NewNotificationEvent {
  id: string;
  type: string;
  integrationId: string | null;
  requestId: string | null;
  title: string;
  body: string;
  link: string | null;
  createdAt: IsoTime;
}

export async function insertEvent(db: Db, event: NewNotificationEvent): Promise<void> {
  await notificationTables(db)
    .insertInto('notification_events')
    .values({
      id: event.id,
      type: event.type,
      integration_id: event.integrationId,
      request_id: event.requestId,
      title: event.title,
      body: event.body,
      link: event.link,
      created_at: event.createdAt,
      emails_planned_at: null,
    })
    .execute();
}

/** Of the given users plus (optionally) every admin, those who exist and are not disabled. */
export async function activeRecipients(
  db: Db,
  userIds: readonly string[],
  alsoAdmins: boolean,
): Promise<{ id: string; email: string }[]> {
  if (userIds.length === 0 && !alsoAdmins) return [];
  const rows = await notificationTables(db)
    .selectFrom('users')
    .select(['id', 'email'])
    .where('disabled', '=', 0)
    .where((eb) => {
      const either = [];
      if (userIds.length > 0) either.push(eb('id', 'in', [...userIds]));
      if (alsoAdmins) either.push(eb('role', '=', 'admin'));
      return eb.or(either);
    })
    .orderBy('id')
    .execute();
  return rows;
}

export async function insertInAppRows(
  db: Db,
  event: NewNotificationEvent,
  recipients: readonly { notificationId: string; userId: string }[],
): Promise<void> {
  if (recipients.length === 0) return;
  await notificationTables(db)
    .insertInto('notifications')
    .values(
      recipients.map((r) => ({
        id: r.notificationId,
        event_id: event.id,
        user_id: r.userId,
        type: event.type,
        integration_id: event.integrationId,
        request_id: event.requestId,
        title: event.title,
        body: event.body,
        link: event.link,
        created_at: event.createdAt,
        read_at: null,
      })),
    )
    .execute();
}

export interface InAppNotification {
  id: string;
  type: string;
  integrationId: string | null;
  requestId: string | null;
  title: string;
  body: string;
  link: string | null;
  createdAt: IsoTime;
  readAt: IsoTime | null;
}

export async function listUserNotifications(
  db: Db,
  userId: string,
  opts: { unreadOnly: boolean; limit: number },
): Promise<InAppNotification[]> {
  let query = notificationTables(db)
    .selectFrom('notifications')
    .select(['id', 'type', 'integration_id', 'request_id', 'title', 'body', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', userId);
  if (opts.unreadOnly) query = query.where('read_at', 'is', null);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    integrationId: r.integration_id,
    requestId: r.request_id,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const row = await notificationTables(db)
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return toCount(row?.n);
}

/** Marks one of the user's notifications read; false when the user has no such notification. */
export async function markRead(db: Db, userId: string, id: string, now: IsoTime): Promise<boolean> {
  const tables = notificationTables(db);
  const found = await tables
    .selectFrom('notifications')
    .select(['read_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!found) return false;
  if (found.read_at === null) {
    await tables
      .updateTable('notifications')
      .set({ read_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute();
  }
  return true;
}

/** Marks all of the user's unread notifications read; returns how many changed. */
export async function markAllRead(db: Db, userId: string, now: IsoTime): Promise<number> {
  const result = await notificationTables(db)
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface StoredWebhook {
  urlEnc: string;
  host: string;
}

export async function getWebhook(db: Db, integrationId: string): Promise<StoredWebhook | undefined> {
  const row = await notificationTables(db)
    .selectFrom('notification_webhooks')
    .select(['url_enc', 'host'])
    .where('integration_id', '=', integrationId)
    .executeTakeFirst();
  return row ? { urlEnc: row.url_enc, host: row.host } : undefined;
}

export async function putWebhook(
  db: Db,
  integrationId: string,
  webhook: StoredWebhook,
  now: IsoTime,
): Promise<void> {
  await notificationTables(db)
    .insertInto('notification_webhooks')
    .values({ integration_id: integrationId, url_enc: webhook.urlEnc, host: webhook.host, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('integration_id')
        .doUpdateSet({ url_enc: webhook.urlEnc, host: webhook.host, updated_at: now }),
    )
    .execute();
}

export async function deleteWebhook(db: Db, integrationId: string): Promise<void> {
  await notificationTables(db)
    .deleteFrom('notification_webhooks')
    .where('integration_id', '=', integrationId)
    .execute();
}
