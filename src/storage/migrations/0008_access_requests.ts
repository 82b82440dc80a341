// Access requests and approvals: the requestable catalogue, per-integration approval settings,
// the requests themselves (steps and notes as JSON, a version for conditional updates) and the
// approvers of each request's current step (an index for the inbox).
// No foreign keys to integrations or users: the record of who asked and who decided outlives both.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('requester_roles', 'text', (c) => c.notNull())
    .addColumn('owner_user_ids', 'text', (c) => c.notNull())
    .addColumn('steps', 'text')
    .addColumn('max_duration_days', 'integer')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('catalog_items_by_integration')
    .on('catalog_items')
    .columns(['integration_id', 'kind'])
    .execute();

  await db.schema
    .createTable('approval_settings')
    .addColumn('integration_id', 'text', (c) => c.primaryKey())
    .addColumn('owner_user_ids', 'text', (c) => c.notNull())
    .addColumn('routes', 'text', (c) => c.notNull())
    .addColumn('reminder_after_hours', 'integer', (c) => c.notNull())
    .addColumn('expiry_notice_hours', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('access_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('catalog_item_id', 'text', (c) => c.notNull())
    .addColumn('item_kind', 'text', (c) => c.notNull())
    .addColumn('item_label', 'text', (c) => c.notNull())
    .addColumn('item_target', 'text', (c) => c.notNull())
    .addColumn('requester_user_id', 'text', (c) => c.notNull())
    .addColumn('requester_email', 'text', (c) => c.notNull())
    .addColumn('requester_account_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('duration_days', 'integer')
    .addColumn('expires_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('provision_operation_id', 'text')
    .addColumn('provision_error', 'text')
    .addColumn('provision_at', 'text')
    .addColumn('revoke_operation_id', 'text')
    .addColumn('revoke_error', 'text')
    .addColumn('revoke_at', 'text')
    .addColumn('expiry_notice_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('access_requests_by_status')
    .on('access_requests')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('access_requests_by_requester')
    .on('access_requests')
    .columns(['requester_user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('access_requests_by_item')
    .on('access_requests')
    .columns(['catalog_item_id', 'status'])
    .execute();

  await db.schema
    .createTable('access_request_approvers')
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('access_request_approvers_pk', ['request_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('access_request_approvers_by_user')
    .on('access_request_approvers')
    .columns(['user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['access_request_approvers', 'access_requests', 'approval_settings', 'catalog_items']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
