// The job types, declared as data: payload schema, singleton key and retry policy per type. The
// engines (in-process now, pg-boss later) read their behaviour from here, not from code paths.
import { z } from 'zod';
import { VIAS } from '../storage/audit.ts';
import { SyncAlreadyRunningError } from '../storage/sync-runs.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubles for each further one. */
  backoffMs: number;
}

export interface JobTypeDefinition<S extends z.ZodType> {
  description: string;
  payload: S;
  /** Jobs with the same key run one at a time: enqueueing while one is queued or running returns it. */
  singletonKey?: (payload: z.infer<S>) => string;
  retry: RetryPolicy;
  /** Errors meaning the work is already being done elsewhere: the job is skipped, not retried. */
  alreadyBeingDone?: (error: unknown) => boolean;
}

function defineJobType<S extends z.ZodType>(definition: JobTypeDefinition<S>): JobTypeDefinition<S> {
  return definition;
}

export const JOB_TYPES = {
  'sync.integration': defineJobType({
    description: 'Sync one integration from Atlassian',
    payload: z.strictObject({ integrationId: z.string().min(1).max(200) }),
    singletonKey: (payload) => payload.integrationId,
    // A failed sync resumes from its checkpoint, so a retry continues rather than repeats.
    retry: { attempts: 3, backoffMs: 60_000 },
    alreadyBeingDone: (error) => error instanceof SyncAlreadyRunningError,
  }),
  'requests.provision': defineJobType({
    description: 'Grant the access of one approved request (resumes its operation after a crash)',
    payload: z.strictObject({ requestId: z.string().min(1).max(200) }),
    singletonKey: (payload) => payload.requestId,
    retry: { attempts: 5, backoffMs: 30_000 },
  }),
  'requests.sweep': defineJobType({
    description: 'Access requests: reminders, escalation, expiry notices and revoking expired access',
    payload: z.strictObject({}),
    singletonKey: () => 'all',
    retry: { attempts: 1, backoffMs: 60_000 },
  }),
  'actions.operation': defineJobType({
    description: 'Run (or resume) a persisted provisioning operation',
    payload: z.strictObject({
      operationId: z.string().min(1).max(200),
      actor: z.string().min(1).max(320),
      via: z.enum(VIAS),
    }),
    singletonKey: (payload) => payload.operationId,
    // Items already done are never repeated; a retry picks up the rest once their lease runs out.
    retry: { attempts: 8, backoffMs: 5_000 },
  }),
  'auth.housekeeping': defineJobType({
    description: 'Delete expired sessions, old login attempts and old schedule tick claims',
    payload: z.strictObject({}),
    singletonKey: () => 'all',
    retry: { attempts: 2, backoffMs: 60_000 },
  }),
  'notifications.deliver': defineJobType({
    description: 'Send due notification deliveries (webhook, email); each delivery retries on its own',
    payload: z.strictObject({}),
    singletonKey: () => 'all',
    retry: { attempts: 2, backoffMs: 30_000 },
  }),
} as const;

export type JobType = keyof typeof JOB_TYPES;
export type Payload<T extends JobType> = z.infer<(typeof JOB_TYPES)[T]['payload']>;
export const JOB_TYPE_NAMES = Object.keys(JOB_TYPES) as JobType[];

export function isJobType(name: string): name is JobType {
  return Object.hasOwn(JOB_TYPES, name);
}

/** Validates a payload against its type's schema (throws a ZodError when it does not fit). */
export function parsePayload<T extends JobType>(type: T, payload: unknown): Payload<T> {
  return JOB_TYPES[type].payload.parse(payload) as Payload<T>;
}

/** The type's singleton key for a payload, prefixed with the type so keys never collide across types. */
export function singletonKeyOf<T extends JobType>(type: T, payload: Payload<T>): string | undefined {
  // TypeScript cannot correlate JOB_TYPES[T] with Payload<T> for a generic T; they are the same type.
  const definition = JOB_TYPES[type] as unknown as JobTypeDefinition<z.ZodType<Payload<T>>>;
  const key = definition.singletonKey?.(payload);
  return key === undefined ? undefined : `${type}:${key}`;
}

/** Thrown by a handler when trying again cannot help (bad credentials, a deleted integration). */
export class PermanentJobError extends Error {
  readonly code = 'job_failed_permanently';
}
