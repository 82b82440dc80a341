// Granting approved access and taking it back, through the provisioning actions (pre-flight,
// retries, audit, inventory update). The operation id is stored on the request BEFORE anything
// runs, in the same transaction that creates the operation, so a re-run after a crash resumes
// that operation (whose pre-flight re-reads Atlassian) instead of sending the call again.
import type { App } from '../app.ts';
import { createActionOperation } from '../actions/engine.ts';
import { resumeOperation, type EngineOptions, type Operation } from '../actions/service.ts';
import type { ActionKind } from '../actions/types.ts';
import type { JobQueue } from '../jobs/port.ts';
import { getOperation } from '../storage/actions.ts';
import { getRequest, type StoredRequest } from '../storage/approvals.ts';
import { ApprovalError, notFound } from './errors.ts';
import { JOB_ACTOR, type AuditActor } from './events.ts';
import { accessEnded, failed, provisioned } from './notices.ts';
import { canSee, viewOf, type Caller, auditActorOf } from './requests.ts';
import { transition } from './transition.ts';
import type { AccessRequest, ItemKind } from './types.ts';

/** Which action grants and which takes back each kind of item. */
export const ITEM_ACTIONS: Readonly<Record<ItemKind, { grant: ActionKind; revoke: ActionKind }>> = {
  group: { grant: 'addToGroup', revoke: 'removeFromGroup' },
  projectRole: { grant: 'addRoleActor', revoke: 'removeRoleActor' },
  product: { grant: 'grantProduct', revoke: 'revokeProduct' },
};

function actionInput(request: StoredRequest): Record<string, string> {
  const { kind, target } = request.item;
  const accountId = request.requester.accountId;
  if (kind === 'group') return { groupId: target.groupId ?? '', accountId };
  if (kind === 'projectRole')
    return { project: target.projectId ?? '', role: target.roleId ?? '', accountId };
  return { productKey: target.productKey ?? '', accountId };
}

const DAY_MS = 86_400_000;
const UNFINISHED = new Set<Operation['status']>(['pending', 'running']);

/** The operation's failure in one line (Atlassian's message when there is one). */
function failureOf(op: Operation): string {
  for (const item of op.items) {
    const result = item.result ?? {};
    const error = result.error as { message?: unknown; atlassianMessage?: unknown } | undefined;
    const text = error?.atlassianMessage ?? error?.message ?? result.reason;
    if (typeof text === 'string' && text !== '') return text;
  }
  return `the operation ended ${op.status}`;
}

/** Thrown when another process holds the operation's item: the job tries again later. */
export class ProvisioningBusyError extends Error {
  readonly code = 'provisioning_busy';
}

/** Stores a new operation's id on the request (in one transaction), or returns the one stored. */
async function ensureOperation(
  app: App,
  id: string,
  phase: 'grant' | 'revoke',
  who: AuditActor,
): Promise<string | null> {
  const { request } = await transition(app, null, id, who, async (current, trx, now) => {
    const ref = phase === 'grant' ? current.provisioning : current.revoke;
    const wanted = phase === 'grant' ? current.status === 'approved' : current.status === 'provisioned';
    if (!wanted || (ref?.operationId && ref.error === null)) return null;
    const operationId = await createActionOperation(
      trx,
      {
        integrationId: current.integrationId,
        kind: ITEM_ACTIONS[current.item.kind][phase],
        items: [{ action: ITEM_ACTIONS[current.item.kind][phase], input: actionInput(current) }],
        dryRun: false,
      },
      { actor: who.actor, via: who.via, requestId: who.requestId },
      now,
    );
    const fresh = { operationId, error: null, at: null };
    return {
      next: phase === 'grant' ? { ...current, provisioning: fresh } : { ...current, revoke: fresh },
      audit: [],
      notices: [],
    };
  });
  const ref = phase === 'grant' ? request.provisioning : request.revoke;
  const wanted = phase === 'grant' ? request.status === 'approved' : request.status === 'provisioned';
  return wanted ? (ref?.operationId ?? null) : null;
}

async function runOperation(
  app: App,
  operationId: string,
  who: AuditActor,
  opts: EngineOptions,
): Promise<Operation> {
  const existing = await getOperation(app.db, operationId);
  if (existing && !UNFINISHED.has(existing.status)) return existing;
  return resumeOperation(
    app,
    operationId,
    { actor: who.actor, via: who.via, requestId: who.requestId },
    // The lease follows the deployment's setting, so another node resumes a dead one's item in time.
    { now: () => app.now(), leaseMs: app.config.actionLeaseMs, ...opts },
  );
}

