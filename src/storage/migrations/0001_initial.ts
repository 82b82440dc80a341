// The initial schema. Append-only: never edit a released migration; add 0002_… instead.
// Written with Kysely's schema builder so one file serves SQLite and PostgreSQL.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { CreateTableBuilder } from 'kysely';

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Every inventory table belongs to one integration. */
function ownedByIntegration<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C | 'integration_id' | 'first_seen_at' | 'removed_at'> {
  return table
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text');
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull().unique())
    .addColumn('site_url', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('api_token_enc', 'text', (c) => c.notNull())
    .addColumn('use_gateway', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('gateway_url', 'text')
    .addColumn('cloud_id', 'text')
    .addColumn('org_id', 'text')
    .addColumn('org_api_key_enc', 'text')
    .addColumn('admin_api_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('site_last_ok_at', 'text')
    .addColumn('site_last_error', 'text')
    .addColumn('site_failing_since', 'text')
    .addColumn('org_last_ok_at', 'text')
    .addColumn('org_last_error', 'text')
    .addColumn('org_failing_since', 'text')
    .addColumn('org_key_expires_at', 'text')
    .execute();

  await ownedByIntegration(db.schema.createTable('accounts'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('account_type', 'text')
    .addColumn('app_type', 'text')
    .addColumn('status', 'text')
    .addColumn('membership_status', 'text')
    .addColumn('jira_active', 'integer')
    .addColumn('managed', 'integer')
    .addColumn('billable', 'integer')
    .addColumn('email', 'text')
    .addColumn('display_name', 'text')
    .addColumn('last_active', 'text')
    .addColumn('in_directory', 'integer')
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('accounts_pk', ['integration_id', 'account_id'])
    .execute();
  for (const column of ['status', 'account_type', 'last_active', 'billable', 'display_name']) {
    await db.schema
      .createIndex(`accounts_${column}_idx`)
      .on('accounts')
      .columns(['integration_id', column])
      .execute();
  }
  // Global (all-integration) listings sort by name.
  await db.schema
    .createIndex('accounts_display_name_all_idx')
    .on('accounts')
    .column('display_name')
    .execute();

  await ownedByIntegration(db.schema.createTable('groups'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('idp_managed', 'integer')
    .addPrimaryKeyConstraint('groups_pk', ['integration_id', 'group_id'])
    .execute();

  await ownedByIntegration(db.schema.createTable('group_memberships'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_memberships_pk', ['integration_id', 'group_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('group_memberships_account_idx')
    .on('group_memberships')
    .columns(['integration_id', 'account_id'])
    .execute();

  await ownedByIntegration(db.schema.createTable('projects'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('project_key', 'text')
    .addColumn('name', 'text')
    .addColumn('project_type', 'text')
    .addColumn('lead_account_id', 'text')
    .addColumn('archived', 'integer')
    .addPrimaryKeyConstraint('projects_pk', ['integration_id', 'project_id'])
    .execute();
  await db.schema
    .createIndex('projects_lead_idx')
    .on('projects')
    .columns(['integration_id', 'lead_account_id'])
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addPrimaryKeyConstraint('roles_pk', ['integration_id', 'role_id'])
    .execute();

  await ownedByIntegration(db.schema.createTable('role_actors'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_actors_pk', [
      'integration_id',
      'project_id',
      'role_id',
      'actor_type',
      'actor_id',
    ])
    .execute();
  await db.schema
    .createIndex('role_actors_actor_idx')
    .on('role_actors')
    .columns(['integration_id', 'actor_type', 'actor_id'])
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('product_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('plan', 'text')
    .addColumn('seats_total', 'integer')
    .addColumn('seats_used', 'integer')
    .addColumn('ari', 'text')
    .addColumn('url', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('products_pk', ['integration_id', 'product_key'])
    .execute();

  await ownedByIntegration(db.schema.createTable('product_access'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('product_key', 'text', (c) => c.notNull())
    .addColumn('last_active', 'text')
    .addPrimaryKeyConstraint('product_access_pk', ['integration_id', 'account_id', 'product_key'])
    .execute();
  await db.schema
    .createIndex('product_access_product_idx')
    .on('product_access')
    .columns(['integration_id', 'product_key'])
    .execute();

  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('checkpoint', 'text')
    .addColumn('counts', 'text')
    .addColumn('api_calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_limit_waits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text')
    .addColumn('resumed_from', 'text')
    .execute();
  await db.schema
    .createIndex('sync_runs_integration_idx')
    .on('sync_runs')
    .columns(['integration_id', 'started_at'])
    .execute();
  // One running sync per integration, enforced by the database on every node.
  await db.schema
    .createIndex('sync_runs_one_running_idx')
    .on('sync_runs')
    .column('integration_id')
    .unique()
    .where(sql.ref('status'), '=', 'running')
    .execute();

  await db.schema
    .createTable('sync_seen')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_seen_pk', ['run_id', 'entity', 'key'])
    .execute();

  await db.schema
    .createTable('account_history')
    .addColumn('id', isPostgres(db) ? 'serial' : 'integer', (c) =>
      isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .execute();
  await db.schema
    .createIndex('account_history_account_idx')
    .on('account_history')
    .columns(['integration_id', 'account_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'account_history',
    'sync_seen',
    'sync_runs',
    'product_access',
    'products',
    'role_actors',
    'roles',
    'projects',
    'group_memberships',
    'groups',
    'accounts',
    'integrations',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
