// Asking for access, and reading requests: create (validate, route, record), mine, all (admins),
// one (requester, its approvers and admins), the inbox, and cancelling one's own request.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../app.ts';
import { findIntegration } from '../integrations/service.ts';
import type { JobQueue } from '../jobs/port.ts';
import {
  countRequests,
  findOpenRequest,
  getRequest,
  insertRequest,
  listInboxRequests,
  listRequests,
  type RequestFilter,
  type StoredRequest,
} from '../storage/approvals.ts';
import { getApprovalSettings, getCatalogItem } from '../storage/approvals-catalog.ts';
import { findAccountByEmail, holdsGrant, type GrantTarget } from '../storage/approvals-inventory.ts';
import type { Via } from '../storage/audit.ts';
import { inTransaction } from '../storage/helpers.ts';
import type { Role } from '../storage/users.ts';
import { mayRequest } from './catalog.ts';
import { ApprovalError, notFound } from './errors.ts';
import { writeAudit, writeNotice, type AuditActor } from './events.ts';
import { stepNotice } from './notices.ts';
import { routeRequest } from './routing.ts';
import { afterCommit, transition } from './transition.ts';
import type { AccessRequest, CatalogItem, RequestStatus } from './types.ts';

/** A signed-in Seatwarden user acting on requests, and through which path. */
export interface Caller {
  user: { id: string; email: string; role: Role; displayName: string };
  via: Via;
  requestId: string | null;
}

export function auditActorOf(caller: Caller): AuditActor {
  return { actor: caller.user.email, via: caller.via, requestId: caller.requestId };
}

export const newRequestSchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ catalogItemId: z.string().min(1).max(200) }))
      .min(1)
      .max(20),
    reason: z.string().trim().min(1).max(2000),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    durationDays: z.number().int().min(1).max(3650).optional(),
  })
  .refine((r) => r.expiresAt === undefined || r.durationDays === undefined, {
    message: 'give expiresAt or durationDays, not both',
  });
export type NewRequest = z.infer<typeof newRequestSchema>;

const DAY_MS = 86_400_000;

/** The contract's view of a stored request (no version, no internal step timing). */
export function viewOf(request: StoredRequest): AccessRequest {
  const { version: _v, durationDays: _d, expiryNoticeSent: _e, steps, ...rest } = request;
  return { ...rest, steps: steps.map(({ activatedAt: _a, ...step }) => step) };
}

export function grantTargetOf(request: Pick<StoredRequest, 'item'>): GrantTarget {
  const { kind, target } = request.item;
  if (kind === 'group') return { kind, groupId: target.groupId ?? '' };
  if (kind === 'projectRole') return { kind, projectId: target.projectId ?? '', roleId: target.roleId ?? '' };
  return { kind, productKey: target.productKey ?? '' };
}

interface Planned {
  item: CatalogItem;
  accountId: string;
  expiresAt: string | null;
  durationDays: number | null;
  notes: string[];
}

async function plan(
  app: App,
  caller: Caller,
  input: NewRequest,
  catalogItemId: string,
  now: Date,
): Promise<Planned> {
  const item = await getCatalogItem(app.db, catalogItemId);
  if (!item) throw notFound(`Catalogue item ${catalogItemId}`);
  if (!mayRequest(item, caller.user.role))
    throw new ApprovalError('not_requestable', `You may not request ${item.label}`);
  const account = await findAccountByEmail(app.db, item.integrationId, caller.user.email);
  if (!account)
    throw new ApprovalError(
      'no_atlassian_account',
      `No Atlassian account with the email ${caller.user.email} in this integration's inventory`,
    );
  const notes: string[] = [];
  let durationDays = input.durationDays ?? null;
  let expiresAt: string | null = null;
  if (input.expiresAt !== undefined) {
    const at = new Date(input.expiresAt);
    if (at.getTime() <= now.getTime()) throw new ApprovalError('invalid_input', 'expiresAt is in the past');
    expiresAt = at.toISOString();
  }
  const askedDays = durationDays ?? (expiresAt ? (Date.parse(expiresAt) - now.getTime()) / DAY_MS : Infinity);
  if (item.maxDurationDays !== null) {
    if (askedDays > item.maxDurationDays + 1e-9) {
      if (durationDays !== null || expiresAt !== null)
        throw new ApprovalError(
          'duration_too_long',
          `${item.label} may be requested for ${String(item.maxDurationDays)} days at most`,
        );
      durationDays = item.maxDurationDays;
      notes.push(`No expiry asked: limited to the item's maximum of ${String(item.maxDurationDays)} days.`);
    }
  }
  if (durationDays !== null) expiresAt = new Date(now.getTime() + durationDays * DAY_MS).toISOString();
  const stub = { item: { kind: item.kind, label: item.label, target: item.target } };
  if (await holdsGrant(app.db, item.integrationId, account.accountId, grantTargetOf(stub)))
    throw new ApprovalError('already_has_access', `You already have ${item.label}`);
  if (await findOpenRequest(app.db, caller.user.id, item.id))
    throw new ApprovalError('duplicate_request', `You already have an open request for ${item.label}`);
  return { item, accountId: account.accountId, expiresAt, durationDays, notes };
}

