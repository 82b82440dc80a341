// seatwarden requests list|show|catalog|create|approve|deny|inbox|cancel|revoke|retry — access
// requests from the server's shell. `--as <email>` names the Seatwarden user acting: the same
// rules as over HTTP apply (permissions, separation of duties, exactly-once decisions).
// Provisioning an approval runs in this process before the command returns.
import type { Command } from 'commander';
import type { App } from '../app.ts';
import {
  allRequests,
  cancelRequest,
  createRequests,
  decideRequest,
  getVisibleRequest,
  inbox,
  myRequests,
  newRequestSchema,
  provisionRequest,
  REQUEST_STATUSES,
  requestableCatalog,
  retryProvisioning,
  revokeByCaller,
  viewOf,
  type AccessRequest,
  type Caller,
  type CatalogItem,
  type RequestStatus,
} from '../approvals/index.ts';
import { allowed, type Permission } from '../http/auth/permissions.ts';
import { findIntegration } from '../integrations/service.ts';
import { createInProcessJobs, type JobQueue } from '../jobs/index.ts';
import { findUserByEmail } from '../storage/users.ts';
import { print, withApp, type GlobalOptions } from './context.ts';
import { CliUsageError } from './errors.ts';
import { plain, render, type Column } from './output.ts';

interface AsOptions {
  as?: string;
  json?: boolean;
}

async function callerFor(app: App, email: string | undefined, permission: Permission): Promise<Caller> {
  if (!email) throw new CliUsageError('Say who acts: --as <email of a Seatwarden user>');
  const user = await findUserByEmail(app.db, email);
  if (!user || user.disabled) throw new CliUsageError(`No active Seatwarden user ${email}`);
  if (!allowed(user.role, permission))
    throw new CliUsageError(`${user.email} (${user.role}) may not do this (needs ${permission})`);
  return {
    user: { id: user.id, email: user.email, role: user.role, displayName: user.displayName },
    via: 'cli',
    requestId: null,
  };
}

/**
 * The in-process queue for notification deliveries, except provisioning, which this command runs
 * itself once the decision is committed (so the command reports the final status).
 */
async function withJobs<T>(app: App, work: (jobs: JobQueue) => Promise<T>): Promise<T> {
  const inner = createInProcessJobs(app);
  await inner.start();
  const toProvision: string[] = [];
  const jobs: JobQueue = {
    engine: inner.engine,
    enqueue: (type, payload) => {
      if (type === 'requests.provision') {
        toProvision.push((payload as { requestId: string }).requestId);
        return Promise.resolve({ jobId: 'inline', deduplicated: false });
      }
      return inner.enqueue(type, payload);
    },
    status: (id) => inner.status(id),
    start: () => inner.start(),
    stop: () => inner.stop(),
  };
  try {
    const result = await work(jobs);
    for (const id of toProvision) await provisionRequest(app, jobs, id);
    return result;
  } finally {
    await inner.stop();
  }
}

const COLUMNS: Column<AccessRequest>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'status', value: (r) => r.status },
  { header: 'item', value: (r) => plain(r.item.label) },
  { header: 'requester', value: (r) => r.requester.email },
  { header: 'expires', value: (r) => r.expiresAt },
  { header: 'created', value: (r) => r.createdAt },
];

function list(requests: readonly AccessRequest[], json: boolean): void {
  print(requests.length === 0 && !json ? 'No requests.' : render(requests, COLUMNS, json ? 'json' : 'table'));
}

function detail(r: AccessRequest, json: boolean): void {
  if (json) return print(JSON.stringify(r, null, 2));
  const lines = [
    `Request ${r.id}: ${r.status}`,
    `  ${plain(r.item.label)} for ${r.requester.email} (${r.requester.accountId})`,
    `  reason: ${plain(r.reason)}`,
    ...(r.expiresAt ? [`  expires: ${r.expiresAt}`] : []),
  ];
  for (const s of r.steps) {
    const who = s.approvers.map(
      (a) => `${a.email ?? a.accountId ?? '?'}${a.isSeatwardenUser ? '' : ' (not a user yet)'}`,
    );
    lines.push(`  step ${String(s.index + 1)} [${s.status}] ${s.routedBy}: ${who.join(', ') || 'nobody'}`);
    if (s.fallbackReason) lines.push(`    fallback: ${plain(s.fallbackReason)}`);
    if (s.decidedBy)
      lines.push(`    decided by ${s.decidedBy.email}${s.comment ? `: ${plain(s.comment)}` : ''}`);
  }
  if (r.provisioning?.error) lines.push(`  provisioning failed: ${plain(r.provisioning.error)}`);
  if (r.revoke?.error) lines.push(`  revoke failed: ${plain(r.revoke.error)}`);
  for (const n of r.notes) lines.push(`  note ${n.at}: ${plain(n.text)}`);
  print(lines.join('\n'));
}

function withAs(command: Command): Command {
  return command.requiredOption('--as <email>', 'the Seatwarden user acting').option('--json', 'print JSON');
}

