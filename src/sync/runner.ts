// Runs one sync of one integration: claims the run (one per integration, enforced by the store),
// resumes an interrupted or recently failed run from its checkpoint, runs the plan's phases,
// and sweeps only after a complete run. A failed run removes nothing.
import type { Kysely } from 'kysely';
import {
  AtlassianError,
  createAtlassianClient,
  type AtlassianClient,
  type ConnectorConfig,
} from '../atlassian/index.ts';
import type { SyncPlanKind } from '../domain/sync-plan.ts';
import { sweep, type WriteCounts } from '../storage/inventory-writes.ts';
import type { Database } from '../storage/schema.ts';
import {
  finishRun,
  findInterruptedRun,
  listRuns,
  heartbeat,
  saveCheckpoint,
  startRun,
  takeOverRun,
  type SyncRun,
} from '../storage/sync-runs.ts';
import { emptyCheckpoint, parseCheckpoint, type PhaseState, type SyncCheckpoint } from './checkpoint.ts';
import type { PhaseContext, SyncEntity, SyncProgressEvent } from './context.ts';
import { PLANS } from './plans.ts';

/** A run whose heartbeat is older than this is taken to be dead (its process crashed). */
export const DEFAULT_STALE_AFTER_MS = 2 * 60_000;
/** A failed run younger than this is continued rather than started over. */
const RESUME_WINDOW_MS = 24 * 3_600_000;

export interface SyncRequest {
  integrationId: string;
  plan: SyncPlanKind;
  connector: ConnectorConfig;
  concurrency?: number;
  /** Start over even when a recent failed run could be resumed. */
  fresh?: boolean;
  onProgress?: (event: SyncProgressEvent) => void;
  now?: () => Date;
  /** A running run whose heartbeat is older than this is taken over (default 2 minutes). */
  staleAfterMs?: number;
}

export interface SyncOutcome {
  runId: string;
  status: 'succeeded' | 'failed';
  resumedFrom: string | null;
  counts: Record<string, number>;
  swept: Record<string, number>;
  apiCalls: number;
  retries: number;
  rateLimitWaits: number;
  errors: SyncErrorRecord[];
}

export interface SyncErrorRecord {
  phase: string;
  kind: string;
  message: string;
  status?: number;
  code?: string;
}

type Counted = Record<string, number>;

function addCounts(total: Counted, entity: SyncEntity, counts: WriteCounts): void {
  for (const [what, n] of Object.entries(counts) as [keyof WriteCounts, number][]) {
    const key = `${entity}.${what}`;
    total[key] = (total[key] ?? 0) + n;
  }
}