/** One request per item: each validated first, then routed and recorded with its audit trail. */
export async function createRequests(
  app: App,
  jobs: JobQueue | null,
  caller: Caller,
  input: NewRequest,
): Promise<AccessRequest[]> {
  const ids = input.items.map((i) => i.catalogItemId);
  if (new Set(ids).size !== ids.length)
    throw new ApprovalError('duplicate_request', 'The same item is listed twice');
  const now = app.now();
  const planned: Planned[] = [];
  for (const id of ids) planned.push(await plan(app, caller, input, id, now));
  const created: StoredRequest[] = [];
  for (const p of planned) {
    const integration = await findIntegration(app, p.item.integrationId);
    const settings = await getApprovalSettings(app.db, integration.id);
    const routing = await routeRequest(
      app,
      { integration, item: p.item, settings, requester: { userId: caller.user.id, accountId: p.accountId } },
      now.toISOString(),
    );
    const at = now.toISOString();
    const status: RequestStatus = routing.flagged ? 'flagged' : 'pending';
    created.push({
      id: randomUUID(),
      integrationId: integration.id,
      catalogItemId: p.item.id,
      item: { kind: p.item.kind, label: p.item.label, target: p.item.target },
      requester: { userId: caller.user.id, email: caller.user.email, accountId: p.accountId },
      reason: input.reason,
      expiresAt: p.expiresAt,
      status,
      steps: routing.steps,
      notes: [...p.notes, ...routing.notes].map((text) => ({ at, text })),
      provisioning: null,
      revoke: null,
      createdAt: at,
      updatedAt: at,
      decidedAt: null,
      version: 1,
      durationDays: p.durationDays,
      expiryNoticeSent: false,
    });
  }
  const who = auditActorOf(caller);
  await inTransaction(app.db, async (trx) => {
    for (const request of created) {
      await insertRequest(trx, request);
      const at = now.toISOString();
      await writeAudit(
        trx,
        request,
        who,
        { action: 'request.created', detail: { reason: request.reason, expiresAt: request.expiresAt } },
        at,
      );
      await writeAudit(
        trx,
        request,
        who,
        {
          action: 'request.routed',
          outcome: request.status === 'flagged' ? 'flagged' : 'succeeded',
          detail: {
            steps: request.steps.map((s) => ({
              rule: s.rule.kind,
              routedBy: s.routedBy,
              approvers: s.approvers.map((a) => a.email ?? a.accountId),
              fallbackReason: s.fallbackReason,
            })),
          },
        },
        at,
      );
      await writeNotice(trx, request, stepNotice(request), now);
    }
  });
  for (const request of created) await afterCommit(app, jobs, request, { notices: [stepNotice(request)] });
  return created.map(viewOf);
}

/** Whether the caller may see the request: its requester, any of its approvers, or an admin. */
export function canSee(request: StoredRequest, caller: Caller): boolean {
  return (
    caller.user.role === 'admin' ||
    request.requester.userId === caller.user.id ||
    request.steps.some((s) => s.approvers.some((a) => a.userId === caller.user.id))
  );
}

export async function getVisibleRequest(app: App, caller: Caller, id: string): Promise<StoredRequest> {
  const request = await getRequest(app.db, id);
  if (!request || !canSee(request, caller)) throw notFound('Request');
  return request;
}

export async function myRequests(app: App, caller: Caller): Promise<AccessRequest[]> {
  return (await listRequests(app.db, { requesterUserId: caller.user.id })).map(viewOf);
}

export async function allRequests(
  app: App,
  filter: Pick<RequestFilter, 'status' | 'integrationId' | 'limit' | 'offset'>,
): Promise<{ requests: AccessRequest[]; total: number }> {
  const [rows, total] = await Promise.all([
    listRequests(app.db, { ...filter, limit: filter.limit ?? 50 }),
    countRequests(app.db, { ...filter, limit: undefined, offset: undefined }),
  ]);
  return { requests: rows.map(viewOf), total };
}

/** Pending steps the caller may decide; admins also see every flagged request. */
export async function inbox(app: App, caller: Caller): Promise<AccessRequest[]> {
  const mine = await listInboxRequests(app.db, caller.user.id);
  const flagged = caller.user.role === 'admin' ? await listRequests(app.db, { status: 'flagged' }) : [];
  const all = [...mine, ...flagged.filter((f) => f.requester.userId !== caller.user.id)];
  all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return all.map(viewOf);
}

export async function cancelRequest(
  app: App,
  jobs: JobQueue | null,
  caller: Caller,
  id: string,
): Promise<AccessRequest> {
  const { request } = await transition(app, jobs, id, auditActorOf(caller), (current, _trx, now) => {
    if (current.requester.userId !== caller.user.id) {
      if (!canSee(current, caller)) throw notFound('Request');
      throw new ApprovalError('forbidden', 'Only the requester can cancel a request');
    }
    if (current.status === 'cancelled') return Promise.resolve(null);
    if (current.status !== 'pending' && current.status !== 'flagged')
      throw new ApprovalError('invalid_state', `A ${current.status} request cannot be cancelled`);
    const at = now.toISOString();
    return Promise.resolve({
      next: {
        ...current,
        status: 'cancelled',
        decidedAt: at,
        steps: current.steps.map((s) =>
          s.status === 'pending' || s.status === 'waiting' ? { ...s, status: 'skipped' as const } : s,
        ),
      },
      audit: [{ action: 'request.cancelled' }],
      notices: [],
    });
  });
  return viewOf(request);
}
