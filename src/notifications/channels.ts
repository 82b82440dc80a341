// The notification channels, declared as data: what each is, how its deliveries come about, and
// how one delivery is sent. In-app has no outbox: its rows are the notification itself.
import type { App } from '../app.ts';
import type { ClaimedDelivery } from '../storage/notifications-deliveries.ts';
import type { DeliveryChannel } from '../storage/notifications.ts';
import { createEmailSender, type EmailSender } from './email.ts';
import { renderSlack } from './render.ts';
import { postWebhook, webhookUrlOf, type SendResult } from './webhook.ts';

/** What a send may use; the SMTP connection is opened on first use and closed by the deliver run. */
export class DeliveryContext {
  private emailSender: EmailSender | undefined;

  constructor(readonly app: App) {}

  email(): EmailSender | undefined {
    const smtp = this.app.config.smtp;
    if (smtp === undefined) return undefined;
    this.emailSender ??= createEmailSender(smtp, this.app.config.publicUrl);
    return this.emailSender;
  }

  close(): void {
    this.emailSender?.close();
    this.emailSender = undefined;
  }
}

/** A failure that no retry can fix (the setting it needs is gone). */
export type ChannelSendResult = SendResult | { ok: false; httpStatus: null; error: string; permanent: true };

interface OutboxChannel {
  description: string;
  /** Who writes the delivery rows, and when. */
  plannedBy: string;
  send(context: DeliveryContext, delivery: ClaimedDelivery): Promise<ChannelSendResult>;
}

export const CHANNELS = {
  inApp: {
    description: 'One notifications row per recipient user, listed and marked read in the app',
    outbox: null,
  },
  webhook: {
    description: "Slack-compatible incoming-webhook JSON ({ text, blocks }) to the integration's webhook",
    outbox: {
      description: 'One delivery per event of an integration that has a webhook',
      plannedBy: 'recordNotification, in the caller’s transaction',
      async send(context, delivery) {
        const url =
          delivery.integrationId === null
            ? undefined
            : await webhookUrlOf(context.app, delivery.integrationId);
        if (url === undefined) {
          return { ok: false, httpStatus: null, error: 'webhook no longer configured', permanent: true };
        }
        return postWebhook(url, renderSlack(delivery.event, context.app.config.publicUrl));
      },
    },
  },
  email: {
    description: 'A plain-text email per recipient over SMTP; skipped when SMTP is not configured',
    outbox: {
      description: 'One delivery per event and recipient with an email address',
      // recordNotification gets no configuration (by contract), so the job, which knows whether
      // SMTP is configured, plans them; an event is planned once (see takeEmailPlanning).
      plannedBy: 'the notifications.deliver job, before sending',
      async send(context, delivery) {
        const sender = context.email();
        if (sender === undefined) return { ok: false, httpStatus: null, error: 'SMTP is not configured' };
        if (delivery.recipientEmail === null) {
          return { ok: false, httpStatus: null, error: 'no recipient address', permanent: true };
        }
        return sender.send(delivery.recipientEmail, delivery.event);
      },
    },
  },
} as const satisfies Record<string, { description: string; outbox: OutboxChannel | null }>;

export function outboxChannel(channel: DeliveryChannel): OutboxChannel {
  return CHANNELS[channel].outbox;
}

/** Retries: the wait before attempt n+1 is firstDelayMs × 2^(n-1); after maxAttempts, failed. */
export const DELIVERY_RETRY = { maxAttempts: 8, firstDelayMs: 60_000 } as const;

export function retryDelayMs(attemptsSoFar: number): number {
  return DELIVERY_RETRY.firstDelayMs * 2 ** Math.max(0, attemptsSoFar - 1);
}
