// Per-integration sync schedules. Integrations without a row use the default schedule, so the
// table only holds what an admin changed. Deleting an integration deletes its schedule.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_schedules')
    .addColumn('integration_id', 'text', (c) =>
      c.primaryKey().references('integrations.id').onDelete('cascade'),
    )
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_schedules').execute();
}
