// seatwarden actions <kind>|offboard|resume|show — one subcommand per catalog entry; its options
// come from the action's input schema. Destructive actions need --yes, or a confirmation typed at
// a terminal after the dry run is shown; without a terminal they refuse.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import type { App } from '../app.ts';
import { ACTIONS, ACTION_KINDS, type Action } from '../actions/catalog.ts';
import {
  getOperation,
  offboard,
  OperationNotFoundError,
  resumeOperation,
  runAction,
  type Operation,
} from '../actions/service.ts';
import { findIntegration, integrations } from '../integrations/service.ts';
import type { IntegrationSummary } from '../storage/integrations.ts';
import { print, withApp, type GlobalOptions } from './context.ts';
import { CliUsageError } from './errors.ts';
import { plain } from './output.ts';

/** Input field → CLI option. Lists are comma-separated. */
const FIELD_OPTIONS: Record<string, { flag: string; help: string; list?: boolean }> = {
  accountId: { flag: '--account <accountId>', help: 'Atlassian account ID' },
  groupId: { flag: '--group <groupId>', help: 'group ID' },
  email: { flag: '--email <email>', help: 'email address' },
  name: { flag: '--name <name>', help: 'group name' },
  description: { flag: '--description <text>', help: 'group description' },
  project: { flag: '--project <keyOrId>', help: 'project key or ID' },
  role: { flag: '--role <idOrName>', help: 'project role ID or name' },
  productKey: { flag: '--product <key>', help: 'product key, e.g. jira-software' },
  products: { flag: '--products <keys>', help: 'comma-separated Jira products', list: true },
  message: { flag: '--message <text>', help: 'message recorded with the deactivation' },
};

const optionKey = (flag: string): string =>
  (flag.split(' ')[0] ?? '').replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

interface CommonOptions {
  integration?: string;
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
}

function cliActor(): string {
  return `cli:${userInfo().username}`;
}

async function pickIntegration(app: App, ref: string | undefined): Promise<IntegrationSummary> {
  if (ref) return findIntegration(app, ref);
  const all = await integrations(app);
  if (all.length === 1 && all[0]) return all[0];
  throw new CliUsageError(
    all.length === 0
      ? 'No integration yet. See: seatwarden integrations add'
      : 'Several integrations: pick one with --integration',
  );
}

function fieldsOf(action: Action): string[] {
  return action.schema instanceof z.ZodObject ? Object.keys(action.schema.shape) : [];
}

function addCommon(command: Command): Command {
  return command
    .option('--integration <integration>', 'label or id (default: the only one)')
    .option('--dry-run', 'show the checks and the exact calls; change nothing')
    .option('--json', 'print the operation as JSON')
    .option('-y, --yes', 'confirm a destructive action without asking');
}

