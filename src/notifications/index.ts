// Notifications: the module contract (see docs/notifications.md). recordNotification is
// the outbox (rows only, in the caller's transaction); sending happens in the notifications.deliver
// job, so a channel that is down never fails or slows a decision.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { JobQueue } from '../jobs/port.ts';
import { insertDeliveries } from '../storage/notifications-deliveries.ts';
import { activeRecipients, insertEvent, insertInAppRows } from '../storage/notifications.ts';
import type { Database } from '../storage/schema.ts';
import { hasWebhook } from './webhook.ts';

export type NotificationEventType =
  | 'approval_needed' // a step needs a decision (to its approvers)
  | 'reminder' // a pending step is still waiting (to its approvers)
  | 'escalated' // still waiting after the second period (to the integration owners)
  | 'flagged' // nobody eligible: an admin must act (to all admins)
  | 'decision' // approved/denied (to the requester)
  | 'provisioned' // access granted (to the requester)
  | 'failed' // provisioning or revoke failed (to the requester and admins)
  | 'expiring_soon' // access expires soon (to the requester)
  | 'expired' // access revoked at expiry / early (to the requester)
  | 'invited'; // a Seatwarden account was created for an approver

export interface NotificationEvent {
  type: NotificationEventType;
  integrationId: string | null;
  requestId: string | null;
  /** Seatwarden users; emails are resolved here. Unknown or disabled users are left out. */
  recipientUserIds: string[];
  /** Add every active admin. */
  alsoAdmins?: boolean;
  /** Plain text, one line. */
  title: string;
  /** Plain text, a few lines (no secrets, no HTML). */
  body: string;
  /** UI path, e.g. `/requests/<id>`. */
  link: string | null;
}

/** Generous bounds: a caller's over-long text is cut, never a reason to fail its transaction. */
const TITLE_LIMIT = 300;
const BODY_LIMIT = 4000;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * The outbox: writes the in-app notification rows and one pending delivery per channel (webhook
 * of the integration if configured; email per recipient if SMTP is configured — planned by the
 * deliver job, which knows the configuration) in the caller's transaction, so a decision and its
 * notifications commit together. Never sends.
 */
export async function recordNotification(
  db: Kysely<Database> | Transaction<Database>,
  event: NotificationEvent,
  now: Date,
): Promise<{ notificationIds: string[]; deliveryIds: string[] }> {
  const createdAt = now.toISOString();
  const stored = {
    id: randomUUID(),
    type: event.type,
    integrationId: event.integrationId,
    requestId: event.requestId,
    title: clip(event.title.replace(/[\r\n]+/g, ' ').trim(), TITLE_LIMIT),
    body: clip(event.body, BODY_LIMIT),
    link: event.link,
    createdAt,
  };
  const recipients = await activeRecipients(
    db,
    [...new Set(event.recipientUserIds)],
    event.alsoAdmins ?? false,
  );
  await insertEvent(db, stored);
  const inApp = recipients.map((r) => ({ notificationId: randomUUID(), userId: r.id }));
  await insertInAppRows(db, stored, inApp);

  const deliveryIds: string[] = [];
  if (event.integrationId !== null && (await hasWebhook(db, event.integrationId))) {
    const id = randomUUID();
    await insertDeliveries(
      db,
      [
        {
          id,
          eventId: stored.id,
          channel: 'webhook',
          integrationId: event.integrationId,
          recipientUserId: null,
          recipientEmail: null,
        },
      ],
      createdAt,
    );
    deliveryIds.push(id);
  }
  return { notificationIds: inApp.map((r) => r.notificationId), deliveryIds };
}

/** After the caller's transaction committed: asks the job queue to deliver (never throws). */
export async function kickDelivery(jobs: JobQueue, log: Logger): Promise<void> {
  try {
    await jobs.enqueue('notifications.deliver', {});
  } catch (error) {
    // The once-a-minute schedule picks the deliveries up anyway.
    log.warn(
      { component: 'notifications', error: error instanceof Error ? error.message : String(error) },
      'could not enqueue notification delivery',
    );
  }
}

export { CHANNELS, DELIVERY_RETRY } from './channels.ts';
export { deliverDueNotifications, type DeliverySummary } from './deliver.ts';
export { renderEmail, renderSlack, type EmailMessage, type SlackMessage } from './render.ts';
export {
  setWebhookUrl,
  testWebhook,
  webhookSettings,
  WebhookNotConfiguredError,
  type WebhookSettingsView,
} from './webhook.ts';
