// seatwarden sync [--integration X]
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { findIntegration, integrations } from '../integrations/service.ts';
import type { SyncProgressEvent } from '../sync/context.ts';
import { syncIntegration } from '../sync/service.ts';
import type { SyncOutcome } from '../sync/runner.ts';
import { print, withApp, type GlobalOptions } from './context.ts';
import { CliUsageError } from './errors.ts';

interface SyncOptions {
  integration?: string;
  fresh?: boolean;
  json?: boolean;
}

/** The bar counts items written; its total grows as phases discover more, since no API gives it upfront. */
function progressBar(label: string): { onProgress: (e: SyncProgressEvent) => void; stop: () => void } {
  const bar = new SingleBar(
    {
      format: `${label} {bar} {value} items | {calls} calls | {pages} pages | {waits} rate-limit waits | {retries} retries | {phase}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const state = { items: 0, calls: 0, pages: 0, waits: 0, retries: 0, phase: 'starting' };
  bar.start(1, 0, state);
  return {
    onProgress: (event) => {
      if (event.type === 'call') state.calls++;
      else if (event.type === 'retry') state.retries++;
      else if (event.type === 'rateLimited') state.waits++;
      else if (event.type === 'page') {
        state.pages++;
        state.items += event.items;
      } else if (event.state === 'started') state.phase = event.phase;
      bar.setTotal(Math.max(state.items, 1) * (state.phase === 'done' ? 1 : 1.1));
      bar.update(state.items, state);
    },
    stop: () => {
      bar.setTotal(Math.max(state.items, 1));
      bar.update(state.items, { ...state, phase: 'done' });
      bar.stop();
    },
  };
}

function summary(label: string, outcome: SyncOutcome): string {
  const accounts = ['inserted', 'updated', 'unchanged'].map((k) => outcome.counts[`accounts.${k}`] ?? 0);
  const lines = [
    `${label}: sync ${outcome.status}${outcome.resumedFrom ? ` (resumed run ${outcome.resumedFrom})` : ''}`,
    `  accounts: ${accounts[0] ?? 0} new, ${accounts[1] ?? 0} changed, ${accounts[2] ?? 0} unchanged, ${outcome.swept.accounts ?? 0} removed`,
    `  API calls: ${outcome.apiCalls}, retries: ${outcome.retries}, rate-limit waits: ${outcome.rateLimitWaits}`,
  ];
  for (const error of outcome.errors) lines.push(`  error in ${error.phase}: ${error.message}`);
  if (outcome.status === 'failed')
    lines.push('  Nothing was marked removed. The next sync resumes where this one stopped.');
  return lines.join('\n');
}

export function registerSyncCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('sync')
    .description('sync inventory from Atlassian (all integrations, or one)')
    .option('--integration <integration>', 'label or id')
    .option('--fresh', 'start over instead of resuming a failed run')
    .option('--json', 'print JSON')
    .action(async (opts: SyncOptions) => {
      await withApp(globals(), async (app) => {
        const targets = opts.integration
          ? [await findIntegration(app, opts.integration)]
          : await integrations(app);
        if (targets.length === 0)
          throw new CliUsageError('No integrations yet. Add one: seatwarden integrations add --help');
        const results: (SyncOutcome & { integration: string })[] = [];
        for (const integration of targets) {
          const bar = !opts.json && process.stderr.isTTY ? progressBar(integration.label) : undefined;
          try {
            const outcome = await syncIntegration(app, integration, {
              ...(opts.fresh ? { fresh: true } : {}),
              ...(bar ? { onProgress: bar.onProgress } : {}),
            });
            results.push({ ...outcome, integration: integration.label });
            if (!opts.json) print(summary(integration.label, outcome));
          } finally {
            bar?.stop();
          }
        }
        if (opts.json) print(JSON.stringify(results, null, 2));
        if (results.some((r) => r.status === 'failed')) process.exitCode = 4;
      });
    });
}
