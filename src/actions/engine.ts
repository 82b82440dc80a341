// Runs a persisted operation item by item. For each item: claim it (lease), plan (pre-flight
// reads), make exactly the planned calls, then record the outcome, the inventory change and one
// audit event in ONE transaction. Planning always re-reads Atlassian, so an item resumed after a
// crash finds its call already applied and records it as done instead of repeating it.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ENDPOINTS, isAtlassianError, type AtlassianError } from '../atlassian/index.ts';
import {
  claimItem,
  createOperation,
  finishItem,
  getOperation,
  setOperationStatus,
  summariseStatus,
  type ItemStatus,
  type Operation,
  type OperationItem,
} from '../storage/actions.ts';
import { appendAuditEvent, type Via } from '../storage/audit.ts';
import { inTransaction } from '../storage/helpers.ts';
import type { Database } from '../storage/schema.ts';
import { ACTIONS, isActionKind } from './catalog.ts';
import type { Action, ActionContext, ActionKind, Facts, Plan, PlannedCall } from './types.ts';

export interface Initiator {
  actor: string;
  via: Via;
  requestId?: string | null;
}

export interface EngineOptions {
  /** How long a claimed item belongs to this process (covers the client's retries). */
  leaseMs?: number;
  /** Treat items left running by another process as abandoned, whatever their lease says. */
  takeOverRunning?: boolean;
  now?: () => Date;
  /** Test seam: runs after an item's calls succeeded and before its outcome is recorded. */
  afterCalls?: (item: { seq: number; action: string }) => void | Promise<void>;
}

export const DEFAULT_LEASE_MS = 150_000;

export class ActionInputError extends Error {
  readonly code = 'invalid_action_input';
}

export class OperationNotFoundError extends Error {
  readonly code = 'operation_not_found';
  constructor(id: string) {
    super(`No operation ${id}`);
  }
}

export interface NewItem {
  action: ActionKind;
  input: unknown;
}

/** The method and path a planned call goes to, as the dry run shows it. */
export function describeCall(call: PlannedCall): { method: string; path: string } {
  const spec = ENDPOINTS[call.endpoint];
  const path = spec.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(call.pathParams?.[name] ?? `{${name}}`),
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
  }
  const qs = query.toString();
  return { method: spec.method, path: qs ? `${path}?${qs}` : path };
}

function actionFor(kind: string): Action {
  if (!isActionKind(kind)) throw new ActionInputError(`Unknown action "${kind}"`);
  return ACTIONS[kind];
}

/** Validates every item, then persists the operation with its items pending. */
export async function createActionOperation(
  db: Kysely<Database>,
  request: { integrationId: string; kind: string; items: readonly NewItem[]; dryRun: boolean },
  who: Initiator,
  now: Date,
): Promise<string> {
  const items = request.items.map((item, index) => {
    const parsed = actionFor(item.action).schema.safeParse(item.input);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('; ');
      throw new ActionInputError(
        `Invalid input for ${item.action}${request.items.length > 1 ? ` (item ${String(index + 1)})` : ''}: ${issues}`,
      );
    }
    return { action: item.action, input: parsed.data as Record<string, unknown> };
  });
  const id = randomUUID();
  await inTransaction(db, (trx) =>
    createOperation(trx, {
      id,
      integrationId: request.integrationId,
      kind: request.kind,
      actor: who.actor,
      via: who.via,
      requestId: who.requestId ?? null,
      dryRun: request.dryRun,
      now: now.toISOString(),
      items,
    }),
  );
  return id;
}

interface Env {
  db: Kysely<Database>;
  ctx: ActionContext;
  who: Initiator;
  opts: EngineOptions;
}

/** Runs (or resumes) every item that is pending, or running with an expired lease. */
export async function executeOperation(env: Env, operationId: string): Promise<Operation> {
  const op = await getOperation(env.db, operationId);
  if (!op) throw new OperationNotFoundError(operationId);
  const clock = env.opts.now ?? (() => new Date());
  if (op.status === 'pending') await setOperationStatus(env.db, op.id, 'running', null);
  for (const item of op.items) {
    if (item.status !== 'pending' && item.status !== 'running') continue;
    if (op.dryRun) await dryRunItem(env, op, item, clock());
    else await runItem(env, op, item);
  }
  const after = await getOperation(env.db, op.id);
  if (!after) throw new OperationNotFoundError(op.id);
  const status = summariseStatus(after.items);
  await setOperationStatus(env.db, op.id, status, status === 'running' ? null : clock().toISOString());
  return { ...after, status, finishedAt: status === 'running' ? null : clock().toISOString() };
}

function planResult(plan: Plan, target: string): Record<string, unknown> {
  return {
    target,
    decision: plan.decision,
    checks: plan.checks,
    ...(plan.decision === 'run' ? { calls: plan.calls.map(describeCall) } : { reason: plan.reason }),
  };
}

async function dryRunItem(env: Env, op: Operation, item: OperationItem, now: Date): Promise<void> {
  const action = actionFor(item.action);
  const target = action.target(item.input);
  let result: Record<string, unknown>;
  let status: ItemStatus = 'skipped';
  try {
    const plan = await action.plan(env.ctx, item.input);
    result = planResult(plan, target);
    if (plan.decision === 'refuse') status = 'refused';
  } catch (error) {
    if (!isAtlassianError(error)) throw error;
    result = { target, decision: 'error', error: errorView(error) };
    status = 'failed';
  }
  await finishItem(env.db, op.id, item.seq, {
    status,
    result,
    atlassianStatus: null,
    now: now.toISOString(),
  });
}

