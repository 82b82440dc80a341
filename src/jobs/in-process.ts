// The in-process job engine for the embedded deployment: a queue in memory, a bounded number of
// jobs at a time, retries with exponential backoff, and the recent jobs' statuses for anyone who
// asks. Jobs queued here do not survive a restart; the schedules enqueue them again.
import { randomUUID } from 'node:crypto';
import type { App } from '../app.ts';
import { JOB_HANDLERS, type JobHandler, type JobHandlers } from './handlers.ts';
import type { EnqueueResult, JobQueue, JobResult, JobStatus } from './port.ts';
import {
  JOB_TYPES,
  parsePayload,
  PermanentJobError,
  singletonKeyOf,
  type JobType,
  type Payload,
  type RetryPolicy,
} from './types.ts';

export interface InProcessJobsOptions {
  /** Jobs running at once (default 2). */
  concurrency?: number;
  /** Settled jobs whose status is kept (default 200); the oldest are forgotten first. */
  historyLimit?: number;
  /** Replaces a type's retry policy (tests, or a deployment that wants faster retries). */
  retry?: Partial<Record<JobType, RetryPolicy>>;
}

interface Entry {
  status: JobStatus;
  payload: unknown;
  singletonKey: string | undefined;
  retryTimer: NodeJS.Timeout | undefined;
}

const SETTLED = new Set<JobStatus['state']>(['succeeded', 'failed', 'skipped']);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createInProcessJobs(
  app: App,
  handlers: Partial<JobHandlers> = {},
  options: InProcessJobsOptions = {},
): JobQueue {
  const allHandlers: JobHandlers = { ...JOB_HANDLERS, ...handlers };
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const historyLimit = Math.max(1, options.historyLimit ?? 200);
  const log = app.logger.child({ component: 'jobs' });

  const entries = new Map<string, Entry>();
  const ready: Entry[] = [];
  const bySingletonKey = new Map<string, string>();
  const settledOrder: string[] = [];
  const running = new Set<Promise<void>>();
  let accepting = false;

  const policyOf = (type: JobType): RetryPolicy => options.retry?.[type] ?? JOB_TYPES[type].retry;

  function pump(): void {
    while (accepting && running.size < concurrency) {
      const next = ready.shift();
      if (!next) return;
      const run = execute(next).finally(() => {
        running.delete(run);
        pump();
      });
      running.add(run);
    }
  }

  function settle(entry: Entry, state: 'succeeded' | 'failed' | 'skipped', result: JobResult | null): void {
    const { status } = entry;
    status.state = state;
    status.finishedAt = new Date().toISOString();
    status.nextAttemptAt = null;
    status.result = result;
    if (entry.singletonKey !== undefined) bySingletonKey.delete(entry.singletonKey);
    settledOrder.push(status.id);
    while (settledOrder.length > historyLimit) {
      const forgotten = settledOrder.shift();
      if (forgotten !== undefined) entries.delete(forgotten);
    }
  }

  function scheduleRetry(entry: Entry, delayMs: number): void {
    if (!accepting) {
      // Stopping: no timer may outlive stop(); a later start() tries again at once.
      entry.status.state = 'queued';
      ready.push(entry);
      return;
    }
    entry.status.state = 'retrying';
    entry.status.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      entry.status.state = 'queued';
      entry.status.nextAttemptAt = null;
      ready.push(entry);
      pump();
    }, delayMs);
  }

  async function execute(entry: Entry): Promise<void> {
    const { status } = entry;
    const type = status.type;
    status.state = 'running';
    status.attempts += 1;
    status.startedAt ??= new Date().toISOString();
    const jobLog = log.child({ jobId: status.id, jobType: type, attempt: status.attempts });
    jobLog.info({ payload: status.payload }, 'job started');
    // The payload was parsed against this type's schema at enqueue, so it fits this handler.
    const handler: JobHandler<typeof type> = allHandlers[type];
    try {
      const result = await handler(app, entry.payload as Payload<typeof type>, {
        jobId: status.id,
        attempt: status.attempts,
        jobs: queue,
      });
      status.error = null;
      settle(entry, 'succeeded', result);
      jobLog.info({ result }, 'job succeeded');
    } catch (error) {
      status.error = messageOf(error);
      const policy = policyOf(type);
      if (JOB_TYPES[type].alreadyBeingDone?.(error)) {
        settle(entry, 'skipped', null);
        jobLog.info({ reason: status.error }, 'job skipped: the work is already being done');
      } else if (error instanceof PermanentJobError || status.attempts >= policy.attempts) {
        settle(entry, 'failed', null);
        jobLog.error({ error: status.error }, 'job failed');
      } else {
        const delayMs = policy.backoffMs * 2 ** (status.attempts - 1);
        scheduleRetry(entry, delayMs);
        jobLog.warn({ error: status.error, retryInMs: delayMs }, 'job failed; will retry');
      }
    }
  }

  function enqueueNow<T extends JobType>(type: T, payload: Payload<T>): EnqueueResult {
    const parsed = parsePayload(type, payload);
    const singletonKey = singletonKeyOf(type, parsed);
    const existing = singletonKey === undefined ? undefined : bySingletonKey.get(singletonKey);
    if (existing !== undefined) return { jobId: existing, deduplicated: true };

    const id = randomUUID();
    const entry: Entry = {
      payload: parsed,
      singletonKey,
      retryTimer: undefined,
      status: {
        id,
        type,
        payload: { ...parsed },
        state: 'queued',
        attempts: 0,
        maxAttempts: policyOf(type).attempts,
        createdAt: new Date().toISOString(),
        startedAt: null,
        finishedAt: null,
        nextAttemptAt: null,
        error: null,
        result: null,
      },
    };
    entries.set(id, entry);
    if (singletonKey !== undefined) bySingletonKey.set(singletonKey, id);
    ready.push(entry);
    log.debug({ jobId: id, jobType: type }, 'job queued');
    pump();
    return { jobId: id, deduplicated: false };
  }

  const queue: JobQueue = {
    enqueue<T extends JobType>(type: T, payload: Payload<T>): Promise<EnqueueResult> {
      // The executor runs at once (the job is queued before this returns) and turns a bad
      // payload into a rejection rather than a synchronous throw.
      return new Promise((resolve) => {
        resolve(enqueueNow(type, payload));
      });
    },

    engine: 'in-process',

    status(jobId: string): Promise<JobStatus | undefined> {
      const entry = entries.get(jobId);
      return Promise.resolve(entry ? structuredClone(entry.status) : undefined);
    },

    start(): Promise<void> {
      accepting = true;
      pump();
      return Promise.resolve();
    },

    async stop(): Promise<void> {
      accepting = false;
      // Jobs waiting out a backoff go back to the queue: a later start() tries them at once.
      for (const entry of entries.values()) {
        if (entry.retryTimer === undefined || SETTLED.has(entry.status.state)) continue;
        clearTimeout(entry.retryTimer);
        entry.retryTimer = undefined;
        entry.status.state = 'queued';
        entry.status.nextAttemptAt = null;
        ready.push(entry);
      }
      await Promise.all(running);
    },
  };
  return queue;
}
