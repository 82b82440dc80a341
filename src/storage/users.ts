// Seatwarden's own users. Emails are stored lower-cased (users map to Atlassian accounts by email).
// The password hash never leaves this module except through findCredentials, for login only.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { authTables, type Role, type UsersTable } from './auth-schema.ts';
import { hashPassword } from './credentials.ts';
import { fromFlag, inTransaction, isUniqueViolation, toFlag } from './helpers.ts';
import type { Database } from './schema.ts';

export type { Role } from './auth-schema.ts';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface UserPatch {
  displayName?: string | undefined;
  role?: Role | undefined;
  password?: string | undefined;
  disabled?: boolean | undefined;
}

export class EmailTakenError extends Error {
  readonly code = 'email_taken';
  constructor() {
    super('A user with this email already exists');
  }
}

/** Refused so that nobody can lock every admin out. */
export class LastAdminError extends Error {
  readonly code = 'last_admin';
  constructor() {
    super('This is the last active admin: add another admin first');
  }
}

type UserRow = Selectable<UsersTable>;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    disabled: fromFlag(row.disabled) === true,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createUser(db: Kysely<Database>, input: NewUser): Promise<User> {
  const now = new Date().toISOString();
  const row: UserRow = {
    id: randomUUID(),
    email: normaliseEmail(input.email),
    display_name: input.displayName,
    role: input.role,
    password_hash: await hashPassword(input.password),
    created_at: now,
    updated_at: now,
    disabled: 0,
  };
  try {
    await authTables(db).insertInto('users').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
  return toUser(row);
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  const row = await authTables(db)
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return row && toUser(row);
}

export async function getUser(db: Kysely<Database>, id: string): Promise<User | undefined> {
  const row = await authTables(db).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await authTables(db).selectFrom('users').selectAll().orderBy('email').execute();
  return rows.map(toUser);
}

/** For login only: the user and their password hash. */
export async function findCredentials(
  db: Kysely<Database>,
  email: string,
): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await authTables(db)
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return row && { user: toUser(row), passwordHash: row.password_hash };
}

export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await authTables(db)
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Changes a user. A new password or disabling signs the user out everywhere (their sessions are
 * deleted). Throws LastAdminError when the change would leave no active admin.
 */
export async function updateUser(
  db: Kysely<Database>,
  id: string,
  patch: UserPatch,
): Promise<User | undefined> {
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  return inTransaction(db, async (trx) => {
    const t = authTables(trx);
    const before = await t
      .selectFrom('users')
      .select(['role', 'disabled'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) return undefined;
    await t
      .updateTable('users')
      .set({
        updated_at: new Date().toISOString(),
        ...(patch.displayName === undefined ? {} : { display_name: patch.displayName }),
        ...(patch.role === undefined ? {} : { role: patch.role }),
        ...(patch.disabled === undefined ? {} : { disabled: toFlag(patch.disabled) }),
        ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
      })
      .where('id', '=', id)
      .execute();
    const wasActiveAdmin = before.role === 'admin' && before.disabled === 0;
    if (wasActiveAdmin && (await countActiveAdmins(trx)) === 0) throw new LastAdminError();
    if (passwordHash !== undefined || patch.disabled === true) {
      await t.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    const row = await t.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toUser(row);
  });
}

/** Deletes a user with their sessions and API tokens. False when there was no such user. */
export async function deleteUser(db: Kysely<Database>, id: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const t = authTables(trx);
    const before = await t
      .selectFrom('users')
      .select(['role', 'disabled'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) return false;
    await t.deleteFrom('sessions').where('user_id', '=', id).execute();
    await t.deleteFrom('api_tokens').where('user_id', '=', id).execute();
    await t.deleteFrom('users').where('id', '=', id).execute();
    const wasActiveAdmin = before.role === 'admin' && before.disabled === 0;
    if (wasActiveAdmin && (await countActiveAdmins(trx)) === 0) throw new LastAdminError();
    return true;
  });
}
