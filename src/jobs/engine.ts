// Which job engine a process uses follows from its store: pg-boss on PostgreSQL (any number of
// nodes share the work), the in-process queue on the embedded SQLite store (one process).
import type { App } from '../app.ts';
import { isPostgresUrl } from '../storage/db.ts';
import type { JobHandlers } from './handlers.ts';
import { createInProcessJobs } from './in-process.ts';
import { createPgBossJobs } from './pg-boss.ts';
import type { JobQueue } from './port.ts';
import { JOB_TYPE_NAMES, JOB_TYPES } from './types.ts';

export function createJobs(app: App, handlers: Partial<JobHandlers> = {}): JobQueue {
  const url = app.config.databaseUrl;
  if (app.store.dialect === 'postgres' && isPostgresUrl(url)) {
    return createPgBossJobs(app, { connectionString: url, handlers });
  }
  const { concurrency, retryDelaySeconds } = app.config.jobs;
  const retry =
    retryDelaySeconds === undefined
      ? {}
      : Object.fromEntries(
          JOB_TYPE_NAMES.map((type) => [
            type,
            { attempts: JOB_TYPES[type].retry.attempts, backoffMs: retryDelaySeconds * 1000 },
          ]),
        );
  return createInProcessJobs(app, handlers, { concurrency, retry });
}
