// API tokens for automation: `swt_` + 32 random bytes, shown once at creation and stored only as
// sha256. A token acts as its user, with that user's role.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { authTables } from './auth-schema.ts';
import { randomToken, sha256Hex } from './credentials.ts';
import type { Database } from './schema.ts';
import { getUser, type User } from './users.ts';

export const API_TOKEN_PREFIX = 'swt_';
const TOUCH_EVERY_MS = 60_000;

export interface ApiTokenInfo {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiToken extends ApiTokenInfo {
  /** The only time the token is ever available. */
  token: string;
}

export async function createApiToken(
  db: Kysely<Database>,
  userId: string,
  name: string,
): Promise<CreatedApiToken> {
  const token = randomToken(API_TOKEN_PREFIX);
  const info: ApiTokenInfo = {
    id: randomUUID(),
    userId,
    name,
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
  };
  await authTables(db)
    .insertInto('api_tokens')
    .values({
      id: info.id,
      user_id: userId,
      name,
      token_hash: sha256Hex(token),
      created_at: info.createdAt,
      last_used_at: null,
    })
    .execute();
  return { ...info, token };
}

/** Tokens of one user, or of everyone when `userId` is undefined. */
export async function listApiTokens(
  db: Kysely<Database>,
  userId: string | undefined,
): Promise<ApiTokenInfo[]> {
  let query = authTables(db)
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'created_at', 'last_used_at']);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

/** Deletes a token; restricted to one owner unless `ownerId` is undefined. False when not found. */
export async function deleteApiToken(
  db: Kysely<Database>,
  id: string,
  ownerId: string | undefined,
): Promise<boolean> {
  let query = authTables(db).deleteFrom('api_tokens').where('id', '=', id);
  if (ownerId !== undefined) query = query.where('user_id', '=', ownerId);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The (enabled) user a bearer token belongs to, or undefined. */
export async function findUserByApiToken(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<User | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
  const t = authTables(db);
  const row = await t
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'last_used_at'])
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row) return undefined;
  const user = await getUser(db, row.user_id);
  if (!user || user.disabled) return undefined;
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= TOUCH_EVERY_MS) {
    await t
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return user;
}
