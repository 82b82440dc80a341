// An App with a movable clock, captured JSON logs and (optionally) SMTP pointing at a local sink,
// an HTTP server over it, a local webhook receiver, three signed-in users and one integration.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { REDACTED_PATHS, type App } from '../../src/app.ts';
import { createUser, type Role } from '../../src/http/auth/index.ts';
import { buildServer } from '../../src/http/server.ts';
import { createInProcessJobs, type JobQueue } from '../../src/jobs/index.ts';
import { insertIntegration, type IntegrationSummary } from '../../src/storage/integrations.ts';
import type { User } from '../../src/storage/users.ts';
import { FAST_BUDGETS, testApp, testClock, type TestClock } from '../support/app.ts';
import type { DialectContext } from '../support/databases.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { PASSWORD } from '../http/support.ts';

export const SMTP_CREDENTIALS = { user: 'mailer', password: 'smtp-pa55word-never-logged' };
/** The secret part of a Slack-style webhook URL: it must never show in a response, log or column. */
export const WEBHOOK_SECRET = 'XoXoSeCrEtWebhookToken42';

export interface SignedIn {
  user: User;
  headers: Record<string, string>;
}

export interface World {
  app: App;
  clock: TestClock;
  server: FastifyInstance;
  jobs: JobQueue;
  receiver: WebhookReceiver;
  sink: SmtpSink | undefined;
  integration: IntegrationSummary;
  webhookUrl: string;
  logLines: string[];
  admin: SignedIn;
  approver: SignedIn;
  requester: SignedIn;
  close(): Promise<void>;
}

async function signIn(server: FastifyInstance, app: App, role: Role): Promise<SignedIn> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const user = await createUser(app.db, { email, displayName: `The ${role}`, role, password: PASSWORD });
  const response = await server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  const cookie = response.cookies.find((c) => c.name === 'sw_session');
  if (response.statusCode !== 200 || !cookie) throw new Error(`login failed: ${response.body}`);
  const { csrfToken } = response.json<{ csrfToken: string }>();
  return { user, headers: { cookie: `sw_session=${cookie.value}`, 'x-csrf-token': csrfToken } };
}

export async function startWorld(ctx: DialectContext, opts: { smtp?: boolean } = {}): Promise<World> {
  const clock = testClock('2026-03-02T09:00:00.000Z');
  const receiver = await startWebhookReceiver();
  const sink = opts.smtp === false ? undefined : await startSmtpSink();
  const env = {
    ...FAST_BUDGETS,
    ...(sink
      ? { SEATWARDEN_SMTP_URL: sink.url(SMTP_CREDENTIALS), SEATWARDEN_SMTP_FROM: 'seatwarden@example.test' }
      : {}),
  };
  const logLines: string[] = [];
  const logger = pino(
    { level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    { write: (line: string) => logLines.push(line) },
  );
  const app: App = { ...testApp(ctx.getStore(), ctx.getDataDir(), env, { clock }), logger };
  const jobs = createInProcessJobs(app);
  const server = await buildServer(
    app,
    { jobs },
    { webDistDir: await mkdtemp(path.join(tmpdir(), 'sw-no-web-')) },
  );
  await server.ready();
  const integration = await insertIntegration(
    app.db,
    app.secrets,
    { label: 'acme', siteUrl: 'https://acme.example.test', email: 'bot@acme.example.test', apiToken: 'tok' },
    clock.now().toISOString(),
  );
  const [admin, approver, requester] = [
    await signIn(server, app, 'admin'),
    await signIn(server, app, 'approver'),
    await signIn(server, app, 'requester'),
  ];
  return {
    app,
    clock,
    server,
    jobs,
    receiver,
    sink,
    integration,
    webhookUrl: `${receiver.url}/services/T0001/B0002/${WEBHOOK_SECRET}`,
    logLines,
    admin,
    approver,
    requester,
    close: async () => {
      await server.close();
      await jobs.stop();
      await receiver.stop();
      await sink?.stop();
    },
  };
}

/** Sets the integration's webhook through the API, as an admin would. */
export async function configureWebhook(world: World, url = world.webhookUrl): Promise<void> {
  const response = await world.server.inject({
    method: 'PUT',
    url: `/api/v1/integrations/${world.integration.id}/notification-settings`,
    headers: world.admin.headers,
    payload: { webhookUrl: url },
  });
  if (response.statusCode !== 200) throw new Error(`webhook setting failed: ${response.body}`);
}
