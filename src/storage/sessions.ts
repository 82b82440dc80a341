// Browser sessions, in the store so every node shares them. The cookie holds a random token; the
// row's id is its sha256, so reading the table does not let anyone sign in.
import type { Kysely } from 'kysely';
import { authTables } from './auth-schema.ts';
import { randomToken, sha256Hex } from './credentials.ts';
import type { Database } from './schema.ts';
import { getUser, type User } from './users.ts';

export const SESSION_POLICY = {
  idleMs: 12 * 3_600_000,
  maxAgeMs: 7 * 86_400_000,
  /** last_seen_at is rewritten at most this often, so reads do not each cost a write. */
  touchEveryMs: 60_000,
} as const;

export interface NewSession {
  /** Goes in the cookie; never stored. */
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export interface ActiveSession {
  id: string;
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(
  db: Kysely<Database>,
  userId: string,
  now = new Date(),
): Promise<NewSession> {
  const token = randomToken('sws_');
  const csrfToken = randomToken('');
  const expiresAt = new Date(now.getTime() + SESSION_POLICY.maxAgeMs).toISOString();
  await authTables(db)
    .insertInto('sessions')
    .values({
      id: sha256Hex(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      last_seen_at: now.toISOString(),
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/**
 * The live session for a cookie token, or undefined when unknown, expired (idle or absolute), or
 * its user is disabled. An expired row is deleted when found.
 */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<ActiveSession | undefined> {
  const t = authTables(db);
  const id = sha256Hex(token);
  const row = await t.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const idleSince = now.getTime() - Date.parse(row.last_seen_at);
  if (Date.parse(row.expires_at) <= now.getTime() || idleSince >= SESSION_POLICY.idleMs) {
    await t.deleteFrom('sessions').where('id', '=', id).execute();
    return undefined;
  }
  const user = await getUser(db, row.user_id);
  if (!user || user.disabled) return undefined;
  if (idleSince >= SESSION_POLICY.touchEveryMs) {
    await t.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', id).execute();
  }
  return { id, user, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await authTables(db).deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Housekeeping for a scheduled job: removes rows past their absolute or idle expiry. */
export async function deleteExpiredSessions(db: Kysely<Database>, now = new Date()): Promise<number> {
  const idleCutoff = new Date(now.getTime() - SESSION_POLICY.idleMs).toISOString();
  const result = await authTables(db)
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb('last_seen_at', '<=', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
