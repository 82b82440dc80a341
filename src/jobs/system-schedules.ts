// Jobs every deployment runs on a fixed cron, declared as data. Like the sync schedules, each
// tick is claimed in the database, so it fires once however many worker nodes run.
import type { JobType, Payload } from './types.ts';

export interface SystemSchedule<T extends JobType = JobType> {
  /** Unique among schedules; also the tick-claim key. */
  key: string;
  /** UTC, 5 fields (or 6 with seconds). */
  cron: string;
  job: T;
  payload: Payload<T>;
}

/** Checks each entry's payload against its own job type. */
function every<T extends JobType>(schedule: SystemSchedule<T>): SystemSchedule {
  return schedule;
}

export const SYSTEM_SCHEDULES: readonly SystemSchedule[] = [
  // Reminders, escalations, expiry notices and revocations of time-bound access.
  every({ key: 'requests.sweep', cron: '* * * * *', job: 'requests.sweep', payload: {} }),
  // Deliveries whose first try failed (or whose kick was lost in a crash) come due here.
  every({ key: 'notifications.deliver', cron: '* * * * *', job: 'notifications.deliver', payload: {} }),
  every({ key: 'auth.housekeeping', cron: '17 * * * *', job: 'auth.housekeeping', payload: {} }),
];
