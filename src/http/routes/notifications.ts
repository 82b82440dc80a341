// Notifications: the caller's own in-app notifications (list, mark read), and each integration's
// webhook setting (the URL goes in, never out: only whether one is set and its host).
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { setWebhookUrl, testWebhook, webhookSettings } from '../../notifications/index.ts';
import { countUnread, listUserNotifications, markAllRead, markRead } from '../../storage/notifications.ts';
import { callerOf } from '../auth/guard.ts';
import { errorBodySchema, notFound } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import { errorResponses, idParam } from '../schemas.ts';
import { initiatorOf } from './actions.ts';

const notificationSchema = z.object({
  id: z.string(),
  type: z.string(),
  integrationId: z.string().nullable(),
  requestId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

const listQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const unreadResponse = z.object({ unread: z.number().int() });

const webhookSettingsSchema = z.object({
  webhookConfigured: z.boolean(),
  webhookHost: z.string().nullable(),
});

const webhookSettingsBody = z.strictObject({
  webhookUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .max(2000)
    .nullable(),
});

const webhookTestResponse = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
});

const integrationParams = z.object({ id: idParam });

export const notificationRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  server.get(
    '/notifications',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['notifications'],
        description: "The caller's own notifications, newest first, and how many are unread.",
        querystring: listQuery,
        response: {
          200: z.object({ notifications: z.array(notificationSchema), unread: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = callerOf(request);
      const [notifications, unread] = await Promise.all([
        listUserNotifications(app.db, user.id, {
          unreadOnly: request.query.unread,
          limit: request.query.limit,
        }),
        countUnread(app.db, user.id),
      ]);
      return { notifications, unread };
    },
  );

  server.post(
    '/notifications/:id/read',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['notifications'],
        params: z.object({ id: idParam }),
        response: { 200: unreadResponse, ...errorResponses },
      },
    },
    async (request) => {
      const user = callerOf(request);
      // Another user's notification is "not found", not "forbidden": ids are not to be probed.
      if (!(await markRead(app.db, user.id, request.params.id, app.now().toISOString()))) {
        throw notFound('Notification');
      }
      return { unread: await countUnread(app.db, user.id) };
    },
  );

  server.post(
    '/notifications/read-all',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['notifications'],
        response: { 200: unreadResponse.extend({ marked: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = callerOf(request);
      const marked = await markAllRead(app.db, user.id, app.now().toISOString());
      return { marked, unread: await countUnread(app.db, user.id) };
    },
  );

  server.get(
    '/integrations/:id/notification-settings',
    {
      config: { permission: 'integrations:read' },
      schema: {
        tags: ['notifications'],
        description: 'Whether the integration has a notification webhook, and its host (never the URL).',
        params: integrationParams,
        response: { 200: webhookSettingsSchema, ...errorResponses },
      },
    },
    async (request) => webhookSettings(app, request.params.id),
  );

  server.put(
    '/integrations/:id/notification-settings',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['notifications'],
        description:
          'Sets the Slack-compatible incoming-webhook URL (stored encrypted, never returned); null removes it.',
        body: webhookSettingsBody,
        params: integrationParams,
        response: { 200: webhookSettingsSchema, ...errorResponses },
      },
    },
    async (request) => setWebhookUrl(app, request.params.id, request.body.webhookUrl, initiatorOf(request)),
  );

  server.delete(
    '/integrations/:id/notification-settings',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['notifications'],
        params: integrationParams,
        response: { 200: webhookSettingsSchema, ...errorResponses },
      },
    },
    async (request) => setWebhookUrl(app, request.params.id, null, initiatorOf(request)),
  );

  server.post(
    '/integrations/:id/notification-settings/test',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['notifications'],
        description:
          'Sends a test message to the webhook now and reports the outcome (HTTP status or error); ' +
          '409 webhook_not_configured when none is set.',
        params: integrationParams,
        response: { 200: webhookTestResponse, 409: errorBodySchema, ...errorResponses },
      },
    },
    async (request) => testWebhook(app, request.params.id),
  );
  done();
};
