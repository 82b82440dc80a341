// seatwarden accounts list|show
import { Option, type Command } from 'commander';
import type { App } from '../app.ts';
import { ACCOUNT_STATUSES } from '../domain/inventory.ts';
import { findIntegration, integrations } from '../integrations/service.ts';
import {
  getAccountDetail,
  listAccounts,
  MAX_PAGE_SIZE,
  type AccountFilter,
  type AccountListItem,
  type AccountSortKey,
} from '../storage/inventory-reads.ts';
import { findGroupIds, findProjectRole } from '../storage/lookups.ts';
import type { AccountStatus } from '../storage/schema.ts';
import { print, withApp, type GlobalOptions } from './context.ts';
import { CliUsageError } from './errors.ts';
import { plain, render, type Column, type Format } from './output.ts';

interface ListOptions {
  integration?: string;
  status?: string;
  type?: string;
  product?: string;
  group?: string;
  role?: string;
  inactiveDays?: string;
  neverActive?: boolean;
  billable?: boolean;
  search?: string;
  includeRemoved?: boolean;
  sort: AccountSortKey;
  desc?: boolean;
  limit?: string;
  format: Format;
}

/** The JSON contract of `accounts list --format json`. */
function toJson(item: AccountListItem) {
  return {
    accountId: item.accountId,
    accountType: item.accountType,
    status: item.membershipStatus === 'suspended' ? 'suspended' : item.status,
    email: item.email,
    displayName: item.displayName,
    groups: item.groups.map((g) => g.name ?? g.groupId),
    projectRoles: item.projectRoles.map((r) => `${r.projectKey ?? r.projectId}:${r.roleName ?? r.roleId}`),
    products: item.products.map((p) => ({ key: p.productKey, lastActive: p.lastActive })),
    lastActive: item.lastActive,
    billable: item.billable,
    managed: item.managed,
    removedAt: item.removedAt,
  };
}

const COLUMNS: Column<ReturnType<typeof toJson>>[] = [
  { header: 'accountId', value: (a) => a.accountId },
  { header: 'name', value: (a) => plain(a.displayName) },
  { header: 'email', value: (a) => plain(a.email) },
  { header: 'type', value: (a) => a.accountType },
  { header: 'status', value: (a) => a.status },
  { header: 'billable', value: (a) => (a.billable ? 'yes' : '') },
  { header: 'last active', value: (a) => a.lastActive?.slice(0, 10) ?? 'never' },
  { header: 'groups', value: (a) => plain(a.groups.join(', ')) },
  { header: 'project roles', value: (a) => plain(a.projectRoles.join(', ')) },
  { header: 'products', value: (a) => a.products.map((p) => p.key).join(', ') },
];

const positiveInt = (text: string, what: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliUsageError(`${what} must be a positive whole number, got "${text}"`);
  return n;
};

async function buildFilter(app: App, opts: ListOptions): Promise<AccountFilter> {
  const integrationId = opts.integration ? (await findIntegration(app, opts.integration)).id : undefined;
  const filter: AccountFilter = { now: new Date().toISOString() };
  if (integrationId) filter.integrationId = integrationId;
  if (opts.status) {
    const statuses = opts.status.split(',');
    const bad = statuses.find((s) => !(ACCOUNT_STATUSES as readonly string[]).includes(s));
    if (bad) throw new CliUsageError(`Unknown status "${bad}": use ${ACCOUNT_STATUSES.join(', ')}`);
    filter.status = statuses as AccountStatus[];
  }
  if (opts.type) filter.accountType = opts.type.split(',');
  if (opts.product) filter.productKey = opts.product;
  if (opts.group) {
    const ids = await findGroupIds(app.db, opts.group, integrationId);
    if (ids.length === 0) throw new CliUsageError(`No group named "${opts.group}"`);
    filter.groupId = ids[0];
  }
  if (opts.role) {
    const [project, role] = opts.role.split(':');
    const found = project ? await findProjectRole(app.db, project, role, integrationId) : undefined;
    if (!found) throw new CliUsageError(`No project role "${opts.role}" (use PROJECTKEY:Role name)`);
    filter.projectRole = found;
  }
  if (opts.inactiveDays) filter.inactiveDays = positiveInt(opts.inactiveDays, '--inactive-days');
  if (opts.neverActive) filter.neverActive = true;
  if (opts.billable !== undefined) filter.billable = opts.billable;
  if (opts.search) filter.search = opts.search;
  if (opts.includeRemoved) filter.includeRemoved = true;
  return filter;
}