function errorView(error: AtlassianError): Record<string, unknown> {
  return {
    message: error.message,
    kind: error.kind,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.atlassianMessage === undefined ? {} : { atlassianMessage: error.atlassianMessage }),
  };
}

interface Outcome {
  status: 'succeeded' | 'skipped' | 'failed' | 'refused';
  /** The audit outcome: succeeded, already_done, refused or failed. */
  audit: string;
  result: Record<string, unknown>;
  atlassianStatus: number | null;
  apply?: Facts;
}

async function runItem(env: Env, op: Operation, item: OperationItem): Promise<void> {
  const clock = env.opts.now ?? (() => new Date());
  const start = clock();
  const lease = new Date(start.getTime() + (env.opts.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  // Taking over: claim as if the lease had run out.
  const claimAt = env.opts.takeOverRunning ? '9999-12-31T23:59:59.999Z' : start.toISOString();
  const previous = await claimItem(env.db, op.id, item.seq, claimAt, lease);
  if (previous === undefined) return;
  const action = actionFor(item.action);
  const target = action.target(item.input);
  const attempt = item.attempts + 1;
  if (previous === 'running') {
    // The attempt that died mid-item gets its own audit event, so every attempt has exactly one.
    await appendAuditEvent(
      env.db,
      auditInput(env, op, item, target, start, {
        audit: 'interrupted',
        atlassianStatus: null,
        detail: {
          attempt: item.attempts,
          note: 'the process stopped before recording an outcome; Atlassian is re-read before acting again',
        },
      }),
    );
  }
  const outcome = await attemptItem(env, action, item, target);
  const now = clock();
  await inTransaction(env.db, async (trx) => {
    await finishItem(trx, op.id, item.seq, {
      status: outcome.status,
      result: outcome.result,
      atlassianStatus: outcome.atlassianStatus,
      now: now.toISOString(),
    });
    if (outcome.apply)
      await action.apply(
        { trx, integrationId: op.integrationId, now: now.toISOString(), facts: outcome.apply },
        item.input,
      );
    await appendAuditEvent(
      trx,
      auditInput(env, op, item, target, now, {
        audit: outcome.audit,
        atlassianStatus: outcome.atlassianStatus,
        detail: { attempt, ...outcome.result },
      }),
    );
  });
}

async function attemptItem(env: Env, action: Action, item: OperationItem, target: string): Promise<Outcome> {
  let plan: Plan;
  try {
    plan = await action.plan(env.ctx, item.input);
  } catch (error) {
    if (!isAtlassianError(error)) throw error;
    return {
      status: 'failed',
      audit: 'failed',
      atlassianStatus: error.status ?? null,
      result: { target, decision: 'error', error: errorView(error) },
    };
  }
  const result = planResult(plan, target);
  if (plan.decision === 'refuse')
    return { status: 'refused', audit: 'refused', atlassianStatus: null, result };
  if (plan.decision === 'done')
    return {
      status: 'skipped',
      audit: 'already_done',
      atlassianStatus: null,
      result,
      apply: plan.facts ?? {},
    };
  const responses: unknown[] = [];
  let lastStatus: number | null = null;
  for (const call of plan.calls) {
    try {
      const response = await env.ctx.client.request(call.endpoint, {
        ...(call.pathParams ? { pathParams: call.pathParams } : {}),
        ...(call.query ? { query: call.query } : {}),
        ...(call.body === undefined ? {} : { body: call.body }),
      });
      responses.push(response.body);
      lastStatus = response.status;
    } catch (error) {
      if (!isAtlassianError(error)) throw error;
      if (action.alreadyDone(error)) {
        return {
          status: 'skipped',
          audit: 'already_done',
          atlassianStatus: error.status ?? null,
          result: { ...result, reason: error.atlassianMessage ?? error.message },
          apply: plan.facts ?? {},
        };
      }
      return {
        status: 'failed',
        audit: 'failed',
        atlassianStatus: error.status ?? null,
        result: { ...result, error: errorView(error) },
      };
    }
  }
  await env.opts.afterCalls?.({ seq: item.seq, action: item.action });
  let facts: Facts = plan.facts ?? {};
  try {
    facts = { ...facts, ...(await action.confirm(env.ctx, item.input, responses)) };
  } catch (error) {
    // The change is made; only the follow-up read failed. The next sync fills the inventory in.
    if (!isAtlassianError(error)) throw error;
  }
  return {
    status: 'succeeded',
    audit: 'succeeded',
    atlassianStatus: lastStatus,
    result: { ...result, facts },
    apply: facts,
  };
}

function auditInput(
  env: Env,
  op: Operation,
  item: OperationItem,
  target: string,
  at: Date,
  event: { audit: string; atlassianStatus: number | null; detail: Record<string, unknown> },
) {
  return {
    at: at.toISOString(),
    actor: env.who.actor,
    via: env.who.via,
    integrationId: op.integrationId,
    action: item.action,
    target,
    requestId: env.who.requestId ?? op.requestId,
    outcome: event.audit,
    atlassianStatus: event.atlassianStatus,
    detail: { operationId: op.id, seq: item.seq, ...event.detail },
  };
}
