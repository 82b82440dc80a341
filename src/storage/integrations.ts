// Integrations repository. Secrets are sealed with a SecretBox before they are stored and are
// never part of what list/get return; only getIntegrationSecrets opens them, for the connector.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fromFlag, inTransaction, isUniqueViolation, toFlag } from './helpers.ts';
import type { Database, IntegrationRow } from './schema.ts';
import type { SecretBox } from './secret-box.ts';

export type CredentialKind = 'site' | 'org';

export interface IntegrationInput {
  label: string;
  siteUrl: string;
  email: string;
  apiToken: string;
  useGateway?: boolean;
  gatewayUrl?: string | null;
  cloudId?: string | null;
  orgId?: string | null;
  orgApiKey?: string | null;
  adminApiUrl?: string | null;
  orgKeyExpiresAt?: string | null;
}

export type IntegrationPatch = Partial<IntegrationInput>;

export interface CredentialHealth {
  lastOkAt: string | null;
  lastError: string | null;
  failingSince: string | null;
}

/** What may be shown anywhere: no secrets, only whether they are set. */
export interface IntegrationSummary {
  id: string;
  label: string;
  siteUrl: string;
  email: string;
  useGateway: boolean;
  gatewayUrl: string | null;
  cloudId: string | null;
  orgId: string | null;
  adminApiUrl: string | null;
  hasApiToken: boolean;
  hasOrgKey: boolean;
  orgKeyExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  health: { site: CredentialHealth; org: CredentialHealth };
}

/** Opened credentials, for the connector only. Never log or return these. */
export interface IntegrationSecrets {
  apiToken: string;
  orgApiKey: string | null;
}

export class IntegrationLabelTakenError extends Error {
  readonly code = 'integration_label_taken';
  constructor(label: string) {
    super(`An integration labelled "${label}" already exists`);
  }
}

export class IntegrationNotFoundError extends Error {
  readonly code = 'integration_not_found';
  constructor(idOrLabel: string) {
    super(`No integration with id or label "${idOrLabel}"`);
  }
}

function toSummary(row: IntegrationRow): IntegrationSummary {
  return {
    id: row.id,
    label: row.label,
    siteUrl: row.site_url,
    email: row.email,
    useGateway: fromFlag(row.use_gateway) === true,
    gatewayUrl: row.gateway_url,
    cloudId: row.cloud_id,
    orgId: row.org_id,
    adminApiUrl: row.admin_api_url,
    hasApiToken: row.api_token_enc !== '',
    hasOrgKey: row.org_api_key_enc !== null,
    orgKeyExpiresAt: row.org_key_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    health: {
      site: {
        lastOkAt: row.site_last_ok_at,
        lastError: row.site_last_error,
        failingSince: row.site_failing_since,
      },
      org: {
        lastOkAt: row.org_last_ok_at,
        lastError: row.org_last_error,
        failingSince: row.org_failing_since,
      },
    },
  };
}

export async function insertIntegration(
  db: Kysely<Database>,
  box: SecretBox,
  input: IntegrationInput,
  now: string,
): Promise<IntegrationSummary> {
  const row: IntegrationRow = {
    id: randomUUID(),
    label: input.label,
    site_url: input.siteUrl,
    email: input.email,
    api_token_enc: box.seal(input.apiToken),
    use_gateway: toFlag(input.useGateway ?? false),
    gateway_url: input.gatewayUrl ?? null,
    cloud_id: input.cloudId ?? null,
    org_id: input.orgId ?? null,
    org_api_key_enc: input.orgApiKey ? box.seal(input.orgApiKey) : null,
    admin_api_url: input.adminApiUrl ?? null,
    created_at: now,
    updated_at: now,
    site_last_ok_at: null,
    site_last_error: null,
    site_failing_since: null,
    org_last_ok_at: null,
    org_last_error: null,
    org_failing_since: null,
    org_key_expires_at: input.orgKeyExpiresAt ?? null,
  };
  try {
    await db.insertInto('integrations').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new IntegrationLabelTakenError(input.label);
    throw error;
  }
  return toSummary(row);
}

