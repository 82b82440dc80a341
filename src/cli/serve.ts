// seatwarden serve: the web UI and REST API, the job worker and the schedules — all in one process
// (role "all", the embedded default), or split for scale-out on PostgreSQL: "api" nodes serve
// HTTP and enqueue jobs, "worker" nodes run jobs and schedules (pg-boss shares the work).
// With no integration yet (and SEATWARDEN_DEMO not 0), role "all" also starts the built-in
// simulator, connects it as "demo" and syncs it, so a newcomer sees real-looking data at once.
import type { Command } from 'commander';
import { z } from 'zod';
import type { Simulator } from '../../sim/index.ts';
import { openApp, type App } from '../app.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { ensureFirstAdmin } from '../http/auth/index.ts';
import { buildServer } from '../http/server.ts';
import { DEMO_LABEL, startDemo } from '../integrations/demo.ts';
import { integrations } from '../integrations/service.ts';
import { createJobs, startSchedules, type JobQueue } from '../jobs/index.ts';
import type { Schedules } from '../jobs/index.ts';
import { print, type GlobalOptions } from './context.ts';

/** Worker nodes re-read sync schedules this often, so a change made through any API node arrives. */
const SCHEDULE_REFRESH_MS = 60_000;

interface ServeFlags {
  port?: string;
  host?: string;
  demo: boolean;
  role?: string;
}

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const serveSettings = z.object({
  role: z.enum(PROCESS_ROLES, { error: 'role must be one of all, api, worker' }),
  port: z.coerce.number().int().min(0).max(65_535),
  /** Only when a port was asked for: the worker role's health and metrics port. */
  opsPort: z.coerce.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1),
  demo: z.boolean(),
  metricsToken: z.string().min(16, 'SEATWARDEN_METRICS_TOKEN must be at least 16 characters').optional(),
});

/** Flags win over the environment, which wins over the defaults. */
function resolveSettings(flags: ServeFlags, env: NodeJS.ProcessEnv) {
  return serveSettings.parse({
    role: flags.role ?? env.SEATWARDEN_ROLE ?? 'all',
    port: flags.port ?? env.SEATWARDEN_PORT ?? '8080',
    opsPort: flags.port ?? env.SEATWARDEN_PORT,
    host: flags.host ?? env.SEATWARDEN_HOST ?? '127.0.0.1',
    demo: flags.demo && env.SEATWARDEN_DEMO !== '0',
    metricsToken: env.SEATWARDEN_METRICS_TOKEN === '' ? undefined : env.SEATWARDEN_METRICS_TOKEN,
  });
}

async function startDemoSync(app: App, jobs: JobQueue): Promise<Simulator> {
  const { sim, integration } = await startDemo(app, 2000);
  try {
    await jobs.enqueue('sync.integration', { integrationId: integration.id });
  } catch (error) {
    await sim.stop();
    throw error;
  }
  print(`Demo: simulator at ${sim.siteUrl}, connected as "${DEMO_LABEL}"; the first sync is running.`);
  return sim;
}

