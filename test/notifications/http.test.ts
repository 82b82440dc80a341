// The notification routes: own in-app notifications only (list, unread count, mark read), and the
// webhook setting, whose URL goes in but never comes out (responses, logs) and is stored sealed.
import { afterEach, expect, it } from 'vitest';
import { recordNotification } from '../../src/notifications/index.ts';
import { listAuditEvents } from '../../src/storage/audit.ts';
import { notificationTables } from '../../src/storage/notifications.ts';
import { expectErrorShape } from '../http/support.ts';
import { describeEachDialect } from '../support/databases.ts';
import { configureWebhook, startWorld, WEBHOOK_SECRET, type SignedIn, type World } from './harness.ts';

interface ListBody {
  notifications: { id: string; type: string; title: string; link: string | null; readAt: string | null }[];
  unread: number;
}

describeEachDialect('notification routes', (ctx) => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const list = async (w: World, who: SignedIn, query = ''): Promise<ListBody> => {
    const response = await w.server.inject({
      method: 'GET',
      url: `/api/v1/notifications${query}`,
      headers: who.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ListBody>();
  };

  it('shows in-app notifications to their recipient only, and marks them read', async () => {
    world = await startWorld(ctx, { smtp: false });
    const w = world;
    for (const [i, type] of (['approval_needed', 'reminder', 'escalated'] as const).entries()) {
      w.clock.advance(1000);
      await recordNotification(
        w.app.db,
        {
          type,
          integrationId: w.integration.id,
          requestId: `req-${i}`,
          recipientUserIds: [w.approver.user.id],
          title: `Request ${i}`,
          body: 'Please decide',
          link: `/requests/req-${i}`,
        },
        w.clock.now(),
      );
    }

    const mine = await list(w, w.approver);
    expect(mine.unread).toBe(3);
    expect(mine.notifications.map((n) => n.title)).toEqual(['Request 2', 'Request 1', 'Request 0']);
    expect(mine.notifications[0]).toMatchObject({ type: 'escalated', link: '/requests/req-2', readAt: null });
    expect(await list(w, w.requester)).toEqual({ notifications: [], unread: 0 });
    expect((await list(w, w.admin)).notifications).toEqual([]);
    expect((await list(w, w.approver, '?limit=1')).notifications).toHaveLength(1);

    const first = mine.notifications[0]?.id ?? '';
    // Someone else's notification is not found, and stays unread.
    const foreign = await w.server.inject({
      method: 'POST',
      url: `/api/v1/notifications/${first}/read`,
      headers: w.requester.headers,
    });
    expectErrorShape(foreign, 404, 'not_found');
    expect((await list(w, w.approver)).unread).toBe(3);

    w.clock.advance(5000);
    const read = await w.server.inject({
      method: 'POST',
      url: `/api/v1/notifications/${first}/read`,
      headers: w.approver.headers,
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ unread: 2 });
    const unread = await list(w, w.approver, '?unread=true');
    expect(unread.notifications.map((n) => n.title)).toEqual(['Request 1', 'Request 0']);
    expect((await list(w, w.approver)).notifications[0]?.readAt).toBe(w.clock.now().toISOString());

    const all = await w.server.inject({
      method: 'POST',
      url: '/api/v1/notifications/read-all',
      headers: w.approver.headers,
    });
    expect(all.json()).toEqual({ marked: 2, unread: 0 });
    expect((await list(w, w.approver, '?unread=true')).notifications).toEqual([]);

    const anonymous = await w.server.inject({ method: 'GET', url: '/api/v1/notifications' });
    expectErrorShape(anonymous, 401, 'unauthenticated');
    const badLimit = await w.server.inject({
      method: 'GET',
      url: '/api/v1/notifications?limit=0',
      headers: w.approver.headers,
    });
    expectErrorShape(badLimit, 400, 'invalid_input');
  });

  it('keeps the webhook URL secret: never in responses or logs, sealed in its column', async () => {
    world = await startWorld(ctx, { smtp: false });
    const w = world;
    const settingsUrl = `/api/v1/integrations/${w.integration.id}/notification-settings`;

    const empty = await w.server.inject({ method: 'GET', url: settingsUrl, headers: w.admin.headers });
    expect(empty.json()).toEqual({ webhookConfigured: false, webhookHost: null });

    const put = await w.server.inject({
      method: 'PUT',
      url: settingsUrl,
      headers: w.admin.headers,
      payload: { webhookUrl: w.webhookUrl },
    });
    expect(put.statusCode, put.body).toBe(200);
    const host = new URL(w.receiver.url).host;
    expect(put.json()).toEqual({ webhookConfigured: true, webhookHost: host });
    const got = await w.server.inject({ method: 'GET', url: settingsUrl, headers: w.admin.headers });
    expect(got.json()).toEqual({ webhookConfigured: true, webhookHost: host });

    const row = await notificationTables(w.app.db)
      .selectFrom('notification_webhooks')
      .selectAll()
      .where('integration_id', '=', w.integration.id)
      .executeTakeFirstOrThrow();
    expect(row.url_enc).not.toContain(WEBHOOK_SECRET);
    expect(row.url_enc).not.toContain('/services/');
    expect(w.app.secrets.open(row.url_enc)).toBe(w.webhookUrl);

    const tested = await w.server.inject({
      method: 'POST',
      url: `${settingsUrl}/test`,
      headers: w.admin.headers,
    });
    expect(tested.json()).toEqual({ ok: true, status: 200, error: null });
    expect(w.receiver.received).toHaveLength(1);
    expect(w.receiver.received[0]?.body).toMatchObject({
      text: expect.stringContaining('test notification') as unknown,
    });

    w.receiver.respondWith(404);
    const refused = await w.server.inject({
      method: 'POST',
      url: `${settingsUrl}/test`,
      headers: w.admin.headers,
    });
    expect(refused.json()).toEqual({ ok: false, status: 404, error: 'HTTP 404' });
    await w.receiver.stop();
    const down = await w.server.inject({
      method: 'POST',
      url: `${settingsUrl}/test`,
      headers: w.admin.headers,
    });
    // ECONNREFUSED, or a socket error when a kept-alive connection to it was cut.
    expect(down.json()).toEqual({
      ok: false,
      status: null,
      error: expect.stringMatching(/^network error: [A-Z_]+$/) as unknown,
    });

    for (const response of [put, got, tested, refused, down])
      expect(response.body).not.toContain(WEBHOOK_SECRET);
    expect(w.logLines.length).toBeGreaterThan(0);
    expect(w.logLines.join('\n')).not.toContain(WEBHOOK_SECRET);

    const removed = await w.server.inject({ method: 'DELETE', url: settingsUrl, headers: w.admin.headers });
    expect(removed.json()).toEqual({ webhookConfigured: false, webhookHost: null });
    expectErrorShape(
      await w.server.inject({ method: 'POST', url: `${settingsUrl}/test`, headers: w.admin.headers }),
      409,
      'webhook_not_configured',
    );

    // Setting and removing it are audited with the host only, never the URL.
    const audit = await listAuditEvents(w.app.db, {});
    const changes = audit
      .filter((e) => e.action.startsWith('notifications.webhook'))
      .sort((a, b) => a.seq - b.seq);
    expect(changes.map((e) => [e.action, e.detail])).toEqual([
      ['notifications.webhook_set', { host }],
      ['notifications.webhook_removed', {}],
    ]);
    expect(changes.every((e) => e.actor === w.admin.user.email && e.via === 'ui')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(WEBHOOK_SECRET);
  });

  it('validates webhook settings and guards them by role', async () => {
    world = await startWorld(ctx, { smtp: false });
    const w = world;
    const settingsUrl = `/api/v1/integrations/${w.integration.id}/notification-settings`;
    for (const webhookUrl of ['ftp://example.test/hook', 'not a url', 'javascript:alert(1)', 42]) {
      const response = await w.server.inject({
        method: 'PUT',
        url: settingsUrl,
        headers: w.admin.headers,
        payload: { webhookUrl },
      });
      expectErrorShape(response, 400, 'invalid_input');
    }
    expectErrorShape(
      await w.server.inject({
        method: 'PUT',
        url: '/api/v1/integrations/no-such-integration/notification-settings',
        headers: w.admin.headers,
        payload: { webhookUrl: null },
      }),
      404,
      'not_found',
    );
    expectErrorShape(
      await w.server.inject({
        method: 'PUT',
        url: settingsUrl,
        headers: w.approver.headers,
        payload: { webhookUrl: w.webhookUrl },
      }),
      403,
      'forbidden',
    );
    // Clearing with null works like DELETE.
    await configureWebhook(w);
    const cleared = await w.server.inject({
      method: 'PUT',
      url: settingsUrl,
      headers: w.admin.headers,
      payload: { webhookUrl: null },
    });
    expect(cleared.json()).toEqual({ webhookConfigured: false, webhookHost: null });
  });
});
