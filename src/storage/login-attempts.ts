// Failed-login counters per key ('email:…', 'ip:…'), in the store so every node enforces the same
// limits. A key that reaches its limit within the window is locked for `lockMs`.
import { sql, type Kysely } from 'kysely';
import { authTables } from './auth-schema.ts';
import type { Database } from './schema.ts';

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** The latest `locked_until` still in the future among these keys, or undefined. */
export async function activeLock(
  db: Kysely<Database>,
  keys: readonly string[],
  now = new Date(),
): Promise<Date | undefined> {
  if (keys.length === 0) return undefined;
  const rows = await authTables(db)
    .selectFrom('login_attempts')
    .select('locked_until')
    .where('key', 'in', keys)
    .where('locked_until', '>', now.toISOString())
    .execute();
  const times = rows.flatMap((r) => (r.locked_until === null ? [] : [Date.parse(r.locked_until)]));
  return times.length === 0 ? undefined : new Date(Math.max(...times));
}

/** Counts one failure for `key` (one atomic upsert, safe across nodes); locks it at the limit. */
export async function recordFailure(
  db: Kysely<Database>,
  key: string,
  rule: ThrottleRule,
  now = new Date(),
): Promise<void> {
  const t = authTables(db);
  const nowIso = now.toISOString();
  const windowCutoff = new Date(now.getTime() - rule.windowMs).toISOString();
  const row = await t
    .insertInto('login_attempts')
    .values({ key, failures: 1, window_started_at: nowIso, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_attempts.window_started_at <= ${windowCutoff} then 1 else login_attempts.failures + 1 end`,
        window_started_at: sql<string>`case when login_attempts.window_started_at <= ${windowCutoff} then ${nowIso} else login_attempts.window_started_at end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  if (row.failures >= rule.maxFailures) {
    await t
      .updateTable('login_attempts')
      .set({ locked_until: new Date(now.getTime() + rule.lockMs).toISOString() })
      .where('key', '=', key)
      .execute();
  }
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await authTables(db).deleteFrom('login_attempts').where('key', '=', key).execute();
}

/**
 * Housekeeping for a scheduled job: drops counters whose window and lock are both over (they
 * would restart from zero anyway), so guessed emails and passing IPs do not pile up.
 */
export async function deleteStaleLoginAttempts(
  db: Kysely<Database>,
  windowMs: number,
  now = new Date(),
): Promise<number> {
  const nowIso = now.toISOString();
  const result = await authTables(db)
    .deleteFrom('login_attempts')
    .where('window_started_at', '<=', new Date(now.getTime() - windowMs).toISOString())
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
