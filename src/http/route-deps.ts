// What every route module receives from buildServer.
import type { App } from '../app.ts';
import type { JobQueue, Schedules } from '../jobs/index.ts';

export interface ServerDeps {
  jobs: JobQueue;
  /** When given, schedule changes made through the API take effect at once. */
  schedules?: Pick<Schedules, 'reload'>;
  /** When set, GET /metrics requires `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
}

export interface RouteDeps extends ServerDeps {
  app: App;
}
