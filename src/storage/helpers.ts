// Small helpers shared by the repositories.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Flag } from './schema.ts';

/** Runs fn in a transaction, or inside the caller's transaction when it already has one. */
export async function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database> | Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

/**
 * Rows per multi-row statement so that rows × columns stays under both dialects' bound-parameter
 * limits (SQLite 32766, PostgreSQL 65535).
 */
export function chunk<T>(items: readonly T[], columnsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(30_000 / Math.max(1, columnsPerRow)));
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** PostgreSQL returns count(*) as a string (bigint); SQLite as a number. */
export function toCount(value: string | number | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function toFlag(value: boolean): Flag {
  return value ? 1 : 0;
}

export function fromFlag(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}

export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = error.code;
  // PostgreSQL unique_violation; better-sqlite3 extended result codes.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Normalises a timestamp to ISO 8601 UTC with milliseconds, so text comparison orders it. */
export function toIsoTime(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid timestamp: ${String(value)}`);
  return date.toISOString();
}

/** Escapes LIKE wildcards; use with `escape '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The ISO time `days` days before `now`. */
export function daysBefore(now: string, days: number): string {
  return new Date(Date.parse(now) - days * 86_400_000).toISOString();
}

export function dialectOf(db: Kysely<Database>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Refreshes the query planner's statistics for the inventory tables. sweep() calls it; call it
 * after any large write too. Without it (autovacuum off or behind), PostgreSQL plans a freshly
 * loaded table as if it were empty and can pick nested loops that take minutes at 100k rows.
 */
export async function refreshStatistics(db: Kysely<Database>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`analyze accounts, groups, group_memberships, projects, role_actors, products, product_access`.execute(
      db,
    );
  } else {
    // SQLite's planner needs sqlite_stat1 to prefer the sort indexes over a filter index.
    await sql`analyze`.execute(db);
  }
}