export function registerRequestCommands(program: Command, globals: () => GlobalOptions): void {
  const requests = program.command('requests').description('access requests: ask, decide, follow');

  withAs(requests.command('list').description("the caller's requests (admins: everyone's)"))
    .option('--status <status>', REQUEST_STATUSES.join(', '))
    .option('--integration <integration>', 'label or id (admins)')
    .option('--mine', "only the caller's own requests")
    .action(async (opts: AsOptions & { status?: string; integration?: string; mine?: boolean }) => {
      if (opts.status !== undefined && !(REQUEST_STATUSES as readonly string[]).includes(opts.status))
        throw new CliUsageError(`--status must be one of ${REQUEST_STATUSES.join(', ')}`);
      await withApp(globals(), async (app) => {
        const caller = await callerFor(app, opts.as, 'requests:own');
        if (caller.user.role !== 'admin' || opts.mine) {
          const mine = await myRequests(app, caller);
          return list(opts.status ? mine.filter((r) => r.status === opts.status) : mine, opts.json ?? false);
        }
        const integrationId = opts.integration
          ? (await findIntegration(app, opts.integration)).id
          : undefined;
        const page = await allRequests(app, {
          ...(opts.status ? { status: opts.status as RequestStatus } : {}),
          ...(integrationId ? { integrationId } : {}),
          limit: 1000,
        });
        list(page.requests, opts.json ?? false);
      });
    });

  withAs(requests.command('show').argument('<id>')).action(async (id: string, opts: AsOptions) => {
    await withApp(globals(), async (app) => {
      const caller = await callerFor(app, opts.as, 'requests:own');
      detail(viewOf(await getVisibleRequest(app, caller, id)), opts.json ?? false);
    });
  });

  withAs(requests.command('catalog').description('what the caller may request')).action(
    async (opts: AsOptions) => {
      await withApp(globals(), async (app) => {
        const caller = await callerFor(app, opts.as, 'requests:own');
        const items = await requestableCatalog(app, caller.user.role);
        const columns: Column<CatalogItem>[] = [
          { header: 'id', value: (i) => i.id },
          { header: 'kind', value: (i) => i.kind },
          { header: 'label', value: (i) => plain(i.label) },
          { header: 'max days', value: (i) => i.maxDurationDays },
        ];
        print(render(items, columns, opts.json ? 'json' : 'table'));
      });
    },
  );

  withAs(requests.command('create').description('ask for one or more catalogue items'))
    .requiredOption('--item <ids>', 'comma-separated catalogue item ids')
    .requiredOption('--reason <text>', 'why you need it')
    .option('--expires <iso>', 'expiry date-time (ISO 8601)')
    .option('--days <n>', 'duration in days')
    .action(async (opts: AsOptions & { item: string; reason: string; expires?: string; days?: string }) => {
      const parsed = newRequestSchema.safeParse({
        items: opts.item
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((catalogItemId) => ({ catalogItemId })),
        reason: opts.reason,
        ...(opts.expires ? { expiresAt: opts.expires } : {}),
        ...(opts.days ? { durationDays: Number(opts.days) } : {}),
      });
      if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((i) => i.message).join('; '));
      await withApp(globals(), async (app) => {
        const caller = await callerFor(app, opts.as, 'requests:own');
        const created = await withJobs(app, (jobs) => createRequests(app, jobs, caller, parsed.data));
        if (opts.json) return print(JSON.stringify(created, null, 2));
        for (const r of created) detail(r, false);
      });
    });

  for (const decision of ['approve', 'deny'] as const) {
    withAs(requests.command(decision).argument('<id>').description(`${decision} the current step`))
      .option('--comment <text>', decision === 'deny' ? 'why (required)' : 'a comment for the requester')
      .action(async (id: string, opts: AsOptions & { comment?: string }) => {
        await withApp(globals(), async (app) => {
          const caller = await callerFor(app, opts.as, 'requests:decide');
          await withJobs(app, (jobs) => decideRequest(app, jobs, caller, id, decision, opts.comment ?? null));
          detail(viewOf(await getVisibleRequest(app, caller, id)), opts.json ?? false);
        });
      });
  }

  withAs(requests.command('inbox').description('requests waiting for the caller')).action(
    async (opts: AsOptions) => {
      await withApp(globals(), async (app) => {
        list(await inbox(app, await callerFor(app, opts.as, 'requests:decide')), opts.json ?? false);
      });
    },
  );

  const simple = [
    { name: 'cancel', help: 'withdraw your pending request', permission: 'requests:own', run: cancelRequest },
    {
      name: 'revoke',
      help: 'take provisioned access back now',
      permission: 'requests:own',
      run: revokeByCaller,
    },
    {
      name: 'retry',
      help: 'queue a failed provisioning again (admins)',
      permission: 'requests:admin',
      run: retryProvisioning,
    },
  ] as const;
  for (const command of simple) {
    withAs(requests.command(command.name).argument('<id>').description(command.help)).action(
      async (id: string, opts: AsOptions) => {
        await withApp(globals(), async (app) => {
          const caller = await callerFor(app, opts.as, command.permission);
          await withJobs(app, (jobs) => command.run(app, jobs, caller, id));
          detail(viewOf(await getVisibleRequest(app, caller, id)), opts.json ?? false);
        });
      },
    );
  }
}
