// The notifications.deliver job: plans the email deliveries of new events, then sends every due
// delivery it can claim, recording sent / retrying (with backoff) / failed, and logging each
// attempt without secrets. Safe to run on several nodes at once: every row is claimed first.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { App } from '../app.ts';
import { inTransaction } from '../storage/helpers.ts';
import {
  claimDelivery,
  dueDeliveryIds,
  eventRecipients,
  eventsWithUnplannedEmails,
  insertDeliveries,
  loadDelivery,
  recordOutcome,
  takeEmailPlanning,
  type DeliveryOutcome,
} from '../storage/notifications-deliveries.ts';
import { notificationTables } from '../storage/notifications.ts';
import {
  DELIVERY_RETRY,
  DeliveryContext,
  outboxChannel,
  retryDelayMs,
  type ChannelSendResult,
} from './channels.ts';

/** A claim outlives the longest send (5 s timeout) by far, so only a dead worker's claim expires. */
export const CLAIM_LEASE_MS = 2 * 60_000;
const BATCH = 50;
/** Bounds one run; what is left is picked up by the next (the schedule runs it every minute). */
const MAX_BATCHES = 20;

export interface DeliverySummary {
  emailsPlanned: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** Writes the email deliveries of events not planned yet; without SMTP, marks them planned with none. */
async function planEmailDeliveries(app: App): Promise<number> {
  const now = app.now().toISOString();
  if (app.config.smtp === undefined) {
    await notificationTables(app.db)
      .updateTable('notification_events')
      .set({ emails_planned_at: now })
      .where('emails_planned_at', 'is', null)
      .execute();
    return 0;
  }
  let planned = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const eventIds = await eventsWithUnplannedEmails(app.db, BATCH);
    if (eventIds.length === 0) break;
    for (const eventId of eventIds) {
      planned += await inTransaction(app.db, async (trx) => {
        if (!(await takeEmailPlanning(trx, eventId, now))) return 0;
        const recipients = await eventRecipients(trx, eventId);
        await insertDeliveries(
          trx,
          recipients.map((r) => ({
            id: randomUUID(),
            eventId,
            channel: 'email' as const,
            integrationId: null,
            recipientUserId: r.userId,
            recipientEmail: r.email,
          })),
          now,
        );
        return recipients.length;
      });
    }
  }
  return planned;
}

function outcomeOf(result: ChannelSendResult, attempts: number, now: Date): DeliveryOutcome {
  if (result.ok) return { status: 'sent', nextAttemptAt: null, error: null, httpStatus: result.httpStatus };
  const permanent = 'permanent' in result;
  if (permanent || attempts >= DELIVERY_RETRY.maxAttempts) {
    return { status: 'failed', nextAttemptAt: null, error: result.error, httpStatus: result.httpStatus };
  }
  return {
    status: 'retrying',
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
    error: result.error,
    httpStatus: result.httpStatus,
  };
}

async function sendOne(
  app: App,
  log: Logger,
  context: DeliveryContext,
  id: string,
  claimedUntil: string,
): Promise<DeliveryOutcome['status'] | undefined> {
  const delivery = await loadDelivery(app.db, id);
  if (!delivery) return undefined;
  let result: ChannelSendResult;
  try {
    result = await outboxChannel(delivery.channel).send(context, delivery);
  } catch (error) {
    // E.g. a webhook URL sealed with another key. The name says enough; messages may hold data.
    result = {
      ok: false,
      httpStatus: null,
      error: `internal error (${error instanceof Error ? error.name : 'unknown'})`,
    };
  }
  const now = app.now();
  const outcome = outcomeOf(result, delivery.attempts, now);
  const recorded = await recordOutcome(app.db, id, claimedUntil, now.toISOString(), outcome);
  const fields = {
    deliveryId: id,
    eventId: delivery.event.id,
    channel: delivery.channel,
    attempt: delivery.attempts,
    status: outcome.status,
    httpStatus: outcome.httpStatus,
    ...(outcome.error === null ? {} : { error: outcome.error }),
    ...(outcome.nextAttemptAt === null ? {} : { nextAttemptAt: outcome.nextAttemptAt }),
    ...(recorded ? {} : { claimLost: true }),
  };
  if (outcome.status === 'sent') log.info(fields, 'notification delivered');
  else log.warn(fields, 'notification delivery failed');
  return outcome.status;
}

export async function deliverDueNotifications(app: App): Promise<DeliverySummary> {
  const log = app.logger.child({ component: 'notifications' });
  const summary: DeliverySummary = {
    emailsPlanned: await planEmailDeliveries(app),
    sent: 0,
    retrying: 0,
    failed: 0,
  };
  const context = new DeliveryContext(app);
  const tried = new Set<string>();
  try {
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const now = app.now();
      const ids = (await dueDeliveryIds(app.db, now.toISOString(), BATCH)).filter((id) => !tried.has(id));
      if (ids.length === 0) break;
      for (const id of ids) {
        tried.add(id);
        const claimNow = app.now();
        const claimedUntil = new Date(claimNow.getTime() + CLAIM_LEASE_MS).toISOString();
        if (!(await claimDelivery(app.db, id, claimNow.toISOString(), claimedUntil))) continue;
        const status = await sendOne(app, log, context, id, claimedUntil);
        if (status !== undefined) summary[status] += 1;
      }
    }
  } finally {
    context.close();
  }
  return summary;
}