export function registerAccountCommands(program: Command, globals: () => GlobalOptions): void {
  const group = program.command('accounts').description('the account inventory');

  group
    .command('list')
    .description('list accounts with filters')
    .option('--integration <integration>', 'label or id')
    .option('--status <statuses>', `comma-separated: ${ACCOUNT_STATUSES.join(', ')}`)
    .option('--type <types>', 'comma-separated: atlassian, app, customer')
    .option('--product <key>', 'has access to this product, e.g. jira-software')
    .option('--group <name>', 'member of this group (name or id)')
    .option('--role <project:role>', 'holds this project role, e.g. OPS:Administrators')
    .option('--inactive-days <n>', 'last active more than N days ago')
    .option('--never-active', 'never active')
    .option('--billable', 'billable accounts only')
    .option('--no-billable', 'non-billable accounts only')
    .option('--search <text>', 'name, email or accountId')
    .option('--include-removed', 'include accounts removed from Atlassian')
    .addOption(
      new Option('--sort <field>', 'sort field')
        .choices(['displayName', 'email', 'lastActive', 'status', 'accountType', 'accountId', 'firstSeenAt'])
        .default('displayName'),
    )
    .option('--desc', 'sort descending')
    .option('--limit <n>', 'at most N accounts (default: all)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'),
    )
    .action(async (opts: ListOptions) => {
      await withApp(globals(), async (app) => {
        const filter = await buildFilter(app, opts);
        const wanted = opts.limit ? positiveInt(opts.limit, '--limit') : Number.POSITIVE_INFINITY;
        const rows: ReturnType<typeof toJson>[] = [];
        for (let offset = 0; rows.length < wanted; offset += MAX_PAGE_SIZE) {
          const limit = Math.min(MAX_PAGE_SIZE, wanted - rows.length);
          const page = await listAccounts(
            app.db,
            filter,
            { by: opts.sort, direction: opts.desc ? 'desc' : 'asc' },
            { limit, offset },
            { groupRoles: true },
          );
          rows.push(...page.items.map(toJson));
          if (page.items.length < limit) break;
        }
        print(render(rows, COLUMNS, opts.format));
      });
    });

  group
    .command('show <accountId>')
    .description('one account: groups, project roles, products, last active and history')
    .option('--integration <integration>', 'label or id (default: the only one)')
    .option('--json', 'print JSON')
    .action(async (accountId: string, opts: { integration?: string; json?: boolean }) => {
      await withApp(globals(), async (app) => {
        const integrationId = opts.integration
          ? (await findIntegration(app, opts.integration)).id
          : await soleIntegration(app);
        const detail = await getAccountDetail(app.db, integrationId, accountId);
        if (!detail) throw new CliUsageError(`No account ${accountId} in this integration`);
        if (opts.json) {
          print(JSON.stringify(detail, null, 2));
          return;
        }
        const a = detail.account;
        print(
          [
            `${plain(a.displayName)} <${plain(a.email) || 'email hidden'}>  ${a.accountId}`,
            `  type ${a.accountType ?? '?'}, status ${a.status ?? '?'}${a.membershipStatus === 'suspended' ? ' (suspended)' : ''}, ` +
              `${a.managed ? 'managed' : 'not managed'}, ${a.billable ? 'billable' : 'not billable'}, last active ${a.lastActive ?? 'never'}`,
            `  groups: ${detail.groups.map((g) => plain(g.name ?? g.groupId)).join(', ') || '—'}`,
            `  project roles: ${
              detail.projectRoles
                .map(
                  (r) =>
                    `${r.projectKey ?? r.projectId}:${r.roleName ?? r.roleId}${r.via === 'group' ? ` (via ${plain(r.groupName ?? r.groupId)})` : ''}`,
                )
                .join(', ') || '—'
            }`,
            `  products: ${detail.products.map((p) => `${p.productKey} (last active ${p.lastActive?.slice(0, 10) ?? 'never'})`).join(', ') || '—'}`,
            `  lead of: ${detail.leadOf.map((p) => p.projectKey ?? p.projectId).join(', ') || '—'}`,
            '  history:',
            ...detail.history.map(
              (h) =>
                `    ${h.changedAt.slice(0, 19)} ${h.change}${h.field ? ` ${h.field}` : ''}${h.oldValue !== null || h.newValue !== null ? `: ${plain(h.oldValue) || '∅'} → ${plain(h.newValue) || '∅'}` : ''}`,
            ),
          ].join('\n'),
        );
      });
    });
}

export async function soleIntegration(app: App): Promise<string> {
  const [only, ...others] = await integrations(app);
  if (!only || others.length > 0)
    throw new CliUsageError('Several integrations (or none): pass --integration');
  return only.id;
}
