// seatwarden demo: starts the built-in Atlassian simulator with a demo organization, connects it
// and syncs it, so a newcomer sees real-looking data at once.
import type { Command } from 'commander';
import { startSimulator } from '../../sim/index.ts';
import type { App } from '../app.ts';
import { addIntegration, integrations, removeIntegration } from '../integrations/service.ts';
import { licenseSummary } from '../storage/inventory-reads.ts';
import { syncIntegration } from '../sync/service.ts';
import { print, withApp, type GlobalOptions } from './context.ts';

const DEMO_LABEL = 'demo';

interface DemoOptions {
  users: string;
  once?: boolean;
}

async function connectDemo(app: App, sim: Awaited<ReturnType<typeof startSimulator>>) {
  // The simulator picks new ports each start, so a saved demo integration is replaced, not reused.
  const existing = (await integrations(app)).find((i) => i.label === DEMO_LABEL);
  if (existing) await removeIntegration(app, existing);
  return addIntegration(app, {
    label: DEMO_LABEL,
    siteUrl: sim.siteUrl,
    email: sim.credentials.adminEmail,
    apiToken: sim.credentials.apiToken,
    orgId: sim.orgId,
    orgApiKey: sim.credentials.orgApiKey,
    adminApiUrl: sim.adminApiUrl,
  });
}

export function registerDemoCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('demo')
    .description('start the built-in simulator with a demo organization, connect it and sync it')
    .option('--users <n>', 'size of the demo organization', '2000')
    .option('--once', 'stop the simulator after the first sync')
    .action(async (opts: DemoOptions) => {
      const sim = await startSimulator({ users: Number(opts.users), seed: 42 });
      try {
        await withApp(globals(), async (app) => {
          const integration = await connectDemo(app, sim);
          print(`Simulator: site ${sim.siteUrl}, admin API ${sim.adminApiUrl}`);
          const outcome = await syncIntegration(app, integration);
          print(`Synced "${integration.label}": ${outcome.status}, ${outcome.apiCalls} API calls.`);
          for (const line of await licenseSummary(app.db, { integrationId: integration.id, now: new Date().toISOString() })) {
            print(`  ${line.productKey}: ${line.seatsUsed}/${line.seatsTotal ?? '∞'} seats used, ${line.inactiveBillable} idle billable`);
          }
        });
        if (opts.once) return;
        print('Try: npm run seatwarden -- accounts list --inactive-days 90 --billable   (Ctrl-C stops the simulator)');
        await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      } finally {
        await sim.stop();
      }
    });
}
