// Sync runs: one row per run. The database itself guarantees one running sync per integration
// (a unique partial index), so the guarantee holds across every node of a scale-out deployment.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { inTransaction, isUniqueViolation, toFlag } from './helpers.ts';
import type { Database, SyncPlan, SyncRunRecord, SyncStatus } from './schema.ts';

export class SyncAlreadyRunningError extends Error {
  readonly code = 'sync_already_running';
  constructor(readonly integrationId: string) {
    super(`A sync is already running for integration ${integrationId}`);
  }
}

export class SyncRunNotFoundError extends Error {
  readonly code = 'sync_run_not_found';
  constructor(runId: string) {
    super(`No sync run ${runId}`);
  }
}

export interface SyncRun {
  id: string;
  integrationId: string;
  plan: SyncPlan;
  status: SyncStatus;
  complete: boolean;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string;
  checkpoint: unknown;
  counts: Record<string, number>;
  apiCalls: number;
  retries: number;
  rateLimitWaits: number;
  errors: unknown[];
  resumedFrom: string | null;
}

export interface StartRunInput {
  integrationId: string;
  plan: SyncPlan;
  now: string;
  /** The interrupted run this one continues; its checkpoint is copied. */
  resumedFrom?: string;
}

export interface FinishRunInput {
  status: Exclude<SyncStatus, 'running'>;
  complete: boolean;
  now: string;
  counts?: Record<string, number>;
  apiCalls?: number;
  retries?: number;
  rateLimitWaits?: number;
  errors?: unknown[];
}

function parseJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

function toRun(row: SyncRunRecord): SyncRun {
  return {
    id: row.id,
    integrationId: row.integration_id,
    plan: row.plan,
    status: row.status,
    complete: row.complete === 1,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
    checkpoint: parseJson<unknown>(row.checkpoint, null),
    counts: parseJson<Record<string, number>>(row.counts, {}),
    apiCalls: row.api_calls,
    retries: row.retries,
    rateLimitWaits: row.rate_limit_waits,
    errors: parseJson<unknown[]>(row.errors, []),
    resumedFrom: row.resumed_from,
  };
}

/**
 * Starts a run and returns its id. Throws SyncAlreadyRunningError when the integration already has
 * a running run. With resumedFrom, the interrupted run is marked failed first, in the same
 * transaction, and its checkpoint and seen-set carried over.
 */
