// Webhook notifications per integration: the URL (a secret: a Slack incoming-webhook URL lets
// anyone post to the channel) is sealed at rest, never returned or logged; only its host is shown.
import type { App } from '../app.ts';
import { findIntegration } from '../integrations/service.ts';
import { appendAuditEvent, type Via } from '../storage/audit.ts';
import { inTransaction } from '../storage/helpers.ts';
import { deleteWebhook, getWebhook, putWebhook, type Db } from '../storage/notifications.ts';
import { renderTestSlack, type SlackMessage } from './render.ts';

/** Every send gives up after this long, so a hanging receiver cannot hold a worker. */
export const SEND_TIMEOUT_MS = 5_000;

export interface WebhookSettingsView {
  webhookConfigured: boolean;
  webhookHost: string | null;
}

/** What an attempt gives: sent, or an error text that holds no URL (it may be logged and stored). */
export type SendResult =
  { ok: true; httpStatus: number | null } | { ok: false; httpStatus: number | null; error: string };

export class InvalidWebhookUrlError extends Error {
  readonly code = 'invalid_input';
  constructor() {
    super('The webhook URL must be an http:// or https:// URL');
  }
}

export class WebhookNotConfiguredError extends Error {
  readonly code = 'webhook_not_configured';
  readonly statusCode = 409;
  constructor() {
    super('No webhook is configured for this integration');
  }
}

function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidWebhookUrlError();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidWebhookUrlError();
  }
  return url;
}

export async function webhookSettings(app: App, integrationId: string): Promise<WebhookSettingsView> {
  const integration = await findIntegration(app, integrationId);
  const stored = await getWebhook(app.db, integration.id);
  return { webhookConfigured: stored !== undefined, webhookHost: stored?.host ?? null };
}

/** Who changed a setting, for the audit log. */
export interface SettingChanger {
  actor: string;
  via: Via;
  requestId?: string | null;
}

/** Sets (or, with null, removes) the integration's webhook URL; audited with its host only. */
export async function setWebhookUrl(
  app: App,
  integrationId: string,
  webhookUrl: string | null,
  who: SettingChanger,
): Promise<WebhookSettingsView> {
  const integration = await findIntegration(app, integrationId);
  const url = webhookUrl === null ? null : parseWebhookUrl(webhookUrl);
  const now = app.now().toISOString();
  await inTransaction(app.db, async (trx) => {
    if (url === null) await deleteWebhook(trx, integration.id);
    else
      await putWebhook(
        trx,
        integration.id,
        { urlEnc: app.secrets.seal(url.toString()), host: url.host },
        now,
      );
    await appendAuditEvent(trx, {
      at: now,
      actor: who.actor,
      via: who.via,
      integrationId: integration.id,
      action: url === null ? 'notifications.webhook_removed' : 'notifications.webhook_set',
      target: `integration:${integration.id}`,
      requestId: who.requestId ?? null,
      outcome: 'succeeded',
      atlassianStatus: null,
      detail: url === null ? {} : { host: url.host },
    });
  });
  return url === null
    ? { webhookConfigured: false, webhookHost: null }
    : { webhookConfigured: true, webhookHost: url.host };
}

/** Whether the integration has a webhook (recordNotification writes a delivery only then). */
export async function hasWebhook(db: Db, integrationId: string): Promise<boolean> {
  return (await getWebhook(db, integrationId)) !== undefined;
}

/** The URL to post to, opened from its sealed form; undefined when none is configured any more. */
export async function webhookUrlOf(app: App, integrationId: string): Promise<string | undefined> {
  const stored = await getWebhook(app.db, integrationId);
  return stored ? app.secrets.open(stored.urlEnc) : undefined;
}

/** Describes a failure without the URL: Node's fetch errors can name the address, never the path. */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${SEND_TIMEOUT_MS / 1000} s`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') {
    return `network error: ${cause.code}`;
  }
  return 'network error';
}

export async function postWebhook(url: string, message: SlackMessage): Promise<SendResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      // Redirects are not followed: an incoming webhook answers directly.
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    // Drain the body so the connection is released; its text is not kept (receivers may echo input).
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status };
    return { ok: false, httpStatus: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, httpStatus: null, error: describeFailure(error) };
  }
}

/** Sends a test message now and reports what happened (for the settings page). */
export async function testWebhook(
  app: App,
  integrationId: string,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const integration = await findIntegration(app, integrationId);
  const url = await webhookUrlOf(app, integration.id);
  if (url === undefined) throw new WebhookNotConfiguredError();
  const result = await postWebhook(url, renderTestSlack(integration.label));
  app.logger.info(
    { component: 'notifications', integrationId: integration.id, ok: result.ok, status: result.httpStatus },
    'webhook test sent',
  );
  return { ok: result.ok, status: result.httpStatus, error: result.ok ? null : result.error };
}