function errorRecord(phase: string, error: unknown): SyncErrorRecord {
  if (error instanceof AtlassianError) {
    return {
      phase,
      kind: error.kind,
      message: error.message,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.code === undefined ? {} : { code: error.code }),
    };
  }
  return { phase, kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

async function claimRun(
  db: Kysely<Database>,
  request: SyncRequest,
  nowIso: string,
  now: Date,
): Promise<{ runId: string; checkpoint: SyncCheckpoint; resumedFrom: string | null }> {
  const staleBeforeIso = new Date(
    now.getTime() - (request.staleAfterMs ?? DEFAULT_STALE_AFTER_MS),
  ).toISOString();
  const interrupted = await findInterruptedRun(db, request.integrationId, staleBeforeIso);
  if (interrupted && (await takeOverRun(db, interrupted.id, { now: nowIso, staleBeforeIso }))) {
    return {
      runId: interrupted.id,
      checkpoint: parseCheckpoint(interrupted.checkpoint, request.plan),
      resumedFrom: null,
    };
  }
  const previous: SyncRun | undefined = request.fresh
    ? undefined
    : (await listRuns(db, { integrationId: request.integrationId, limit: 1 }))[0];
  const resumable =
    previous?.status === 'failed' &&
    previous.plan === request.plan &&
    now.getTime() - Date.parse(previous.startedAt) < RESUME_WINDOW_MS
      ? previous
      : undefined;
  const runId = await startRun(db, {
    integrationId: request.integrationId,
    plan: request.plan,
    now: nowIso,
    ...(resumable ? { resumedFrom: resumable.id } : {}),
  });
  return {
    runId,
    checkpoint: resumable
      ? parseCheckpoint(resumable.checkpoint, request.plan)
      : emptyCheckpoint(request.plan),
    resumedFrom: resumable?.id ?? null,
  };
}

export async function runSync(db: Kysely<Database>, request: SyncRequest): Promise<SyncOutcome> {
  const clock = request.now ?? (() => new Date());
  const startedAt = clock();
  const nowIso = startedAt.toISOString();
  const progress = request.onProgress ?? (() => undefined);
  const { runId, checkpoint, resumedFrom } = await claimRun(db, request, nowIso, startedAt);

  const client: AtlassianClient = createAtlassianClient({
    ...request.connector,
    onEvent: (event) => {
      request.connector.onEvent?.(event);
      if (event.type === 'call')
        progress({
          type: 'call',
          endpoint: event.endpoint,
          ...(event.status ? { status: event.status } : {}),
        });
      else if (event.type === 'retry')
        progress({ type: 'retry', endpoint: event.endpoint, reason: event.reason, waitMs: event.waitMs });
      else progress({ type: 'rateLimited', endpoint: event.endpoint, waitMs: event.waitMs });
    },
  });

  const counts: Counted = {};
  const errors: SyncErrorRecord[] = [];
  const write = { integrationId: request.integrationId, runId, now: nowIso };
  const ctx: PhaseContext = {
    client,
    db,
    write,
    orgId: request.connector.orgId,
    concurrency: request.concurrency ?? 6,
    record: (entity, c) => addCounts(counts, entity, c),
    progress,
  };
  // Checkpoint writes are serialised so a slow write never overtakes a newer one.
  let saving: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const snapshot = structuredClone(checkpoint);
    const stats = client.stats();
    const progressNow = {
      counts: { ...counts },
      apiCalls: stats.calls,
      retries: stats.retries,
      rateLimitWaits: stats.rateLimited,
    };
    saving = saving.then(() => saveCheckpoint(db, runId, snapshot, clock().toISOString(), progressNow));
    return saving;
  };

  const plan = PLANS[request.plan];
  async function runWaves(): Promise<SyncOutcome> {
    for (const wave of plan.waves) {
      await Promise.all(
        wave.map(async (phase) => {
          const state: PhaseState = checkpoint.phases[phase.name] ?? { done: false };
          if (state.done) {
            progress({ type: 'phase', phase: phase.name, state: 'skipped' });
            return;
          }
          progress({ type: 'phase', phase: phase.name, state: 'started' });
          try {
            await phase.run(ctx, state, async (next) => {
              checkpoint.phases[phase.name] = next;
              await persist();
            });
            checkpoint.phases[phase.name] = { done: true };
            await persist();
            progress({ type: 'phase', phase: phase.name, state: 'done' });
          } catch (error) {
            errors.push(errorRecord(phase.name, error));
          }
        }),
      );
      if (errors.length > 0) break;
    }
    await saving;

    const stats = client.stats();
    const complete = errors.length === 0;
    const swept: Counted = complete ? await sweep(db, write, plan.sweeps) : {};
    await finishRun(db, runId, {
      status: complete ? 'succeeded' : 'failed',
      complete,
      now: clock().toISOString(),
      counts: {
        ...counts,
        ...Object.fromEntries(Object.entries(swept).map(([k, v]) => [`${k}.removed`, v])),
      },
      apiCalls: stats.calls,
      retries: stats.retries,
      rateLimitWaits: stats.rateLimited,
      errors,
    });
    return {
      runId,
      status: complete ? 'succeeded' : 'failed',
      resumedFrom,
      counts,
      swept,
      apiCalls: stats.calls,
      retries: stats.retries,
      rateLimitWaits: stats.rateLimited,
      errors,
    };
  }
  // A beat between checkpoints too: a long rate-limit wait must not look like a dead process.
  const staleAfterMs = request.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const beat = setInterval(
    () => {
      heartbeat(db, runId, clock().toISOString()).catch(() => undefined);
    },
    Math.max(250, Math.floor(staleAfterMs / 4)),
  );
  try {
    return await runWaves();
  } catch (error) {
    // Never leave a run marked running: a crash here would block the next sync until it goes stale.
    await finishRun(db, runId, {
      status: 'failed',
      complete: false,
      now: clock().toISOString(),
      counts,
      errors: [...errors, errorRecord('finish', error)],
    });
    throw error;
  } finally {
    clearInterval(beat);
  }
}