export async function startRun(db: Kysely<Database>, input: StartRunInput): Promise<string> {
  const id = randomUUID();
  try {
    await inTransaction(db, async (trx) => {
      let checkpoint: string | null = null;
      if (input.resumedFrom !== undefined) {
        const previous = await trx
          .updateTable('sync_runs')
          .set({ status: 'failed', finished_at: input.now })
          .where('id', '=', input.resumedFrom)
          .where('integration_id', '=', input.integrationId)
          .returning('checkpoint')
          .executeTakeFirst();
        if (!previous) throw new SyncRunNotFoundError(input.resumedFrom);
        checkpoint = previous.checkpoint;
      }
      await trx
        .insertInto('sync_runs')
        .values({
          id,
          integration_id: input.integrationId,
          plan: input.plan,
          status: 'running',
          complete: 0,
          started_at: input.now,
          heartbeat_at: input.now,
          checkpoint,
          finished_at: null,
          counts: null,
          api_calls: 0,
          retries: 0,
          rate_limit_waits: 0,
          errors: null,
          resumed_from: input.resumedFrom ?? null,
        })
        .execute();
      if (input.resumedFrom !== undefined) {
        // The new run continues the old one: what the old run saw counts as seen, or the sweep at
        // the end would remove everything the skipped phases had already read.
        await trx
          .insertInto('sync_seen')
          .columns(['run_id', 'entity', 'key'])
          .expression((eb) =>
            eb
              .selectFrom('sync_seen')
              .select([eb.val(id).as('run_id'), 'entity', 'key'])
              .where('run_id', '=', input.resumedFrom ?? ''),
          )
          .execute();
        await trx.deleteFrom('sync_seen').where('run_id', '=', input.resumedFrom).execute();
      } else {
        // A fresh start abandons what earlier failed runs had seen.
        await trx
          .deleteFrom('sync_seen')
          .where('run_id', 'in', (eb) =>
            eb
              .selectFrom('sync_runs')
              .select('id')
              .where('integration_id', '=', input.integrationId)
              .where('status', '!=', 'running'),
          )
          .execute();
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new SyncAlreadyRunningError(input.integrationId);
    throw error;
  }
  return id;
}

/** A run still marked running whose heartbeat is older than staleBeforeIso: its worker died. */
export async function findInterruptedRun(
  db: Kysely<Database>,
  integrationId: string,
  staleBeforeIso: string,
): Promise<SyncRun | undefined> {
  const row = await db
    .selectFrom('sync_runs')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', staleBeforeIso)
    .executeTakeFirst();
  return row ? toRun(row) : undefined;
}

/**
 * Claims an interrupted run so this worker continues it in place (same id, same checkpoint and
 * seen-set). Atomic: of several workers trying at once, exactly one gets true.
 */
export async function takeOverRun(
  db: Kysely<Database>,
  runId: string,
  opts: { now: string; staleBeforeIso: string },
): Promise<boolean> {
  const result = await db
    .updateTable('sync_runs')
    .set({ heartbeat_at: opts.now })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', opts.staleBeforeIso)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function heartbeat(db: Kysely<Database>, runId: string, now: string): Promise<void> {
  await db.updateTable('sync_runs').set({ heartbeat_at: now }).where('id', '=', runId).execute();
}

export interface RunProgress {
  counts: Record<string, number>;
  apiCalls: number;
  retries: number;
  rateLimitWaits: number;
}

/**
 * Stores the resume point (any JSON value) and, when given, the progress so far, so anyone can
 * watch a running sync; also counts as a heartbeat when now is given.
 */
export async function saveCheckpoint(
  db: Kysely<Database>,
  runId: string,
  checkpoint: unknown,
  now?: string,
  progress?: RunProgress,
): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({
      checkpoint: JSON.stringify(checkpoint),
      ...(now === undefined ? {} : { heartbeat_at: now }),
      ...(progress === undefined
        ? {}
        : {
            counts: JSON.stringify(progress.counts),
            api_calls: progress.apiCalls,
            retries: progress.retries,
            rate_limit_waits: progress.rateLimitWaits,
          }),
    })
    .where('id', '=', runId)
    .execute();
}

export async function finishRun(db: Kysely<Database>, runId: string, input: FinishRunInput): Promise<void> {
  const result = await db
    .updateTable('sync_runs')
    .set({
      status: input.status,
      complete: toFlag(input.complete),
      finished_at: input.now,
      heartbeat_at: input.now,
      counts: JSON.stringify(input.counts ?? {}),
      api_calls: input.apiCalls ?? 0,
      retries: input.retries ?? 0,
      rate_limit_waits: input.rateLimitWaits ?? 0,
      errors: JSON.stringify(input.errors ?? []),
    })
    .where('id', '=', runId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new SyncRunNotFoundError(runId);
}

export async function getRun(db: Kysely<Database>, runId: string): Promise<SyncRun | undefined> {
  const row = await db.selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  return row ? toRun(row) : undefined;
}

/** Newest first. */
export async function listRuns(
  db: Kysely<Database>,
  opts: { integrationId?: string; limit?: number } = {},
): Promise<SyncRun[]> {
  let query = db.selectFrom('sync_runs').selectAll();
  if (opts.integrationId !== undefined) query = query.where('integration_id', '=', opts.integrationId);
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(opts.limit ?? 50)
    .execute();
  return rows.map(toRun);
}

/**
 * True while the integration has never finished a complete, successful run. Such a baseline run
 * records no account history: the first import would otherwise write one row per grant.
 */
export async function isBaselineRun(db: Kysely<Database>, integrationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('sync_runs')
    .select('id')
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'succeeded')
    .where('complete', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}
