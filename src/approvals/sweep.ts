// The `requests.sweep` job (once a minute): approvers who became Seatwarden users since routing,
// reminders and escalation of waiting steps, the
// "expiring soon" notice, revoking access whose expiry passed, and re-queueing approved requests
// whose provisioning job was lost. Everything reads the app clock, so tests move time instead of
// waiting. One request's failure is logged and does not stop the others.
import type { App } from '../app.ts';
import type { JobQueue } from '../jobs/port.ts';
import { listRequests, type StoredRequest } from '../storage/approvals.ts';
import { getApprovalSettings } from '../storage/approvals-catalog.ts';
import { findAccountByEmail } from '../storage/approvals-inventory.ts';
import { getUser } from '../storage/users.ts';
import { JOB_ACTOR } from './events.ts';
import { linkNewApprovers } from './link-approvers.ts';
import { currentStep, escalated, expiringSoon, reminder } from './notices.ts';
import { revokeAccess } from './provisioning.ts';
import { transition } from './transition.ts';
import type { ApprovalSettings, Approver } from './types.ts';

const HOUR_MS = 3_600_000;
/** An approved request still unprovisioned after this long lost its job (a crash): queue it again. */
const LOST_PROVISIONING_MS = 5 * 60_000;

export interface SweepResult {
  reminded: number;
  escalated: number;
  expiryNotices: number;
  expired: number;
  requeued: number;
  /** Requests whose approver got a Seatwarden account since routing, now linked. */
  linked: number;
  errors: number;
}

async function ownerApprovers(
  app: App,
  request: StoredRequest,
  settings: ApprovalSettings,
): Promise<Approver[]> {
  const approvers: Approver[] = [];
  for (const id of settings.ownerUserIds) {
    if (id === request.requester.userId) continue;
    const user = await getUser(app.db, id);
    if (!user || user.disabled) continue;
    const account = await findAccountByEmail(app.db, request.integrationId, user.email);
    approvers.push({
      userId: user.id,
      email: user.email,
      displayName: user.displayName,
      accountId: account?.accountId ?? null,
      isSeatwardenUser: true,
    });
  }
  return approvers;
}

async function remindOrEscalate(
  app: App,
  jobs: JobQueue,
  request: StoredRequest,
  settings: ApprovalSettings,
  now: Date,
  result: SweepResult,
): Promise<void> {
  const step = currentStep(request);
  if (!step?.activatedAt) return;
  const waited = now.getTime() - Date.parse(step.activatedAt);
  const period = settings.reminderAfterHours * HOUR_MS;
  if (waited >= period && step.remindersSent === 0) {
    const { changed } = await transition(app, jobs, request.id, JOB_ACTOR, (current) => {
      const s = currentStep(current);
      if (current.status !== 'pending' || s?.index !== step.index || s.remindersSent > 0)
        return Promise.resolve(null);
      const next = {
        ...current,
        steps: current.steps.map((x) =>
          x.index === s.index ? { ...x, remindersSent: x.remindersSent + 1 } : x,
        ),
      };
      return Promise.resolve({
        next,
        audit: [{ action: 'request.reminded', detail: { step: s.index } }],
        notices: [reminder(next)],
      });
    });
    if (changed) result.reminded += 1;
  }
  if (waited >= 2 * period && !step.escalated) {
    const owners = await ownerApprovers(app, request, settings);
    const { changed } = await transition(app, jobs, request.id, JOB_ACTOR, (current, _trx, at) => {
      const s = currentStep(current);
      if (current.status !== 'pending' || s?.index !== step.index || s.escalated)
        return Promise.resolve(null);
      const known = new Set(s.approvers.map((a) => a.userId));
      const added = owners.filter((o) => !known.has(o.userId));
      const next = {
        ...current,
        steps: current.steps.map((x) =>
          x.index === s.index ? { ...x, escalated: true, approvers: [...x.approvers, ...added] } : x,
        ),
        notes: [
          ...current.notes,
          {
            at: at.toISOString(),
            text:
              added.length > 0
                ? `Escalated to the integration owners after ${String(2 * settings.reminderAfterHours)} hours.`
                : 'Still waiting and there is no other integration owner to escalate to: admins were told.',
          },
        ],
      };
      return Promise.resolve({
        next,
        audit: [
          {
            action: 'request.escalated',
            detail: { step: s.index, addedApprovers: added.map((a) => a.email) },
          },
        ],
        notices: [
          escalated(
            next,
            added.flatMap((a) => (a.userId === null ? [] : [a.userId])),
          ),
        ],
      });
    });
    if (changed) result.escalated += 1;
  }
}

