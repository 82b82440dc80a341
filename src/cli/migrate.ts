// seatwarden migrate: brings the database to the code's schema and, on PostgreSQL, installs
// pg-boss's schema and queues. Safe to run from several nodes at once (advisory locks).
import type { Command } from 'commander';
import { createJobs } from '../jobs/index.ts';
import { migrateToLatest } from '../storage/db.ts';
import { print, withApp, type GlobalOptions } from './context.ts';

export function registerMigrateCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('migrate')
    .description('apply pending database migrations (and install the job queue on PostgreSQL)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: { json?: boolean }) => {
      await withApp(
        globals(),
        async (app) => {
          const outcome = await migrateToLatest(app.db, app.config.pgSchema, app.store.dialect);
          const applied = (outcome.results ?? []).map((r) => r.migrationName);
          let jobsEngine: string = 'in-process';
          if (app.store.dialect === 'postgres') {
            // Starting the engine without working jobs installs its schema and queues, then stops.
            const jobs = createJobs(app);
            await jobs.status('00000000-0000-0000-0000-000000000000');
            await jobs.stop();
            jobsEngine = jobs.engine;
          }
          const result = { store: app.store.dialect, jobs: jobsEngine, applied };
          if (flags.json) print(JSON.stringify(result));
          else {
            for (const name of applied) print(`applied ${name}`);
            print(`The ${app.store.dialect} database is up to date (jobs: ${jobsEngine}).`);
          }
        },
        { migrate: false, checkSchema: false },
      );
    });
}
