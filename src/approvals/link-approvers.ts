// Approvers are matched to Seatwarden users by email. One who had no Seatwarden account when the
// request was routed, and was given one since by any path (not only invite-approver), is linked
// here by the sweep, so the request reaches their inbox and they can decide it.
import type { App } from '../app.ts';
import type { JobQueue } from '../jobs/port.ts';
import type { StoredRequest } from '../storage/approvals.ts';
import { findUserByEmail, type User } from '../storage/users.ts';
import { JOB_ACTOR, type Notice } from './events.ts';
import { currentStep } from './notices.ts';
import { transition } from './transition.ts';

/** True when some approver of the current step was linked to a Seatwarden user. */
export async function linkNewApprovers(
  app: App,
  jobs: JobQueue | null,
  request: StoredRequest,
): Promise<boolean> {
  const step = currentStep(request);
  const found = new Map<string, User>();
  for (const approver of step?.approvers ?? []) {
    if (approver.isSeatwardenUser || approver.email === null) continue;
    const user = await findUserByEmail(app.db, approver.email);
    if (user && !user.disabled && user.id !== request.requester.userId) found.set(approver.email, user);
  }
  if (found.size === 0 || !step) return false;

  const { changed } = await transition(app, jobs, request.id, JOB_ACTOR, (current) => {
    const pending = currentStep(current);
    if (pending?.index !== step.index) return Promise.resolve(null);
    const linked: User[] = [];
    const approvers = pending.approvers.map((a) => {
      const user = a.isSeatwardenUser || a.email === null ? undefined : found.get(a.email);
      if (!user) return a;
      linked.push(user);
      return { ...a, userId: user.id, email: user.email, isSeatwardenUser: true };
    });
    if (linked.length === 0) return Promise.resolve(null);
    const next: StoredRequest = {
      ...current,
      steps: current.steps.map((s) => (s.index === pending.index ? { ...s, approvers } : s)),
    };
    const notice: Notice = {
      type: 'approval_needed',
      recipientUserIds: linked.map((u) => u.id),
      title: `Approval needed: ${current.item.label} for ${current.requester.email}`,
      body: `${current.requester.email} asks for ${current.item.label}.\nReason: ${current.reason}`,
    };
    return Promise.resolve({
      next,
      audit: [
        {
          action: 'request.approver_linked',
          detail: { step: pending.index, users: linked.map((u) => ({ userId: u.id, email: u.email })) },
        },
      ],
      notices: [notice],
    });
  });
  return changed;
}