async function noticeExpiry(
  app: App,
  jobs: JobQueue,
  request: StoredRequest,
  result: SweepResult,
): Promise<void> {
  const { changed } = await transition(app, jobs, request.id, JOB_ACTOR, (current) => {
    if (current.status !== 'provisioned' || current.expiryNoticeSent) return Promise.resolve(null);
    const next = { ...current, expiryNoticeSent: true };
    return Promise.resolve({
      next,
      audit: [{ action: 'request.expiry_notice', detail: { expiresAt: current.expiresAt } }],
      notices: [expiringSoon(next)],
    });
  });
  if (changed) result.expiryNotices += 1;
}

/** One pass over every request that time may have changed. */
export async function sweepRequests(app: App, jobs: JobQueue, now: Date): Promise<SweepResult> {
  const result: SweepResult = {
    reminded: 0,
    escalated: 0,
    expiryNotices: 0,
    expired: 0,
    requeued: 0,
    linked: 0,
    errors: 0,
  };
  const settingsCache = new Map<string, ApprovalSettings>();
  const settingsOf = async (integrationId: string): Promise<ApprovalSettings> => {
    let settings = settingsCache.get(integrationId);
    if (!settings) {
      settings = await getApprovalSettings(app.db, integrationId);
      settingsCache.set(integrationId, settings);
    }
    return settings;
  };
  const guarded = async (request: StoredRequest, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      result.errors += 1;
      app.logger.error({ err: error, accessRequestId: request.id }, 'request sweep failed for one request');
    }
  };

  for (const request of await listRequests(app.db, { status: 'pending' }))
    await guarded(request, async () => {
      if (await linkNewApprovers(app, jobs, request)) result.linked += 1;
      await remindOrEscalate(app, jobs, request, await settingsOf(request.integrationId), now, result);
    });

  const nowIso = now.toISOString();
  for (const request of await listRequests(app.db, {
    status: 'provisioned',
    expiresBefore: '9999-12-31T23:59:59.999Z',
  })) {
    if (request.expiresAt === null) continue;
    if (request.expiresAt <= nowIso) {
      // A revoke that failed waits for an admin (POST /requests/:id/revoke) instead of retrying every minute.
      if (request.revoke?.error) continue;
      await guarded(request, async () => {
        const after = await revokeAccess(app, jobs, request.id, JOB_ACTOR, 'expired');
        if (after.status === 'expired') result.expired += 1;
      });
      continue;
    }
    const settings = await settingsOf(request.integrationId);
    const noticeFrom = Date.parse(request.expiresAt) - settings.expiryNoticeHours * HOUR_MS;
    if (!request.expiryNoticeSent && now.getTime() >= noticeFrom)
      await guarded(request, () => noticeExpiry(app, jobs, request, result));
  }

  for (const request of await listRequests(app.db, { status: 'approved' })) {
    if (now.getTime() - Date.parse(request.updatedAt) < LOST_PROVISIONING_MS) continue;
    await guarded(request, async () => {
      const queued = await jobs.enqueue('requests.provision', { requestId: request.id });
      if (!queued.deduplicated) result.requeued += 1;
    });
  }
  return result;
}
