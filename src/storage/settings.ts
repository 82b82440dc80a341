// Settings: small JSON values under well-known keys, validated on the way in and out so a
// hand-edited row cannot crash a reader.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from './schema.ts';

export interface SettingsTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
}

type WithSettings = Database & { settings: SettingsTable };

/** Monthly price of one seat, per product key (e.g. `jira-software`), in the org's currency. */
export const seatPricesSchema = z.record(z.string().min(1).max(200), z.number().nonnegative());
export type SeatPrices = z.infer<typeof seatPricesSchema>;

const SEAT_PRICES = 'seat_prices';

function settingsDb(db: Kysely<Database>): Kysely<WithSettings> {
  return db.withTables<{ settings: SettingsTable }>();
}

async function readSetting(db: Kysely<Database>, key: string): Promise<unknown> {
  const row = await settingsDb(db)
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
}

async function writeSetting(db: Kysely<Database>, key: string, value: unknown, now: string): Promise<void> {
  const text = JSON.stringify(value);
  await settingsDb(db)
    .insertInto('settings')
    .values({ key, value: text, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: now }))
    .execute();
}

export async function getSeatPrices(db: Kysely<Database>): Promise<SeatPrices> {
  const parsed = seatPricesSchema.safeParse(await readSetting(db, SEAT_PRICES));
  return parsed.success ? parsed.data : {};
}

/** Replaces all seat prices. */
export async function setSeatPrices(
  db: Kysely<Database>,
  prices: SeatPrices,
  now: string,
): Promise<SeatPrices> {
  const valid = seatPricesSchema.parse(prices);
  await writeSetting(db, SEAT_PRICES, valid, now);
  return valid;
}