/** The `requests.provision` job: grants an approved request's access, once. */
export async function provisionRequest(
  app: App,
  jobs: JobQueue | null,
  requestId: string,
  opts: EngineOptions = {},
): Promise<StoredRequest> {
  const who = JOB_ACTOR;
  const operationId = await ensureOperation(app, requestId, 'grant', who);
  const before = await getRequest(app.db, requestId);
  if (!before) throw notFound('Request');
  if (operationId === null) return before;
  const op = await runOperation(app, operationId, who, opts);
  if (UNFINISHED.has(op.status))
    throw new ProvisioningBusyError(`Operation ${op.id} is still running elsewhere`);
  const ok = op.status === 'succeeded';
  const { request } = await transition(app, jobs, requestId, who, (current, _trx, now) => {
    if (current.status !== 'approved' || current.provisioning?.operationId !== op.id)
      return Promise.resolve(null);
    const at = now.toISOString();
    if (ok) {
      const expiresAt =
        current.durationDays === null
          ? current.expiresAt
          : new Date(now.getTime() + current.durationDays * DAY_MS).toISOString();
      const next: StoredRequest = {
        ...current,
        status: 'provisioned',
        expiresAt,
        provisioning: { operationId: op.id, error: null, at },
      };
      return Promise.resolve({
        next,
        audit: [{ action: 'request.provisioned', detail: { operationId: op.id, expiresAt } }],
        notices: [provisioned(next)],
      });
    }
    const error = failureOf(op);
    const next: StoredRequest = {
      ...current,
      status: 'failed',
      provisioning: { operationId: op.id, error, at },
      notes: [...current.notes, { at, text: `Provisioning failed: ${error}` }],
    };
    return Promise.resolve({
      next,
      audit: [
        { action: 'request.provision_failed', outcome: 'failed', detail: { operationId: op.id, error } },
      ],
      notices: [failed(next, 'granting', error)],
    });
  });
  return request;
}

/** Admin: a failed request goes back to approved with a fresh operation, and is queued again. */
export async function retryProvisioning(
  app: App,
  jobs: JobQueue | null,
  caller: Caller,
  id: string,
): Promise<AccessRequest> {
  const { request } = await transition(app, jobs, id, auditActorOf(caller), (current, _trx, now) => {
    if (current.status !== 'failed')
      throw new ApprovalError(
        'invalid_state',
        `Only a failed request can be retried (this one is ${current.status})`,
      );
    const at = now.toISOString();
    return Promise.resolve({
      next: {
        ...current,
        status: 'approved',
        provisioning: null,
        notes: [...current.notes, { at, text: `Provisioning retried by ${caller.user.email}.` }],
      },
      audit: [
        {
          action: 'request.provision_retried',
          detail: { previousOperationId: current.provisioning?.operationId },
        },
      ],
      notices: [],
      provision: true,
    });
  });
  return viewOf(request);
}

/**
 * Takes provisioned access back now: early (by the requester or an admin, status revoked) or at
 * expiry (the sweep, status expired). A failed revoke keeps the access and records the error.
 */
export async function revokeAccess(
  app: App,
  jobs: JobQueue | null,
  id: string,
  who: AuditActor,
  why: 'revoked' | 'expired',
  opts: EngineOptions = {},
): Promise<StoredRequest> {
  const current = await getRequest(app.db, id);
  if (!current) throw notFound('Request');
  if (current.status !== 'provisioned')
    throw new ApprovalError(
      'invalid_state',
      `Only provisioned access can be revoked (this request is ${current.status})`,
    );
  const operationId = await ensureOperation(app, id, 'revoke', who);
  if (operationId === null) return (await getRequest(app.db, id)) ?? current;
  const op = await runOperation(app, operationId, who, opts);
  if (UNFINISHED.has(op.status))
    throw new ProvisioningBusyError(`Operation ${op.id} is still running elsewhere`);
  const ok = op.status === 'succeeded';
  const { request } = await transition(app, jobs, id, who, (latest, _trx, now) => {
    if (latest.status !== 'provisioned' || latest.revoke?.operationId !== op.id) return Promise.resolve(null);
    const at = now.toISOString();
    if (ok) {
      const next: StoredRequest = { ...latest, status: why, revoke: { operationId: op.id, error: null, at } };
      return Promise.resolve({
        next,
        audit: [{ action: `request.${why}`, detail: { operationId: op.id, expiresAt: latest.expiresAt } }],
        notices: [accessEnded(next, why)],
      });
    }
    const error = failureOf(op);
    const next: StoredRequest = {
      ...latest,
      revoke: { operationId: op.id, error, at },
      notes: [...latest.notes, { at, text: `Revoking failed: ${error}` }],
    };
    return Promise.resolve({
      next,
      audit: [
        { action: 'request.revoke_failed', outcome: 'failed', detail: { operationId: op.id, error, why } },
      ],
      notices: [failed(next, 'revoking', error)],
    });
  });
  return request;
}

/** POST /requests/:id/revoke: the requester of the request, or an admin. */
export async function revokeByCaller(
  app: App,
  jobs: JobQueue | null,
  caller: Caller,
  id: string,
): Promise<AccessRequest> {
  const request = await getRequest(app.db, id);
  if (!request || !canSee(request, caller)) throw notFound('Request');
  if (caller.user.role !== 'admin' && request.requester.userId !== caller.user.id)
    throw new ApprovalError('forbidden', 'Only the requester or an admin can revoke this access');
  return viewOf(await revokeAccess(app, jobs, id, auditActorOf(caller), 'revoked'));
}
