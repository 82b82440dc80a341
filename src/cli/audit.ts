// seatwarden audit list|verify — read the audit log and check its hash chain. Nothing here writes.
import { Option, type Command } from 'commander';
import { findIntegration } from '../integrations/service.ts';
import {
  listAuditEvents,
  MAX_AUDIT_PAGE,
  verifyAuditChain,
  VIAS,
  type AuditEvent,
  type AuditFilter,
  type Via,
} from '../storage/audit.ts';
import { toIsoTime } from '../storage/helpers.ts';
import { print, withApp, type GlobalOptions } from './context.ts';
import { CliUsageError } from './errors.ts';
import { plain, render, type Column, type Format } from './output.ts';

interface ListOptions {
  integration?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  target?: string;
  via?: Via;
  from?: string;
  to?: string;
  limit: string;
  format: Format;
}

const COLUMNS: Column<AuditEvent>[] = [
  { header: 'seq', value: (e) => e.seq },
  { header: 'at', value: (e) => e.at },
  { header: 'actor', value: (e) => plain(e.actor) },
  { header: 'via', value: (e) => e.via },
  { header: 'action', value: (e) => e.action },
  { header: 'target', value: (e) => plain(e.target) },
  { header: 'outcome', value: (e) => e.outcome },
  { header: 'atlassian', value: (e) => e.atlassianStatus },
  { header: 'request', value: (e) => e.requestId },
];

function time(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return toIsoTime(value);
  } catch {
    throw new CliUsageError(`${flag} must be a date or timestamp, got "${value}"`);
  }
}

export function registerAuditCommands(program: Command, globals: () => GlobalOptions): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('list')
    .description('events, newest first')
    .option('--integration <integration>', 'label or id')
    .option('--actor <actor>')
    .option('--action <kind>')
    .option('--outcome <outcome>', 'succeeded, already_done, refused, failed, interrupted')
    .option('--target <text>', 'part of the target, e.g. an account ID')
    .addOption(new Option('--via <via>').choices([...VIAS]))
    .option('--from <time>', 'at or after')
    .option('--to <time>', 'before')
    .option('--limit <n>', `at most N events (max ${String(MAX_AUDIT_PAGE)})`, '100')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'),
    )
    .action(async (opts: ListOptions) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE)
        throw new CliUsageError(`--limit must be 1 to ${String(MAX_AUDIT_PAGE)}`);
      await withApp(globals(), async (app) => {
        const filter: AuditFilter = { limit };
        if (opts.integration) filter.integrationId = (await findIntegration(app, opts.integration)).id;
        const from = time(opts.from, '--from');
        const to = time(opts.to, '--to');
        Object.assign(filter, {
          ...(opts.actor ? { actor: opts.actor } : {}),
          ...(opts.action ? { action: opts.action } : {}),
          ...(opts.outcome ? { outcome: opts.outcome } : {}),
          ...(opts.target ? { target: opts.target } : {}),
          ...(opts.via ? { via: opts.via } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        });
        print(render(await listAuditEvents(app.db, filter), COLUMNS, opts.format));
      });
    });
  audit
    .command('verify')
    .description('check the hash chain; exits non-zero naming the first bad event')
    .option('--json', 'print the verdict as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withApp(globals(), async (app) => {
        const verdict = await verifyAuditChain(app.db);
        if (opts.json) print(JSON.stringify(verdict));
        else if (verdict.ok) print(`Audit log intact: ${String(verdict.checked)} events verified.`);
        else
          print(
            `Audit log BROKEN at event ${String(verdict.firstBad?.seq)}: ${verdict.firstBad?.reason ?? ''} (${String(verdict.checked)} events verified before it).`,
          );
        process.exitCode = verdict.ok ? 0 : 6;
      });
    });
}
