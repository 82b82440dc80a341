// The accounts list sorts by one column, then account_id and integration_id as tie-breakers, all in
// the same direction. An index in exactly that order lets the database read the first page off
// the index instead of sorting every match: at 100,000 accounts, a millisecond instead of a
// hundred.
import type { Kysely } from 'kysely';

const SORTED_COLUMNS = ['display_name', 'email', 'last_active', 'first_seen_at'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of SORTED_COLUMNS) {
    await db.schema
      .createIndex(`accounts_sort_${column}_idx`)
      .on('accounts')
      .columns([column, 'account_id', 'integration_id'])
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of SORTED_COLUMNS) await db.schema.dropIndex(`accounts_sort_${column}_idx`).execute();
}
