// One row per schedule tick that fired: every node runs the same crons, and the node whose insert
// wins the primary key is the one that enqueues the tick's job. Old rows are pruned.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('schedule_ticks')
    .addColumn('schedule_key', 'text', (c) => c.notNull())
    .addColumn('tick_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('schedule_ticks_pk', ['schedule_key', 'tick_at'])
    .execute();
  await db.schema.createIndex('schedule_ticks_tick_at').on('schedule_ticks').column('tick_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('schedule_ticks').execute();
}
