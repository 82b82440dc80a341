// The jobs port: what the app needs from a job engine. The in-process engine implements it for
// the embedded deployment (SQLite); the pg-boss engine for scale-out (PostgreSQL).
import type { JobType, Payload } from './types.ts';

export type JobState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'skipped';

/** Plain JSON a handler reports back (ids, counts), shown to whoever asks for the job's status. */
export type JobResult = Readonly<Record<string, string | number | boolean | null>>;

export interface JobStatus {
  id: string;
  type: JobType;
  payload: Readonly<Record<string, unknown>>;
  state: JobState;
  /** Tries started so far. */
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** When state is retrying. */
  nextAttemptAt: string | null;
  /** The last error's message. */
  error: string | null;
  result: JobResult | null;
}

export interface EnqueueResult {
  jobId: string;
  /** True when a job with the same singleton key was already queued or running: that job's id. */
  deduplicated: boolean;
}

export interface JobQueue {
  /** Validates the payload against the type's schema; throws when it does not fit. */
  enqueue<T extends JobType>(type: T, payload: Payload<T>): Promise<EnqueueResult>;
  /** A recent job's status; undefined once forgotten or never known to this engine. */
  status(jobId: string): Promise<JobStatus | undefined>;
  /** Starts working jobs (an API-only process enqueues and never calls start). */
  start(): Promise<void>;
  /** Stops taking jobs and waits for running ones to finish. */
  stop(): Promise<void>;
  /** Which engine this is, for status pages and logs. */
  readonly engine: 'in-process' | 'pg-boss';
}

export interface JobContext {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  /** The queue running this job, for follow-up work (enqueue after your transaction commits). */
  jobs: JobQueue;
}
