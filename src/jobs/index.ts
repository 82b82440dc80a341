// Public API of the jobs module: the port, its two engines, the job types and the schedules.
export type { EnqueueResult, JobContext, JobQueue, JobResult, JobState, JobStatus } from './port.ts';
export {
  isJobType,
  JOB_TYPE_NAMES,
  JOB_TYPES,
  PermanentJobError,
  type JobType,
  type JobTypeDefinition,
  type Payload,
  type RetryPolicy,
} from './types.ts';
export { JOB_HANDLERS, SyncFailedError, type JobHandler, type JobHandlers } from './handlers.ts';
export { createInProcessJobs, type InProcessJobsOptions } from './in-process.ts';
export { createPgBossJobs, type PgBossJobsOptions } from './pg-boss.ts';
export { createJobs } from './engine.ts';
export { SYSTEM_SCHEDULES, type SystemSchedule } from './system-schedules.ts';
export { startSchedules, type ScheduledSync, type ScheduleOptions, type Schedules } from './schedules.ts';
export {
  DEFAULT_SYNC_CRON,
  getSyncSchedule,
  InvalidCronError,
  listSyncSchedules,
  resetSyncSchedule,
  setSyncSchedule,
  validateCron,
  type SyncSchedule,
} from '../storage/schedules.ts';
