// seatwarden demo: starts the built-in Atlassian simulator with a demo organization, connects it
// and syncs it, so a newcomer sees real-looking data at once.
import type { Command } from 'commander';
import type { Simulator } from '../../sim/index.ts';
import { startDemo } from '../integrations/demo.ts';
import { licenseSummary } from '../storage/inventory-reads.ts';
import { syncIntegration } from '../sync/service.ts';
import { print, withApp, type GlobalOptions } from './context.ts';

interface DemoOptions {
  users: string;
  once?: boolean;
}

export function registerDemoCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('demo')
    .description('start the built-in simulator with a demo organization, connect it and sync it')
    .option('--users <n>', 'size of the demo organization', '2000')
    .option('--once', 'stop the simulator after the first sync')
    .action(async (opts: DemoOptions) => {
      let sim: Simulator | undefined;
      try {
        await withApp(globals(), async (app) => {
          const demo = await startDemo(app, Number(opts.users));
          sim = demo.sim;
          const integration = demo.integration;
          print(`Simulator: site ${demo.sim.siteUrl}, admin API ${demo.sim.adminApiUrl}`);
          const outcome = await syncIntegration(app, integration);
          print(`Synced "${integration.label}": ${outcome.status}, ${outcome.apiCalls} API calls.`);
          for (const line of await licenseSummary(app.db, {
            integrationId: integration.id,
            now: new Date().toISOString(),
          })) {
            print(
              `  ${line.productKey}: ${line.seatsUsed}/${line.seatsTotal ?? '∞'} seats used, ${line.inactiveBillable} idle billable`,
            );
          }
        });
        if (opts.once) return;
        print(
          'Try: npm run seatwarden -- accounts list --inactive-days 90 --billable   (Ctrl-C stops the simulator)',
        );
        await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      } finally {
        await sim?.stop();
      }
    });
}
