// The outbox and the deliver job: webhook to a local receiver, email to a local SMTP sink, retries
// with backoff while the receiver is down (the recording transaction never notices), failure after
// 8 attempts, and two concurrent deliver runs sending each delivery once.
import { afterEach, expect, it } from 'vitest';
import { JOB_HANDLERS, type JobQueue } from '../../src/jobs/index.ts';
import {
  deliverDueNotifications,
  kickDelivery,
  recordNotification,
  type NotificationEvent,
} from '../../src/notifications/index.ts';
import { claimDelivery, listDeliveries } from '../../src/storage/notifications-deliveries.ts';
import { notificationTables } from '../../src/storage/notifications.ts';
import { getSeatPrices, setSeatPrices } from '../../src/storage/settings.ts';
import { describeEachDialect } from '../support/databases.ts';
import { configureWebhook, SMTP_CREDENTIALS, startWorld, WEBHOOK_SECRET, type World } from './harness.ts';

const MINUTE = 60_000;

function approvalNeeded(world: World, overrides: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    type: 'approval_needed',
    integrationId: world.integration.id,
    requestId: 'req-1',
    recipientUserIds: [world.approver.user.id],
    title: 'Access request: Developers in PROJ',
    body: 'The requester asks for the Developers role in PROJ.\nReason: on-call <rotation> & fixes',
    link: '/requests/req-1',
    ...overrides,
  };
}

