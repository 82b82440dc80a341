// Cron schedules: one per integration's sync (from sync_schedules, the default for integrations
// without a row) plus the system schedules. Every worker node runs the same crons; each tick is
// claimed in the database first, so only the node that wins the claim enqueues the tick's job.
// The job's singleton key then keeps a slow sync from piling up behind itself.
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { App } from '../app.ts';
import { claimTick } from '../storage/schedule-ticks.ts';
import { listSyncSchedules, SCHEDULE_TIMEZONE } from '../storage/schedules.ts';
import type { JobQueue } from './port.ts';
import { SYSTEM_SCHEDULES, type SystemSchedule } from './system-schedules.ts';
import type { JobType, Payload } from './types.ts';

export interface ScheduledSync {
  integrationId: string;
  cron: string;
  nextRunAt: string | null;
}

export interface Schedules {
  /** Stops every cron; jobs already enqueued are the queue's business. */
  stop(): void;
  /** Re-reads sync_schedules: call after an integration or its schedule changes. */
  reload(): Promise<void>;
  /** What is scheduled now, for status pages. */
  scheduled(): ScheduledSync[];
}

export interface ScheduleOptions {
  /** This node's name in tick claims (default: a random id per process). */
  node?: string;
  /** Replaces the system schedules (tests). */
  system?: readonly SystemSchedule[];
  /** Re-read sync schedules this often (other nodes may change them); default: only on reload(). */
  refreshMs?: number;
}

export async function startSchedules(
  app: App,
  jobs: JobQueue,
  options: ScheduleOptions = {},
): Promise<Schedules> {
  const log = app.logger.child({ component: 'schedules' });
  const node = options.node ?? `node-${randomUUID()}`;
  let syncCrons = new Map<string, Cron>();
  const systemCrons: Cron[] = [];
  let stopped = false;
  // Reloads run one after another, so two quick changes cannot leave two crons for one integration.
  let reloading: Promise<void> = Promise.resolve();

  /** Starts a cron whose every tick is claimed before `fire` runs; the tick is the scheduled time. */
  const claimedCron = (key: string, pattern: string, fire: () => Promise<void>): Cron => {
    const cron = new Cron(pattern, { timezone: SCHEDULE_TIMEZONE, paused: true });
    let scheduledFor = cron.nextRun();
    cron.schedule(() => {
      const tickAt = (scheduledFor ?? new Date()).toISOString();
      scheduledFor = cron.nextRun();
      void claimTick(app.db, { scheduleKey: key, tickAt, node, now: new Date().toISOString() })
        .then(async (won) => {
          if (won) await fire();
          else log.debug({ schedule: key, tickAt }, 'tick already claimed by another node');
        })
        .catch((error: unknown) => {
          log.error(
            { schedule: key, tickAt, error: error instanceof Error ? error.message : String(error) },
            'scheduled job not enqueued',
          );
        });
    });
    cron.resume();
    return cron;
  };

  const enqueue = async <T extends JobType>(type: T, payload: Payload<T>, key: string): Promise<void> => {
    const { jobId, deduplicated } = await jobs.enqueue(type, payload);
    log.info({ schedule: key, jobType: type, jobId, deduplicated }, 'scheduled job enqueued');
  };

  const stopSyncCrons = (): void => {
    for (const cron of syncCrons.values()) cron.stop();
    syncCrons = new Map();
  };

  const load = async (): Promise<void> => {
    const schedules = await listSyncSchedules(app.db);
    if (stopped) return;
    stopSyncCrons();
    for (const schedule of schedules) {
      if (!schedule.enabled) continue;
      const key = `sync:${schedule.integrationId}`;
      try {
        const cron = claimedCron(key, schedule.cron, () =>
          enqueue('sync.integration', { integrationId: schedule.integrationId }, key),
        );
        syncCrons.set(schedule.integrationId, cron);
      } catch (error) {
        // Only a row written around setSyncSchedule gets here; the other integrations still run.
        log.error(
          {
            integrationId: schedule.integrationId,
            cron: schedule.cron,
            error: error instanceof Error ? error.message : String(error),
          },
          'invalid sync schedule ignored',
        );
      }
    }
    log.info({ scheduled: syncCrons.size, node }, 'sync schedules loaded');
  };

  const reload = (): Promise<void> => {
    reloading = reloading.catch(() => undefined).then(load);
    return reloading;
  };

  for (const system of options.system ?? SYSTEM_SCHEDULES) {
    systemCrons.push(
      claimedCron(system.key, system.cron, () => enqueue(system.job, system.payload, system.key)),
    );
  }
  await reload();
  const refresh =
    options.refreshMs === undefined
      ? undefined
      : setInterval(() => {
          reload().catch((error: unknown) => {
            log.error(
              { error: error instanceof Error ? error.message : String(error) },
              'schedule refresh failed',
            );
          });
        }, options.refreshMs);
  refresh?.unref();
  return {
    stop: () => {
      stopped = true;
      if (refresh) clearInterval(refresh);
      stopSyncCrons();
      for (const cron of systemCrons) cron.stop();
    },
    reload,
    scheduled: () =>
      [...syncCrons.entries()].map(([integrationId, cron]) => ({
        integrationId,
        cron: cron.getPattern() ?? '',
        nextRunAt: cron.nextRun()?.toISOString() ?? null,
      })),
  };
}
