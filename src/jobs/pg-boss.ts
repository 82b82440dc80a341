// The scale-out job engine: pg-boss on the same PostgreSQL as the store. One pg-boss queue per job
// type, configured from the job types' data: singleton types use the 'stately' policy (one queued
// and one active job per singleton key across every node), retries and backoff from the type's
// policy, and an expiry after which a job whose worker died is retried by another node.
import PgBoss from 'pg-boss';
import pg from 'pg';
import type { App } from '../app.ts';
import { JOB_HANDLERS, type JobHandler, type JobHandlers } from './handlers.ts';
import type { EnqueueResult, JobQueue, JobResult, JobState, JobStatus } from './port.ts';
import {
  JOB_TYPE_NAMES,
  JOB_TYPES,
  parsePayload,
  PermanentJobError,
  singletonKeyOf,
  type JobType,
  type Payload,
} from './types.ts';

export interface PgBossJobsOptions {
  /** PostgreSQL URL (the store's). */
  connectionString: string;
  /** Replaces handlers (tests). */
  handlers?: Partial<JobHandlers>;
}

/**
 * What a finished job stored as its output. A permanent failure or a skip completes the pg-boss
 * job (so it is not retried) and says what really happened here.
 */
interface Outcome {
  outcome: 'succeeded' | 'failed' | 'skipped';
  result: JobResult | null;
  error: string | null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'object' && value !== null && 'outcome' in value;
}

/** pg-boss stores a thrown error's message under output.value.message or output.message. */
function errorOf(output: unknown): string | null {
  if (typeof output !== 'object' || output === null) return null;
  const record = output as { message?: unknown; value?: { message?: unknown } };
  const message = record.value?.message ?? record.message;
  return typeof message === 'string' ? message : null;
}

function stateOf(job: PgBoss.JobWithMetadata): JobState {
  switch (job.state) {
    case 'created':
      return 'queued';
    case 'retry':
      return 'retrying';
    case 'active':
      return 'running';
    case 'completed':
      return isOutcome(job.output) ? job.output.outcome : 'succeeded';
    case 'cancelled':
    case 'failed':
      return 'failed';
  }
}

/**
 * Nodes starting together would create pg-boss's schema and queues at once (and deadlock in
 * PostgreSQL); an advisory lock per schema makes them take turns.
 */
async function withSetupLock(
  connectionString: string,
  schema: string,
  work: () => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`seatwarden.jobs:${schema}`]);
    await work();
  } finally {
    await client.end();
  }
}

