// Notifications through real decisions: the approver and the requester hear about each step by
// webhook (a local receiver) and email (a local SMTP sink); with the receiver down, the decision
// still completes and the webhook delivery waits for a retry, then arrives.
import { afterEach, expect, it } from 'vitest';
import { JOB_HANDLERS } from '../../src/jobs/index.ts';
import { describeEachDialect } from '../support/databases.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import {
  api,
  catalogProjectRole,
  HOUR,
  ok,
  pickProject,
  pickRequester,
  requestItem,
  signInAs,
  startApprovalWorld,
  type AccessRequestView,
  type ApprovalWorld,
} from './harness.ts';

describeEachDialect('access request notifications', (ctx) => {
  let w: ApprovalWorld | undefined;
  let receiver: WebhookReceiver | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await w?.close();
    await receiver?.stop();
    await sink?.stop();
    w = receiver = sink = undefined;
  });

  const deliver = async (world: ApprovalWorld): Promise<void> => {
    await JOB_HANDLERS['notifications.deliver'](
      world.app,
      {},
      {
        jobId: 'test',
        attempt: 1,
        jobs: world.jobs,
      },
    );
  };

  it('tells the lead and the requester by webhook and email; a receiver that is down blocks nothing', async () => {
    receiver = await startWebhookReceiver();
    sink = await startSmtpSink();
    w = await startApprovalWorld(ctx, {
      env: { SEATWARDEN_SMTP_URL: sink.url(), SEATWARDEN_SMTP_FROM: 'seatwarden@example.test' },
    });
    const { project, lead } = pickProject(w.sim);
    const admin = await signInAs(w, 'admin', 'boss@example.test');
    const leadUser = await signInAs(w, 'approver', lead);
    const requester = await signInAs(w, 'requester', pickRequester(w.sim, project));
    const webhookUrl = `${receiver.url}/services/T0/B0/secret`;
    ok(await api(w, admin, 'PUT', `/integrations/${w.integration.id}/notification-settings`, { webhookUrl }));
    const itemId = await catalogProjectRole(w, admin, project);

    const request = await requestItem(w, requester, itemId);
    await deliver(w);
    expect(receiver.received.map((r) => JSON.stringify(r.body))).toEqual([
      expect.stringContaining('approval_needed'),
    ]);
    expect(sink.messages.flatMap((m) => m.to)).toContain(leadUser.email);

    // The receiver goes down: the decision still completes, and its delivery waits for a retry.
    await receiver.stop();
    const approved = ok<AccessRequestView>(
      await api(w, leadUser, 'POST', `/requests/${request.id}/decision`, { decision: 'approve' }),
    );
    expect(approved.status).toBe('approved');
    await w.jobs.drain();
    expect(ok<AccessRequestView>(await api(w, requester, 'GET', `/requests/${request.id}`)).status).toBe(
      'provisioned',
    );
    await deliver(w);
    expect(receiver.received).toHaveLength(1);
    const toRequester = sink.messages.filter((m) => m.to.includes(requester.email));
    expect(toRequester.map((m) => m.subject).join(' | ')).toMatch(/approved/i);
    expect(toRequester.map((m) => m.subject).join(' | ')).toMatch(/provisioned|granted/i);

    // Back up, and the retry comes due: the decision and provisioning messages arrive.
    await receiver.start();
    w.clock.advance(HOUR);
    await deliver(w);
    const texts = receiver.received.map((r) => JSON.stringify(r.body));
    expect(texts).toHaveLength(3);
    expect(texts.slice(1).join(' ')).toMatch(/approved/i);
    expect(texts.join(' ')).not.toContain('secret');
  });
});
