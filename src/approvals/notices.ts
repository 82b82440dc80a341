// The notifications a request sends, one function per situation: who receives it and its words.
// Plain text only (no secrets, no HTML); titles are one line.
import type { StoredRequest } from '../storage/approvals.ts';
import type { Notice } from './events.ts';
import type { StoredStep } from './types.ts';

function what(request: StoredRequest): string {
  return `${request.item.label} for ${request.requester.email}`;
}

export function currentStep(request: Pick<StoredRequest, 'steps'>): StoredStep | undefined {
  return request.steps.find((s) => s.status === 'pending');
}

function userIds(step: StoredStep | undefined): string[] {
  return (step?.approvers ?? []).flatMap((a) => (a.userId === null ? [] : [a.userId]));
}

/** The current step needs a decision; admins are told too when an approver must be invited first. */
export function approvalNeeded(request: StoredRequest): Notice {
  const step = currentStep(request);
  const uninvited = (step?.approvers ?? []).filter((a) => !a.isSeatwardenUser);
  const lines = [`${request.requester.email} asks for ${request.item.label}.`, `Reason: ${request.reason}`];
  if (request.expiresAt) lines.push(`Until: ${request.expiresAt}`);
  for (const a of uninvited)
    lines.push(
      `Approver ${a.displayName ?? a.accountId ?? ''} is not a Seatwarden user yet: an admin can invite them from the request.`,
    );
  return {
    type: 'approval_needed',
    recipientUserIds: userIds(step),
    alsoAdmins: uninvited.length > 0,
    title: `Approval needed: ${what(request)}`,
    body: lines.join('\n'),
  };
}

export function flagged(request: StoredRequest): Notice {
  const reason = currentStep(request)?.fallbackReason ?? 'nobody is eligible to approve';
  return {
    type: 'flagged',
    recipientUserIds: [],
    alsoAdmins: true,
    title: `Needs an admin: ${what(request)}`,
    body: `Nobody is eligible to approve this request (${reason}). An admin must decide it.`,
  };
}

/** approval_needed, or flagged when the current step has nobody to ask. */
export function stepNotice(request: StoredRequest): Notice {
  return request.status === 'flagged' ? flagged(request) : approvalNeeded(request);
}

export function decision(request: StoredRequest, approved: boolean, comment: string | null): Notice {
  return {
    type: 'decision',
    recipientUserIds: [request.requester.userId],
    title: `${approved ? 'Approved' : 'Denied'}: ${request.item.label}`,
    body: [
      `Your request for ${request.item.label} was ${approved ? 'approved' : 'denied'}.`,
      ...(comment ? [`Comment: ${comment}`] : []),
      ...(approved ? ['Access is being granted now.'] : []),
    ].join('\n'),
  };
}

export function provisioned(request: StoredRequest): Notice {
  return {
    type: 'provisioned',
    recipientUserIds: [request.requester.userId],
    title: `Access granted: ${request.item.label}`,
    body: `You now have ${request.item.label}.${request.expiresAt ? `\nIt expires at ${request.expiresAt}.` : ''}`,
  };
}

export function failed(request: StoredRequest, doing: 'granting' | 'revoking', error: string): Notice {
  return {
    type: 'failed',
    recipientUserIds: [request.requester.userId],
    alsoAdmins: true,
    title: `Failed ${doing}: ${what(request)}`,
    body: `${doing === 'granting' ? 'Granting' : 'Revoking'} ${request.item.label} failed: ${error}\nAn admin can retry it.`,
  };
}

export function expiringSoon(request: StoredRequest): Notice {
  return {
    type: 'expiring_soon',
    recipientUserIds: [request.requester.userId],
    title: `Expiring soon: ${request.item.label}`,
    body: `Your access to ${request.item.label} expires at ${request.expiresAt ?? 'its expiry'}. Ask again if you still need it.`,
  };
}

export function accessEnded(request: StoredRequest, why: 'expired' | 'revoked'): Notice {
  return {
    type: 'expired',
    recipientUserIds: [request.requester.userId],
    title: `Access ${why}: ${request.item.label}`,
    body: `Your access to ${request.item.label} was ${why === 'expired' ? 'removed at its expiry' : 'revoked'}.`,
  };
}

export function reminder(request: StoredRequest): Notice {
  return {
    ...approvalNeeded(request),
    type: 'reminder',
    title: `Reminder, approval needed: ${what(request)}`,
  };
}

export function escalated(request: StoredRequest, ownerIds: string[]): Notice {
  return {
    type: 'escalated',
    recipientUserIds: ownerIds,
    alsoAdmins: ownerIds.length === 0,
    title: `Escalated: ${what(request)}`,
    body: `This request is still waiting for a decision; you can now decide it.\nReason: ${request.reason}`,
  };
}

export function invited(request: StoredRequest, userId: string): Notice {
  return {
    type: 'invited',
    recipientUserIds: [userId],
    title: 'A Seatwarden account was created for you',
    body: `You were invited to decide ${what(request)}. Sign in with the one-time password an admin gives you.`,
  };
}
