// "Test connection": real calls, answered in the user's words, as vendors' setup guides do.
import { adminOrgs } from './admin.ts';
import {
  createAtlassianClient,
  DEFAULT_ADMIN_API_URL,
  DEFAULT_GATEWAY_URL,
  type AtlassianClient,
  type ConnectorConfig,
} from './client.ts';
import { discoverCloudId } from './fetch-utils.ts';
import { AtlassianError, type ErrorKind } from './errors.ts';
import { jiraMyself } from './jira.ts';

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  message: string;
  kind?: ErrorKind;
}

export interface ConnectionReport {
  ok: boolean;
  cloudId?: string;
  checks: ConnectionCheck[];
}

const TOKEN_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';
const ORG_KEY_PAGE = 'admin.atlassian.com › Settings › API keys';

type Side = 'site' | 'admin';

export async function testConnection(config: ConnectorConfig): Promise<ConnectionReport> {
  // A test should answer in seconds, not retry for two minutes.
  const client = createAtlassianClient({
    retry: { maxAttempts: 2, deadlineMs: 15_000 },
    timeoutMs: 15_000,
    ...config,
  });
  const checks: ConnectionCheck[] = [];
  const report: ConnectionReport = { ok: false, checks };
  const run = async (name: string, side: Side, check: () => Promise<string>): Promise<boolean> => {
    try {
      checks.push({ name, ok: true, message: await check() });
      return true;
    } catch (error) {
      checks.push({ name, ok: false, message: explain(side, error, config), ...kindOf(error) });
      return false;
    }
  };

  if (config.useGateway) {
    await run('cloudId', 'site', async () => {
      report.cloudId = config.cloudId ?? (await discoverCloudId(config.siteUrl));
      return `Found cloud ID ${report.cloudId} for ${config.siteUrl}.`;
    });
  }
  const siteOk = await run('jira.myself', 'site', async () => {
    const me = await jiraMyself(client);
    return `Connected to Jira at ${config.siteUrl} as ${me.displayName ?? me.accountId}.`;
  });
  if (siteOk) {
    await run('jira.browseUsers', 'site', async () => {
      await client.request('jira.groups.bulk', { query: { maxResults: 1 } });
      return 'The account can browse users and groups.';
    });
    await run('jira.administer', 'site', async () => {
      await client.request('jira.applicationRoles');
      return 'The account can administer Jira (product licences are readable).';
    });
  }
  if (config.orgApiKey) {
    await checkOrganization(client, config, run);
  } else {
    checks.push({
      name: 'admin',
      ok: true,
      message: 'No organization API key given: organization data (last active, billing) will not be synced.',
    });
  }
  report.ok = checks.every((check) => check.ok);
  return report;
}

async function checkOrganization(
  client: AtlassianClient,
  config: ConnectorConfig,
  run: (name: string, side: Side, check: () => Promise<string>) => Promise<boolean>,
): Promise<void> {
  const found = { orgListed: false };
  const keyOk = await run('admin.orgs', 'admin', async () => {
    const orgs = await adminOrgs(client);
    const ids = orgs.map((org) => org.id);
    if (!config.orgId)
      return `The organization API key works; it manages: ${ids.join(', ') || 'no organizations'}.`;
    if (!ids.includes(config.orgId)) {
      throw new AtlassianError(`organization ${config.orgId} not among the key's organizations`, {
        kind: 'not_found',
        endpoint: 'admin.orgs',
        retryable: false,
      });
    }
    found.orgListed = true;
    return `The organization API key works for organization ${config.orgId}.`;
  });
  if (!keyOk || !config.orgId || !found.orgListed) return;
  const orgId = config.orgId;
  await run('admin.directories', 'admin', async () => {
    await client.request('admin.directories', { pathParams: { orgId }, query: { limit: 1 } });
    return 'The key can read the organization’s directories.';
  });
}

function explain(side: Side, error: unknown, config: ConnectorConfig): string {
  if (!(error instanceof AtlassianError)) return error instanceof Error ? error.message : String(error);
  const said = error.atlassianMessage ? ` (Atlassian said: ${error.atlassianMessage})` : '';
  if (error.kind === 'network') {
    return `Could not reach ${hostOf(error.endpoint, config)}: ${error.code ?? 'network error'}. Check the URL, DNS, proxy and TLS settings.`;
  }
  if (side === 'site') {
    switch (error.kind) {
      case 'auth':
        return (
          `Jira rejected the email or API token for ${config.siteUrl}: check the email and token, the token may have ` +
          `expired or been revoked, the site URL may be wrong, or an organization API key was given where a personal ` +
          `API token belongs. Create a token at ${TOKEN_PAGE}.` +
          (config.useGateway
            ? ''
            : ' If this is a scoped API token, turn on the API gateway (api.atlassian.com/ex/jira/{cloudId}): scoped tokens are rejected by the site URL.') +
          said
        );
      case 'permission':
        return `The account can sign in to ${config.siteUrl} but is not a site admin: it needs the Browse users and groups and Administer Jira global permissions.${said}`;
      case 'not_found':
        return `Jira was not found at ${config.siteUrl}: check the site URL (https://<your-site>.atlassian.net).${said}`;
      default:
        return error.message;
    }
  }
  switch (error.kind) {
    case 'auth':
      return (
        `The organization API key was rejected: it may be wrong, expired or revoked, or a personal API token was ` +
        `given as an organization key. Create a key at ${ORG_KEY_PAGE}.${said}`
      );
    case 'permission':
      return (
        `The organization API key is not allowed to do this: its creator may not be an organization admin, the ` +
        `organization API may not be enabled, or the key has scopes (create one without scopes).${said}`
      );
    case 'not_found':
      return `Organization ${config.orgId ?? ''} was not found for this key: check the organization ID (it is in the admin.atlassian.com URL, /o/<orgId>/).${said}`;
    default:
      return error.message;
  }
}

function hostOf(endpoint: string, config: ConnectorConfig): string {
  const isAdmin = endpoint.startsWith('admin.') || endpoint.startsWith('um.');
  const jiraUrl =
    config.useGateway && endpoint !== 'site.tenantInfo'
      ? (config.gatewayUrl ?? DEFAULT_GATEWAY_URL)
      : config.siteUrl;
  const url = isAdmin ? (config.adminApiUrl ?? DEFAULT_ADMIN_API_URL) : jiraUrl;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function kindOf(error: unknown): { kind?: ErrorKind } {
  return error instanceof AtlassianError ? { kind: error.kind } : {};
}