export function registerActionCommands(program: Command, globals: () => GlobalOptions): void {
  const actions = program
    .command('actions')
    .description('change Atlassian: provisioning with pre-flight checks, dry runs and an audit trail');
  for (const kind of ACTION_KINDS) {
    const action = ACTIONS[kind];
    const command = addCommon(
      actions.command(kind).description(`${action.description}${action.destructive ? ' (destructive)' : ''}`),
    );
    for (const field of fieldsOf(action)) {
      const option = FIELD_OPTIONS[field];
      if (option) command.option(option.flag, option.help);
    }
    command.action(async (opts: CommonOptions & Record<string, string | undefined>) => {
      const input: Record<string, unknown> = {};
      for (const field of fieldsOf(action)) {
        const option = FIELD_OPTIONS[field];
        const value = option ? opts[optionKey(option.flag)] : undefined;
        if (value !== undefined && option)
          input[field] = option.list
            ? value
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean)
            : value;
      }
      await withApp(globals(), async (app) => {
        const integration = await pickIntegration(app, opts.integration);
        const who = { actor: cliActor(), via: 'cli' as const };
        const go = (dryRun: boolean) => runAction(app, integration, { kind, input, dryRun }, who);
        await confirmThenRun(action.destructive, opts, go);
      });
    });
  }

  addCommon(
    actions
      .command('offboard')
      .argument('<accountId>')
      .description('remove from every group and project role, then suspend (or deactivate)'),
  )
    .option('--deactivate', 'deactivate the managed account (platform-wide) instead of suspending it')
    .action(async (accountId: string, opts: CommonOptions & { deactivate?: boolean }) => {
      await withApp(globals(), async (app) => {
        const integration = await pickIntegration(app, opts.integration);
        const who = { actor: cliActor(), via: 'cli' as const };
        const go = (dryRun: boolean) =>
          offboard(app, integration, { accountId, deactivate: opts.deactivate ?? false, dryRun }, who);
        await confirmThenRun(true, opts, go);
      });
    });

  actions
    .command('resume')
    .argument('<operationId>')
    .description('finish an operation a stopped process left behind (nothing that succeeded is repeated)')
    .option('--take-over', 'treat items still marked running as abandoned (only when their process is gone)')
    .option('--json', 'print the operation as JSON')
    .action(async (operationId: string, opts: { takeOver?: boolean; json?: boolean }) => {
      await withApp(globals(), async (app) => {
        const op = await resumeOperation(
          app,
          operationId,
          { actor: cliActor(), via: 'cli' },
          { takeOverRunning: opts.takeOver ?? false },
        );
        report(op, opts.json ?? false);
      });
    });

  actions
    .command('show')
    .argument('<operationId>')
    .option('--json', 'print the operation as JSON')
    .action(async (operationId: string, opts: { json?: boolean }) => {
      await withApp(globals(), async (app) => {
        const op = await getOperation(app.db, operationId);
        if (!op) throw new OperationNotFoundError(operationId);
        report(op, opts.json ?? false);
      });
    });
}

async function confirmThenRun(
  destructive: boolean,
  opts: CommonOptions,
  go: (dryRun: boolean) => Promise<Operation>,
): Promise<void> {
  const json = opts.json ?? false;
  if (opts.dryRun) return report(await go(true), json);
  if (destructive && !opts.yes) {
    if (!process.stdin.isTTY)
      throw new CliUsageError(
        'This action is destructive: pass --yes to confirm (no terminal to ask). Try --dry-run first.',
      );
    const preview = await go(true);
    report(preview, false, false);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question('Proceed with these changes? [y/N] ');
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliUsageError('Cancelled; nothing was changed.');
  }
  report(await go(false), json);
}

const EXIT_CODES: Record<Operation['status'], number> = {
  succeeded: 0,
  pending: 5,
  running: 5,
  partial: 3,
  failed: 3,
  refused: 4,
};

function report(op: Operation, json: boolean, setExit = true): void {
  if (setExit) process.exitCode = EXIT_CODES[op.status];
  if (json) return print(JSON.stringify(op, null, 2));
  const lines = [`${op.dryRun ? 'Dry run ' : 'Operation '}${op.id} (${op.kind}): ${op.status}`];
  for (const item of op.items) {
    const result = item.result ?? {};
    const target = typeof result.target === 'string' ? result.target : '';
    lines.push(
      `  ${String(item.seq)}. ${item.action} ${plain(target)}: ${item.status}${item.atlassianStatus ? ` (HTTP ${String(item.atlassianStatus)})` : ''}`,
    );
    if (typeof result.reason === 'string') lines.push(`     ${plain(result.reason)}`);
    const error = result.error as { message?: string; atlassianMessage?: string } | undefined;
    if (error) lines.push(`     error: ${plain(error.atlassianMessage ?? error.message ?? '')}`);
    const calls = Array.isArray(result.calls) ? (result.calls as { method: string; path: string }[]) : [];
    for (const call of calls)
      lines.push(`     ${op.dryRun ? 'would call' : 'called'} ${call.method} ${call.path}`);
    const checks = Array.isArray(result.checks)
      ? (result.checks as { name: string; ok: boolean; detail: string }[])
      : [];
    if (op.dryRun)
      for (const c of checks) lines.push(`     [${c.ok ? 'ok' : 'no'}] ${c.name}: ${plain(c.detail)}`);
  }
  print(lines.join('\n'));
}
