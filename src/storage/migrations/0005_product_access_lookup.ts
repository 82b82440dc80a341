// "Has product X" lookups (the product filter, the license view) must find one account's row by
// the full key. With only (integration_id, product_key), PostgreSQL without fresh statistics may
// pick that index and filter every row of the product per account: minutes at 100k accounts.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('product_access_product_idx').execute();
  await db.schema
    .createIndex('product_access_product_idx')
    .on('product_access')
    .columns(['integration_id', 'product_key', 'account_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('product_access_product_idx').execute();
  await db.schema
    .createIndex('product_access_product_idx')
    .on('product_access')
    .columns(['integration_id', 'product_key'])
    .execute();
}