export function createPgBossJobs(app: App, options: PgBossJobsOptions): JobQueue {
  const settings = app.config.jobs;
  const handlers: JobHandlers = { ...JOB_HANDLERS, ...options.handlers };
  const log = app.logger.child({ component: 'jobs', engine: 'pg-boss' });
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: settings.schema,
    application_name: 'seatwarden',
    max: Math.max(4, settings.concurrency + 2),
    maintenanceIntervalSeconds: settings.maintenanceSeconds,
    // Schedules are Seatwarden's own (claimed ticks), not pg-boss's cron.
    schedule: false,
  });
  boss.on('error', (error) => {
    log.error({ error: error.message }, 'pg-boss error');
  });

  let started: Promise<void> | undefined;
  let working = false;

  /** Creates the schema (pg-boss migrates itself under its own advisory lock) and the queues. */
  const ready = (): Promise<void> => {
    started ??= withSetupLock(options.connectionString, settings.schema, async () => {
      await boss.start();
      for (const type of JOB_TYPE_NAMES) {
        const definition = JOB_TYPES[type];
        const queue = {
          name: type,
          policy: definition.singletonKey ? ('stately' as const) : ('standard' as const),
          retryLimit: definition.retry.attempts - 1,
          retryDelay:
            settings.retryDelaySeconds ?? Math.max(1, Math.round(definition.retry.backoffMs / 1000)),
          retryBackoff: true,
          expireInSeconds: settings.expireSeconds,
        };
        // create_queue does nothing for an existing queue; update keeps its policy in step with the code.
        await boss.createQueue(type, queue);
        await boss.updateQueue(type, queue);
      }
    });
    return started;
  };

  async function run(job: PgBoss.JobWithMetadata, type: JobType, queue: JobQueue): Promise<Outcome> {
    const attempt = job.retryCount + 1;
    const jobLog = log.child({ jobId: job.id, jobType: type, attempt });
    jobLog.info({ payload: job.data }, 'job started');
    const handler: JobHandler<typeof type> = handlers[type];
    try {
      const payload = parsePayload(type, job.data);
      const result = await handler(app, payload, { jobId: job.id, attempt, jobs: queue });
      jobLog.info({ result }, 'job succeeded');
      return { outcome: 'succeeded', result, error: null };
    } catch (error) {
      const message = messageOf(error);
      if (JOB_TYPES[type].alreadyBeingDone?.(error)) {
        jobLog.info({ reason: message }, 'job skipped: the work is already being done');
        return { outcome: 'skipped', result: null, error: message };
      }
      if (error instanceof PermanentJobError) {
        jobLog.error({ error: message }, 'job failed');
        return { outcome: 'failed', result: null, error: message };
      }
      const last = attempt >= JOB_TYPES[type].retry.attempts;
      if (last) jobLog.error({ error: message }, 'job failed');
      else jobLog.warn({ error: message }, 'job failed; will retry');
      // Thrown, so pg-boss records the failure and schedules the retry with backoff.
      throw error;
    }
  }

  async function existingJobId(type: JobType, singletonKey: string): Promise<string | undefined> {
    const { rows } = await boss
      .getDb()
      .executeSql(
        `SELECT id FROM ${settings.schema}.job WHERE name = $1 AND singleton_key = $2 AND state < 'completed' ORDER BY created_on LIMIT 1`,
        [type, singletonKey],
      );
    const first = rows[0] as { id?: unknown } | undefined;
    return typeof first?.id === 'string' ? first.id : undefined;
  }

  async function typeOfJob(jobId: string): Promise<JobType | undefined> {
    const { rows } = await boss
      .getDb()
      .executeSql(
        `SELECT name FROM ${settings.schema}.job WHERE id = $1 UNION ALL SELECT name FROM ${settings.schema}.archive WHERE id = $1 LIMIT 1`,
        [jobId],
      );
    const name = (rows[0] as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && (JOB_TYPE_NAMES as readonly string[]).includes(name)
      ? (name as JobType)
      : undefined;
  }

  const queue: JobQueue = {
    engine: 'pg-boss',

    async enqueue<T extends JobType>(type: T, payload: Payload<T>): Promise<EnqueueResult> {
      const parsed = parsePayload(type, payload);
      const singletonKey = singletonKeyOf(type, parsed);
      await ready();
      const id = await boss.send(type, parsed, singletonKey === undefined ? {} : { singletonKey });
      if (id !== null) {
        log.debug({ jobId: id, jobType: type }, 'job queued');
        return { jobId: id, deduplicated: false };
      }
      // Refused by the queue's policy: the same work is already queued (or running) somewhere.
      const existing = singletonKey === undefined ? undefined : await existingJobId(type, singletonKey);
      if (existing === undefined)
        throw new Error(`Job ${type} was not queued and no queued job holds its key`);
      return { jobId: existing, deduplicated: true };
    },

    async status(jobId: string): Promise<JobStatus | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(jobId)) return undefined;
      await ready();
      const type = await typeOfJob(jobId);
      if (type === undefined) return undefined;
      const job = await boss.getJobById<object>(type, jobId, { includeArchive: true });
      if (!job) return undefined;
      const output: unknown = job.output;
      const finished = job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled';
      return {
        id: job.id,
        type,
        payload: { ...(job.data as Record<string, unknown>) },
        state: stateOf(job),
        attempts: job.state === 'created' ? job.retryCount : job.retryCount + 1,
        maxAttempts: job.retryLimit + 1,
        createdAt: new Date(job.createdOn).toISOString(),
        startedAt: job.state === 'created' ? null : new Date(job.startedOn).toISOString(),
        finishedAt: finished && job.completedOn ? new Date(job.completedOn).toISOString() : null,
        nextAttemptAt: job.state === 'retry' ? new Date(job.startAfter).toISOString() : null,
        error: isOutcome(output) ? output.error : errorOf(output),
        result: isOutcome(output) ? output.result : null,
      };
    },

    async start(): Promise<void> {
      await ready();
      if (working) return;
      working = true;
      for (const type of JOB_TYPE_NAMES) {
        // One worker per slot: pg-boss fetches a job per poll, so concurrency is the worker count.
        for (let slot = 0; slot < settings.concurrency; slot += 1) {
          await boss.work<object>(
            type,
            { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: settings.pollSeconds },
            async ([job]) => (job ? run(job, type, queue) : undefined),
          );
        }
      }
      log.info({ concurrency: settings.concurrency, schema: settings.schema }, 'pg-boss workers started');
    },

    async stop(): Promise<void> {
      if (!started) return;
      await started.catch(() => undefined);
      // Graceful: running jobs finish (up to the timeout), then the pool closes.
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      working = false;
      started = undefined;
    },
  };
  return queue;
}