export async function serve(globals: GlobalOptions, flags: ServeFlags): Promise<void> {
  const settings = resolveSettings(flags, process.env);
  const config = loadConfig(process.env, globals.dataDir ? { dataDir: globals.dataDir } : {});
  const app = await openApp(config, { logTo: 'stdout' });
  // Stopped in this order: no new requests, no new schedules, running jobs finish (the demo
  // simulator still answers them), then the simulator, then the store.
  const stages: Record<'server' | 'schedules' | 'jobs' | 'sim' | 'app', (() => unknown) | undefined> = {
    server: undefined,
    schedules: undefined,
    jobs: undefined,
    sim: undefined,
    app: () => app.close(),
  };
  const shutdown = async (): Promise<void> => {
    for (const [stage, stop] of Object.entries(stages)) {
      try {
        await stop?.();
      } catch (error) {
        app.logger.error({ err: error, stage }, 'error during shutdown');
      }
    }
  };
  const runsApi = settings.role !== 'worker';
  const runsWorker = settings.role !== 'api';
  try {
    if (settings.role !== 'all' && app.store.dialect !== 'postgres') {
      throw new ConfigError(
        `--role ${settings.role} needs PostgreSQL (DATABASE_URL): the embedded SQLite store runs everything in one process`,
      );
    }
    const admin = runsApi ? await ensureFirstAdmin(app) : undefined;
    const jobs = createJobs(app);
    stages.jobs = () => jobs.stop();
    let schedules: Schedules | undefined;
    if (runsWorker) {
      await jobs.start();
      schedules = await startSchedules(app, jobs, { refreshMs: SCHEDULE_REFRESH_MS });
      const running = schedules;
      stages.schedules = () => {
        running.stop();
      };
    }
    app.logger.info({ role: settings.role, jobs: jobs.engine, store: app.store.dialect }, 'process started');

    if (!runsApi) {
      // A worker has no API; with a port asked for, it answers health probes and metrics there.
      if (settings.opsPort !== undefined) {
        const ops = await buildServer(
          app,
          { jobs, ...(settings.metricsToken === undefined ? {} : { metricsToken: settings.metricsToken }) },
          { opsOnly: true },
        );
        stages.server = () => ops.close();
        const address = await ops.listen({ port: settings.opsPort, host: settings.host });
        print(`Health and metrics at ${address}/healthz, /readyz, /metrics`);
      }
      print(`Seatwarden worker is running (jobs: ${jobs.engine}). Stop with Ctrl-C.`);
    } else {
      const server = await buildServer(app, {
        jobs,
        ...(schedules === undefined ? {} : { schedules }),
        ...(settings.metricsToken === undefined ? {} : { metricsToken: settings.metricsToken }),
      });
      stages.server = () => server.close();

      if (
        settings.role === 'all' &&
        settings.demo &&
        (await integrations(app)).every((i) => i.label === DEMO_LABEL)
      ) {
        const sim = await startDemoSync(app, jobs);
        stages.sim = () => sim.stop();
        await schedules?.reload();
      }

      const address = await server.listen({ port: settings.port, host: settings.host });
      print(`Seatwarden is running at ${address}  (API docs: ${address}/docs; role ${settings.role})`);
      if (admin?.created && admin.oneTimePassword !== undefined) {
        print(
          `Sign in as ${admin.email ?? 'the admin'} with this one-time password: ${admin.oneTimePassword}`,
        );
        print(
          'It is shown only now; set SEATWARDEN_ADMIN_EMAIL and SEATWARDEN_ADMIN_PASSWORD to choose your own.',
        );
      } else if (admin?.created) {
        print(`Sign in as ${admin.email ?? 'the admin'} with SEATWARDEN_ADMIN_PASSWORD.`);
      }
      print('Stop with Ctrl-C.');
    }
  } catch (error) {
    await shutdown();
    throw error;
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      app.logger.info({ signal }, 'shutting down; running jobs finish first (signal again to quit now)');
      print('Shutting down: waiting for running jobs (Ctrl-C again to quit at once)…');
      // A second signal quits at once; an interrupted sync resumes from its checkpoint next time.
      process.once(signal, () => process.exit(130));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await shutdown();
}

export function registerServeCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('run the web UI and REST API (with the demo simulator when nothing is connected yet)')
    .option('--port <port>', 'port to listen on (SEATWARDEN_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (SEATWARDEN_HOST, default 127.0.0.1)')
    .option('--no-demo', 'do not start the demo simulator (SEATWARDEN_DEMO=0)')
    .option(
      '--role <role>',
      'all (default): everything in one process; api: HTTP only; worker: jobs and schedules, with only health and metrics on --port if given (SEATWARDEN_ROLE; api and worker need PostgreSQL)',
    )
    .action(async (flags: ServeFlags) => {
      await serve(globals(), flags);
    });
}
