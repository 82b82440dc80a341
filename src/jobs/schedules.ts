// Scheduled syncs: one cron per integration, read from sync_schedules (the default for
// integrations without a row), each firing a sync.integration job. The job's singleton key keeps
// a slow sync from piling up behind itself.
import { Cron } from 'croner';
import type { App } from '../app.ts';
import { listSyncSchedules, SCHEDULE_TIMEZONE } from '../storage/schedules.ts';
import type { JobQueue } from './port.ts';

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

export async function startSchedules(app: App, jobs: JobQueue): Promise<Schedules> {
  const log = app.logger.child({ component: 'schedules' });
  let crons = new Map<string, Cron>();
  let stopped = false;
  // Reloads run one after another, so two quick changes cannot leave two crons for one integration.
  let reloading: Promise<void> = Promise.resolve();

  const stopAll = (): void => {
    for (const cron of crons.values()) cron.stop();
    crons = new Map();
  };

  const trigger = (integrationId: string): void => {
    jobs.enqueue('sync.integration', { integrationId }).then(
      ({ jobId, deduplicated }) => {
        log.info({ integrationId, jobId, deduplicated }, 'scheduled sync enqueued');
      },
      (error: unknown) => {
        log.error(
          { integrationId, error: error instanceof Error ? error.message : String(error) },
          'scheduled sync not enqueued',
        );
      },
    );
  };

  const load = async (): Promise<void> => {
    const schedules = await listSyncSchedules(app.db);
    if (stopped) return;
    stopAll();
    for (const schedule of schedules) {
      if (!schedule.enabled) continue;
      try {
        const cron = new Cron(schedule.cron, { timezone: SCHEDULE_TIMEZONE }, () => {
          trigger(schedule.integrationId);
        });
        crons.set(schedule.integrationId, cron);
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
    log.info({ scheduled: crons.size }, 'sync schedules loaded');
  };

  const reload = (): Promise<void> => {
    reloading = reloading.catch(() => undefined).then(load);
    return reloading;
  };

  await reload();
  return {
    stop: () => {
      stopped = true;
      stopAll();
    },
    reload,
    scheduled: () =>
      [...crons.entries()].map(([integrationId, cron]) => ({
        integrationId,
        cron: cron.getPattern() ?? '',
        nextRunAt: cron.nextRun()?.toISOString() ?? null,
      })),
  };
}
