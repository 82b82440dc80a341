// Integrations as the admin sees them: add (tested before anything is saved), list, test, remove,
// and the connector configuration a sync or an action uses.
import {
  DEFAULT_ADMIN_API_URL,
  testConnection,
  type ConnectionReport,
  type ConnectorConfig,
} from '../atlassian/index.ts';
import type { App } from '../app.ts';
import {
  deleteIntegration,
  getIntegration,
  getIntegrationSecrets,
  insertIntegration,
  listIntegrations,
  recordCredentialFailure,
  recordCredentialOk,
  type IntegrationSummary,
} from '../storage/integrations.ts';
import { parseIntegrationInput, type IntegrationInputValues } from './input.ts';

export class ConnectionFailedError extends Error {
  readonly code = 'connection_failed';
  constructor(readonly report: ConnectionReport) {
    super(
      report.checks
        .filter((c) => !c.ok)
        .map((c) => c.message)
        .join('\n') || 'The connection test failed',
    );
  }
}

export class UnknownIntegrationError extends Error {
  readonly code = 'integration_not_found';
  constructor(ref: string) {
    super(`No integration "${ref}". See: seatwarden integrations list`);
  }
}

type ConnectionFields = Pick<
  ConnectorConfig,
  | 'siteUrl'
  | 'email'
  | 'apiToken'
  | 'useGateway'
  | 'gatewayUrl'
  | 'cloudId'
  | 'orgId'
  | 'orgApiKey'
  | 'adminApiUrl'
>;

function budgetsFor(app: App): ConnectorConfig['budgets'] {
  const { jira, admin } = app.config.budgets;
  return { ...(jira ? { site: jira } : {}), ...(admin ? { org: admin } : {}) };
}

export async function addIntegration(app: App, raw: IntegrationInputValues): Promise<IntegrationSummary> {
  const input = parseIntegrationInput(raw);
  const fields: ConnectionFields = { ...input, adminApiUrl: input.adminApiUrl ?? DEFAULT_ADMIN_API_URL };
  const report = await testConnection({ ...fields, budgets: budgetsFor(app) });
  if (!report.ok) {
    app.logger.warn(
      { label: input.label, siteUrl: input.siteUrl, checks: report.checks },
      'connection test failed; nothing saved',
    );
    throw new ConnectionFailedError(report);
  }
  const now = new Date().toISOString();
  const saved = await insertIntegration(
    app.db,
    app.secrets,
    { ...input, cloudId: report.cloudId ?? null },
    now,
  );
  await recordCredentialOk(app.db, saved.id, 'site', now);
  if (saved.hasOrgKey) await recordCredentialOk(app.db, saved.id, 'org', now);
  app.logger.info(
    { integrationId: saved.id, label: saved.label, siteUrl: saved.siteUrl, orgId: saved.orgId },
    'integration added',
  );
  return (await getIntegration(app.db, saved.id)) ?? saved;
}

export async function findIntegration(app: App, ref: string): Promise<IntegrationSummary> {
  const found = await getIntegration(app.db, ref);
  if (!found) throw new UnknownIntegrationError(ref);
  return found;
}

export function integrations(app: App): Promise<IntegrationSummary[]> {
  return listIntegrations(app.db);
}

export async function connectorConfigFor(
  app: App,
  integration: IntegrationSummary,
): Promise<ConnectorConfig> {
  const secrets = await getIntegrationSecrets(app.db, app.secrets, integration.id);
  return {
    siteUrl: integration.siteUrl,
    email: integration.email,
    apiToken: secrets.apiToken,
    useGateway: integration.useGateway,
    ...(integration.gatewayUrl ? { gatewayUrl: integration.gatewayUrl } : {}),
    ...(integration.cloudId ? { cloudId: integration.cloudId } : {}),
    ...(integration.orgId ? { orgId: integration.orgId } : {}),
    ...(secrets.orgApiKey ? { orgApiKey: secrets.orgApiKey } : {}),
    adminApiUrl: integration.adminApiUrl ?? DEFAULT_ADMIN_API_URL,
    budgets: budgetsFor(app),
  };
}

/** Runs the connection test and records, per credential, when it last worked or since when it fails. */
export async function testIntegration(app: App, integration: IntegrationSummary): Promise<ConnectionReport> {
  const report = await testConnection(await connectorConfigFor(app, integration));
  const now = new Date().toISOString();
  const sides = {
    site: (name: string) => name.startsWith('jira.') || name === 'cloudId',
    org: (name: string) => name.startsWith('admin.'),
  };
  for (const which of ['site', 'org'] as const) {
    const checks = report.checks.filter((c) => sides[which](c.name));
    if (checks.length === 0) continue;
    const failed = checks.find((c) => !c.ok);
    if (failed) await recordCredentialFailure(app.db, integration.id, which, failed.message, now);
    else await recordCredentialOk(app.db, integration.id, which, now);
  }
  return report;
}

export async function removeIntegration(app: App, integration: IntegrationSummary): Promise<void> {
  await deleteIntegration(app.db, integration.id);
}
