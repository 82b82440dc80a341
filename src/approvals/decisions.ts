// Deciding a request: separation of duties, only the current step's approvers (admins for flagged
// requests), exactly once. The rules are checked inside the transition, against the stored state,
// so two deciders racing produce one outcome and a replay changes nothing.
import { randomBytes } from 'node:crypto';
import type { App } from '../app.ts';
import type { JobQueue } from '../jobs/port.ts';
import { getRequest, type StoredRequest } from '../storage/approvals.ts';
import { createUser, EmailTakenError, findUserByEmail } from '../storage/users.ts';
import { ApprovalError, notFound } from './errors.ts';
import type { Notice } from './events.ts';
import { currentStep, decision as decisionNotice, invited, stepNotice } from './notices.ts';
import { auditActorOf, canSee, viewOf, type Caller } from './requests.ts';
import { transition, type Change } from './transition.ts';
import type { AccessRequest, StoredStep } from './types.ts';

export type Decision = 'approve' | 'deny';

function isSelf(request: StoredRequest, caller: Caller): boolean {
  return (
    request.requester.userId === caller.user.id ||
    request.requester.email.toLowerCase() === caller.user.email.toLowerCase()
  );
}

function decidedBefore(request: StoredRequest, caller: Caller, decision: Decision): boolean {
  const status = decision === 'approve' ? 'approved' : 'denied';
  return request.steps.some((s) => s.status === status && s.decidedBy?.userId === caller.user.id);
}

function applyDecision(
  current: StoredRequest,
  step: StoredStep,
  caller: Caller,
  decision: Decision,
  comment: string | null,
  at: string,
): Change {
  const decided: StoredStep = {
    ...step,
    status: decision === 'approve' ? 'approved' : 'denied',
    decidedBy: { userId: caller.user.id, email: caller.user.email },
    decidedAt: at,
    comment,
  };
  const steps = current.steps.map((s) => (s.index === step.index ? decided : s));
  const auditDecided = {
    action: 'request.decided',
    outcome: decision === 'approve' ? 'approved' : 'denied',
    detail: { step: step.index, comment, flaggedDecisionByAdmin: current.status === 'flagged' },
  };
  if (decision === 'deny') {
    const next: StoredRequest = {
      ...current,
      status: 'denied',
      decidedAt: at,
      steps: steps.map((s) => (s.status === 'waiting' ? { ...s, status: 'skipped' as const } : s)),
    };
    return { next, audit: [auditDecided], notices: [decisionNotice(next, false, comment)] };
  }
  const following = steps.find((s) => s.index > step.index && s.status === 'waiting');
  if (following) {
    const activated: StoredStep = { ...following, status: 'pending', activatedAt: at };
    const next: StoredRequest = {
      ...current,
      status: activated.approvers.length > 0 ? 'pending' : 'flagged',
      steps: steps.map((s) => (s.index === activated.index ? activated : s)),
    };
    return { next, audit: [auditDecided], notices: [stepNotice(next)] };
  }
  const next: StoredRequest = { ...current, status: 'approved', decidedAt: at, steps };
  return { next, audit: [auditDecided], notices: [decisionNotice(next, true, comment)], provision: true };
}

export async function decideRequest(
  app: App,
  jobs: JobQueue | null,
  caller: Caller,
  id: string,
  decision: Decision,
  comment: string | null,
): Promise<AccessRequest> {
  if (decision === 'deny' && !comment?.trim())
    throw new ApprovalError('invalid_input', 'A comment is required to deny a request');
  const { request } = await transition(app, jobs, id, auditActorOf(caller), (current, _trx, now) => {
    if (!canSee(current, caller)) throw notFound('Request');
    if (isSelf(current, caller))
      throw new ApprovalError('self_approval', 'Nobody can decide their own request, admins included');
    const open = current.status === 'pending' || current.status === 'flagged';
    const step = open ? currentStep(current) : undefined;
    const mayDecide =
      step !== undefined &&
      (step.approvers.some((a) => a.userId === caller.user.id) ||
        (current.status === 'flagged' && caller.user.role === 'admin'));
    if (mayDecide)
      return Promise.resolve(applyDecision(current, step, caller, decision, comment, now.toISOString()));
    if (decidedBefore(current, caller, decision)) return Promise.resolve(null);
    if (!open) throw new ApprovalError('already_decided', `This request is already ${current.status}`);
    throw new ApprovalError('not_an_approver', 'You are not an approver of the current step');
  });
  return viewOf(request);
}

export interface Invitation {
  userId: string;
  email: string;
  oneTimePassword: string;
}

/**
 * Creates a Seatwarden user (role approver) for an approver of the current step who has none, so
 * they can sign in and decide; the step then lists them as a user.
 */
export async function inviteApprover(
  app: App,
  jobs: JobQueue | null,
  caller: Caller,
  id: string,
  accountId: string,
): Promise<Invitation> {
  const existing = await getRequest(app.db, id);
  if (!existing) throw notFound('Request');
  const step = currentStep(existing);
  const approver = step?.approvers.find((a) => a.accountId === accountId && !a.isSeatwardenUser);
  if (!step || (existing.status !== 'pending' && existing.status !== 'flagged') || !approver)
    throw new ApprovalError('not_invitable', 'That account is not an uninvited approver of a pending step');
  if (!approver.email)
    throw new ApprovalError('not_invitable', 'The account has no visible email address to invite');
  if (await findUserByEmail(app.db, approver.email))
    throw new ApprovalError('email_taken', 'A Seatwarden user with this email already exists');
  const oneTimePassword = randomBytes(18).toString('base64url');
  let user;
  try {
    user = await createUser(app.db, {
      email: approver.email,
      displayName: approver.displayName ?? approver.email,
      role: 'approver',
      password: oneTimePassword,
    });
  } catch (error) {
    if (error instanceof EmailTakenError) throw new ApprovalError('email_taken', error.message);
    throw error;
  }
  const invitedUser = user;
  await transition(app, jobs, id, auditActorOf(caller), (current) => {
    const steps = current.steps.map((s) => ({
      ...s,
      approvers: s.approvers.map((a) =>
        a.accountId === accountId
          ? { ...a, userId: invitedUser.id, email: invitedUser.email, isSeatwardenUser: true }
          : a,
      ),
    }));
    const next: StoredRequest = { ...current, steps };
    const notices: Notice[] = [invited(next, invitedUser.id)];
    return Promise.resolve({
      next,
      audit: [
        {
          action: 'request.approver_invited',
          detail: { accountId, userId: invitedUser.id, email: invitedUser.email },
        },
      ],
      notices,
    });
  });
  return { userId: invitedUser.id, email: invitedUser.email, oneTimePassword };
}