describeEachDialect('notification delivery', (ctx) => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('delivers Slack-compatible JSON to the webhook receiver and a plain-text email to the SMTP sink', async () => {
    world = await startWorld(ctx);
    await configureWebhook(world);
    const recorded = await recordNotification(world.app.db, approvalNeeded(world), world.clock.now());
    expect(recorded.notificationIds).toHaveLength(1);
    expect(recorded.deliveryIds).toHaveLength(1);

    const summary = await deliverDueNotifications(world.app);
    expect(summary).toEqual({ emailsPlanned: 1, sent: 2, retrying: 0, failed: 0 });

    expect(world.receiver.received).toHaveLength(1);
    const posted = world.receiver.received[0];
    expect(posted?.path).toBe(`/services/T0001/B0002/${WEBHOOK_SECRET}`);
    const body = posted?.body as { text: unknown; blocks: { type: string; text?: { text: string } }[] };
    expect(typeof body.text).toBe('string');
    expect(body.text).toContain('Access request: Developers in PROJ');
    expect(body.blocks[0]?.type).toBe('section');
    // Slack's control characters are escaped in mrkdwn.
    expect(body.blocks[0]?.text?.text).toContain('on-call &lt;rotation&gt; &amp; fixes');

    const mail = world.sink?.messages ?? [];
    expect(mail).toHaveLength(1);
    expect(mail[0]?.to).toEqual([world.approver.user.email]);
    expect(mail[0]?.from).toBe('seatwarden@example.test');
    expect(mail[0]?.authUser).toBe(SMTP_CREDENTIALS.user);
    expect(mail[0]?.subject).toBe('[Seatwarden] Access request: Developers in PROJ');
    expect(mail[0]?.text).toContain('Reason: on-call <rotation> & fixes');
    expect(mail[0]?.text).toContain('Open in Seatwarden: /requests/req-1');

    const deliveries = await listDeliveries(world.app.db);
    expect(deliveries.map((d) => [d.channel, d.status, d.attempts])).toEqual(
      expect.arrayContaining([
        ['webhook', 'sent', 1],
        ['email', 'sent', 1],
      ]),
    );
    expect(deliveries.find((d) => d.channel === 'email')?.recipientUserId).toBe(world.approver.user.id);

    // Logged per attempt, without the webhook URL's secret or the SMTP password.
    const logs = world.logLines.join('\n');
    expect(logs).toContain('notification delivered');
    expect(logs).not.toContain(WEBHOOK_SECRET);
    expect(logs).not.toContain(SMTP_CREDENTIALS.password);

    // A second run has nothing left to do.
    expect(await deliverDueNotifications(world.app)).toEqual({
      emailsPlanned: 0,
      sent: 0,
      retrying: 0,
      failed: 0,
    });
  });

  it('adds every active admin with alsoAdmins, leaves unknown users out, and writes no email rows without SMTP', async () => {
    world = await startWorld(ctx, { smtp: false });
    const event = approvalNeeded(world, {
      type: 'flagged',
      integrationId: null,
      recipientUserIds: ['no-such-user', world.approver.user.id, world.approver.user.id],
      alsoAdmins: true,
    });
    const recorded = await recordNotification(world.app.db, event, world.clock.now());
    expect(recorded.notificationIds).toHaveLength(2);
    expect(recorded.deliveryIds).toEqual([]);
    expect(await deliverDueNotifications(world.app)).toEqual({
      emailsPlanned: 0,
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(await listDeliveries(world.app.db)).toEqual([]);
    const users = await notificationTables(world.app.db)
      .selectFrom('notifications')
      .select('user_id')
      .execute();
    expect(users.map((u) => u.user_id).sort()).toEqual([world.admin.user.id, world.approver.user.id].sort());
  });

  it('with the receiver down, the recording transaction commits, the delivery retries with backoff and is sent later', async () => {
    world = await startWorld(ctx, { smtp: false });
    await configureWebhook(world);
    await world.receiver.stop();
    const w = world;

    // The caller's transaction: its own write and the notification commit together.
    await w.app.db.transaction().execute(async (trx) => {
      await setSeatPrices(trx, { 'jira-software': 7.5 }, w.clock.now().toISOString());
      await recordNotification(trx, approvalNeeded(w, { type: 'decision' }), w.clock.now());
    });
    expect(await getSeatPrices(w.app.db)).toEqual({ 'jira-software': 7.5 });
    expect(
      await notificationTables(w.app.db).selectFrom('notifications').select('id').execute(),
    ).toHaveLength(1);

    expect(await deliverDueNotifications(w.app)).toMatchObject({ sent: 0, retrying: 1 });
    let [delivery] = await listDeliveries(w.app.db);
    expect(delivery).toMatchObject({
      status: 'retrying',
      attempts: 1,
      lastError: expect.stringMatching(/^network error/) as unknown,
    });
    expect(delivery?.nextAttemptAt).toBe(new Date(w.clock.now().getTime() + MINUTE).toISOString());
    expect(w.logLines.join('\n')).toContain('notification delivery failed');
    expect(w.logLines.join('\n')).not.toContain(WEBHOOK_SECRET);

    // Not due yet: nothing is tried.
    w.clock.advance(30_000);
    expect(await deliverDueNotifications(w.app)).toMatchObject({ sent: 0, retrying: 0 });

    await w.receiver.start();
    w.clock.advance(30_000);
    expect(await deliverDueNotifications(w.app)).toMatchObject({ sent: 1, retrying: 0 });
    [delivery] = await listDeliveries(w.app.db);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 2, lastError: null, lastStatus: 200 });
    expect(w.receiver.received).toHaveLength(1);
  });

  it('gives up after 8 attempts, waiting 1, 2, 4 … minutes between them', async () => {
    world = await startWorld(ctx, { smtp: false });
    await configureWebhook(world);
    world.receiver.respondWith(503);
    await recordNotification(world.app.db, approvalNeeded(world), world.clock.now());

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      const summary = await deliverDueNotifications(world.app);
      const [delivery] = await listDeliveries(world.app.db);
      expect(delivery?.attempts).toBe(attempt);
      expect(delivery?.lastStatus).toBe(503);
      if (attempt < 8) {
        expect(summary).toMatchObject({ retrying: 1, failed: 0 });
        const next = Date.parse(delivery?.nextAttemptAt ?? '');
        waits.push((next - world.clock.now().getTime()) / MINUTE);
        world.clock.set(new Date(next));
      } else {
        expect(summary).toMatchObject({ retrying: 0, failed: 1 });
        expect(delivery).toMatchObject({ status: 'failed', lastError: 'HTTP 503' });
      }
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(world.receiver.received).toHaveLength(8);

    world.receiver.respondWith(200);
    world.clock.advance(24 * 60 * MINUTE);
    expect(await deliverDueNotifications(world.app)).toMatchObject({ sent: 0, failed: 0 });
    expect(world.receiver.received).toHaveLength(8);
  });

  it('two deliver runs at once send each delivery exactly once', async () => {
    world = await startWorld(ctx);
    await configureWebhook(world);
    for (let i = 0; i < 6; i += 1) {
      await recordNotification(
        world.app.db,
        approvalNeeded(world, { requestId: `req-${i}`, title: `Request ${i}` }),
        world.clock.now(),
      );
    }
    const runs = await Promise.all([
      deliverDueNotifications(world.app),
      deliverDueNotifications(world.app),
      deliverDueNotifications(world.app),
    ]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(12);
    expect(runs.reduce((n, r) => n + r.emailsPlanned, 0)).toBe(6);
    expect(world.receiver.received).toHaveLength(6);
    expect(world.sink?.messages).toHaveLength(6);
    const titles = world.receiver.received.map((r) => (r.body as { text: string }).text.split(':')[0]);
    expect(new Set(titles).size).toBe(6);
    const deliveries = await listDeliveries(world.app.db);
    expect(deliveries).toHaveLength(12);
    expect(deliveries.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
  });

  it('lets only one of several simultaneous claims take a delivery, until its lease passes', async () => {
    world = await startWorld(ctx, { smtp: false });
    await configureWebhook(world);
    const { deliveryIds } = await recordNotification(world.app.db, approvalNeeded(world), world.clock.now());
    const id = deliveryIds[0] ?? '';
    const now = world.clock.now();
    const lease = new Date(now.getTime() + MINUTE).toISOString();
    const db = world.app.db;
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => claimDelivery(db, id, now.toISOString(), lease)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    // A claim whose worker died expires: after the lease, another worker takes the row.
    const later = new Date(now.getTime() + 2 * MINUTE);
    const retaken = await claimDelivery(
      world.app.db,
      id,
      later.toISOString(),
      new Date(later.getTime() + MINUTE).toISOString(),
    );
    expect(retaken).toBe(true);
    expect((await listDeliveries(world.app.db))[0]?.attempts).toBe(2);
  });

  it('runs as the notifications.deliver job, and kickDelivery never throws', async () => {
    world = await startWorld(ctx, { smtp: false });
    await configureWebhook(world);
    await recordNotification(world.app.db, approvalNeeded(world), world.clock.now());
    const result = await JOB_HANDLERS['notifications.deliver'](
      world.app,
      {},
      { jobId: 'j1', attempt: 1, jobs: world.jobs },
    );
    expect(result).toMatchObject({ sent: 1 });
    expect(world.receiver.received).toHaveLength(1);

    const broken: JobQueue = {
      ...world.jobs,
      enqueue: () => Promise.reject(new Error('queue down')),
    };
    await expect(kickDelivery(broken, world.app.logger)).resolves.toBeUndefined();
    expect(world.logLines.join('\n')).toContain('could not enqueue notification delivery');
  });
});