export async function updateIntegration(
  db: Kysely<Database>,
  box: SecretBox,
  id: string,
  patch: IntegrationPatch,
  now: string,
): Promise<IntegrationSummary> {
  const set = {
    label: patch.label,
    site_url: patch.siteUrl,
    email: patch.email,
    api_token_enc: patch.apiToken === undefined ? undefined : box.seal(patch.apiToken),
    use_gateway: patch.useGateway === undefined ? undefined : toFlag(patch.useGateway),
    gateway_url: patch.gatewayUrl,
    cloud_id: patch.cloudId,
    org_id: patch.orgId,
    org_api_key_enc:
      patch.orgApiKey === undefined ? undefined : patch.orgApiKey === null ? null : box.seal(patch.orgApiKey),
    admin_api_url: patch.adminApiUrl,
    org_key_expires_at: patch.orgKeyExpiresAt,
    updated_at: now,
  };
  try {
    const result = await db.updateTable('integrations').set(set).where('id', '=', id).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new IntegrationNotFoundError(id);
  } catch (error) {
    if (isUniqueViolation(error)) throw new IntegrationLabelTakenError(patch.label ?? '');
    throw error;
  }
  const updated = await getIntegration(db, id);
  if (!updated) throw new IntegrationNotFoundError(id);
  return updated;
}

export async function listIntegrations(db: Kysely<Database>): Promise<IntegrationSummary[]> {
  const rows = await db.selectFrom('integrations').selectAll().orderBy('label').execute();
  return rows.map(toSummary);
}

/** Finds an integration by id or by label. */
export async function getIntegration(
  db: Kysely<Database>,
  idOrLabel: string,
): Promise<IntegrationSummary | undefined> {
  const row = await db
    .selectFrom('integrations')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrLabel), eb('label', '=', idOrLabel)]))
    .orderBy('id')
    .executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

export async function getIntegrationSecrets(
  db: Kysely<Database>,
  box: SecretBox,
  id: string,
): Promise<IntegrationSecrets> {
  const row = await db
    .selectFrom('integrations')
    .select(['api_token_enc', 'org_api_key_enc'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new IntegrationNotFoundError(id);
  return {
    apiToken: box.open(row.api_token_enc),
    orgApiKey: row.org_api_key_enc === null ? null : box.open(row.org_api_key_enc),
  };
}

/** Tables holding an integration's data, children before the integration itself. */
const OWNED_TABLES = [
  'account_history',
  'product_access',
  'products',
  'role_actors',
  'roles',
  'projects',
  'group_memberships',
  'groups',
  'accounts',
] as const;

/** Deletes the integration and all its inventory, runs and history in one transaction. */
export async function deleteIntegration(db: Kysely<Database>, id: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    for (const table of OWNED_TABLES) {
      await trx.deleteFrom(table).where('integration_id', '=', id).execute();
    }
    await trx
      .deleteFrom('sync_seen')
      .where('run_id', 'in', trx.selectFrom('sync_runs').select('id').where('integration_id', '=', id))
      .execute();
    await trx.deleteFrom('sync_runs').where('integration_id', '=', id).execute();
    const result = await trx.deleteFrom('integrations').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}

export async function recordCredentialOk(
  db: Kysely<Database>,
  id: string,
  which: CredentialKind,
  at: string,
): Promise<void> {
  const set =
    which === 'site'
      ? { site_last_ok_at: at, site_last_error: null, site_failing_since: null }
      : { org_last_ok_at: at, org_last_error: null, org_failing_since: null };
  await db.updateTable('integrations').set(set).where('id', '=', id).execute();
}

/** Records a failure; failing_since keeps the time of the first failure in a row. */
export async function recordCredentialFailure(
  db: Kysely<Database>,
  id: string,
  which: CredentialKind,
  message: string,
  at: string,
): Promise<void> {
  const set =
    which === 'site'
      ? {
          site_last_error: message,
          site_failing_since: (eb: ExprBuilder) => eb.fn.coalesce('site_failing_since', eb.val(at)),
        }
      : {
          org_last_error: message,
          org_failing_since: (eb: ExprBuilder) => eb.fn.coalesce('org_failing_since', eb.val(at)),
        };
  await db.updateTable('integrations').set(set).where('id', '=', id).execute();
}

type ExprBuilder = import('kysely').ExpressionBuilder<Database, 'integrations'>;
