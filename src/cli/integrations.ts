// seatwarden integrations add|list|test|remove
import type { Command } from 'commander';
import type { ConnectionReport } from '../atlassian/index.ts';
import {
  addIntegration,
  findIntegration,
  integrations,
  removeIntegration,
  testIntegration,
} from '../integrations/service.ts';
import type { IntegrationSummary } from '../storage/integrations.ts';
import { print, withApp, type GlobalOptions } from './context.ts';
import { CliUsageError } from './errors.ts';
import { render, type Column } from './output.ts';
import { readSecret } from './secrets.ts';

interface AddOptions {
  label: string;
  siteUrl: string;
  email: string;
  orgId?: string;
  adminApiUrl?: string;
  gatewayUrl?: string;
  scopedToken?: boolean;
  orgKeyExpires?: string;
  json?: boolean;
}

const COLUMNS: Column<IntegrationSummary>[] = [
  { header: 'label', value: (i) => i.label },
  { header: 'site', value: (i) => i.siteUrl },
  { header: 'email', value: (i) => i.email },
  { header: 'org', value: (i) => i.orgId ?? '—' },
  { header: 'site credential', value: (i) => health(i.health.site) },
  {
    header: 'org credential',
    value: (i) => (i.hasOrgKey ? `${health(i.health.org)}${expiry(i.orgKeyExpiresAt)}` : '—'),
  },
  { header: 'id', value: (i) => i.id },
];

function health(h: IntegrationSummary['health']['site']): string {
  if (h.failingSince) return `FAILING since ${h.failingSince.slice(0, 16)}`;
  return h.lastOkAt ? `ok ${h.lastOkAt.slice(0, 16)}` : 'never checked';
}

const WARN_BEFORE_DAYS = 14;

/** Org keys expire (a week by default, a year at most): warn before, and say so after. */
function expiry(expiresAt: string | null, now = Date.now()): string {
  if (!expiresAt) return '';
  const days = Math.floor((Date.parse(expiresAt) - now) / 86_400_000);
  if (days < 0) return `, key EXPIRED ${expiresAt.slice(0, 10)}`;
  return days <= WARN_BEFORE_DAYS ? `, key expires in ${days} days` : '';
}

function printReport(report: ConnectionReport): void {
  for (const check of report.checks) print(`${check.ok ? '✓' : '✗'} ${check.message}`);
}

export function registerIntegrationCommands(program: Command, globals: () => GlobalOptions): void {
  const group = program.command('integrations').description('connect Atlassian sites and organizations');

  group
    .command('add')
    .description(
      'test and save an integration (secrets from SEATWARDEN_API_TOKEN / SEATWARDEN_ORG_API_KEY or a prompt)',
    )
    .requiredOption('--label <label>', 'a name for this integration')
    .requiredOption('--site-url <url>', 'the Jira site, e.g. https://acme.atlassian.net')
    .requiredOption('--email <email>', 'the admin account the API token belongs to')
    .option('--org-id <id>', 'the organization ID (admin.atlassian.com/o/<id>/…)')
    .option('--admin-api-url <url>', 'Organizations API base', 'https://api.atlassian.com')
    .option('--gateway-url <url>', 'API gateway for scoped tokens', 'https://api.atlassian.com')
    .option('--scoped-token', 'the API token is scoped: call Jira through the gateway')
    .option('--org-key-expires <date>', 'when the organization API key expires (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action(async (opts: AddOptions) => {
      const apiToken = await readSecret('SEATWARDEN_API_TOKEN', 'Atlassian API token: ', true);
      const orgApiKey = opts.orgId
        ? await readSecret('SEATWARDEN_ORG_API_KEY', 'Organization API key: ', true)
        : undefined;
      if (!opts.orgId && process.env.SEATWARDEN_ORG_API_KEY) {
        throw new CliUsageError(
          'SEATWARDEN_ORG_API_KEY is set but --org-id is missing: give the organization ID too',
        );
      }
      await withApp(globals(), async (app) => {
        const saved = await addIntegration(app, {
          label: opts.label,
          siteUrl: opts.siteUrl,
          email: opts.email,
          apiToken: apiToken ?? '',
          useGateway: opts.scopedToken === true,
          ...(opts.scopedToken ? { gatewayUrl: opts.gatewayUrl } : {}),
          ...(opts.orgId ? { orgId: opts.orgId, orgApiKey, adminApiUrl: opts.adminApiUrl } : {}),
          ...(opts.orgKeyExpires ? { orgKeyExpiresAt: opts.orgKeyExpires } : {}),
        });
        print(
          opts.json ? JSON.stringify(saved, null, 2) : `Connected and saved "${saved.label}" (${saved.id}).`,
        );
      });
    });

  group
    .command('list')
    .description('list integrations and the health of their credentials')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withApp(globals(), async (app) => {
        print(render(await integrations(app), COLUMNS, opts.json ? 'json' : 'table'));
      });
    });

  group
    .command('test <integration>')
    .description('run the connection test again (label or id)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      await withApp(globals(), async (app) => {
        const report = await testIntegration(app, await findIntegration(app, ref));
        if (opts.json) print(JSON.stringify(report, null, 2));
        else printReport(report);
        if (!report.ok) process.exitCode = 3;
      });
    });

  group
    .command('remove <integration>')
    .description('delete an integration and all its synced data')
    .action(async (ref: string) => {
      await withApp(globals(), async (app) => {
        const integration = await findIntegration(app, ref);
        await removeIntegration(app, integration);
        print(`Removed "${integration.label}" and its inventory.`);
      });
    });
}
