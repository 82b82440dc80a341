// Tables for Seatwarden's own users, sessions, API tokens and login throttling (migration 0002_auth).
// Type aliases, not interfaces: withTables<T> needs T to have an implicit index signature.
// Kept apart from the inventory schema: repositories reach them through `authTables(db)`, which
// widens a Kysely<Database> with these tables without touching the shared Database type.
import type { Kysely, Transaction } from 'kysely';
import type { Database, Flag, IsoTime } from './schema.ts';

export type Role = 'admin' | 'approver' | 'requester' | 'auditor';

export type UsersTable = {
  id: string;
  /** Always lower-cased, unique. */
  email: string;
  display_name: string;
  role: Role;
  /** Versioned scrypt hash (see src/http/auth/passwords.ts); never the password. */
  password_hash: string;
  created_at: IsoTime;
  updated_at: IsoTime;
  disabled: Flag;
};

export type SessionsTable = {
  /** sha256 (hex) of the random token in the cookie: a leaked table cannot be replayed. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: IsoTime;
  expires_at: IsoTime;
  last_seen_at: IsoTime;
};

export type ApiTokensTable = {
  id: string;
  user_id: string;
  name: string;
  /** sha256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: IsoTime;
  last_used_at: IsoTime | null;
};

export type LoginAttemptsTable = {
  /** 'email:<lower-cased email>' or 'ip:<address>'. */
  key: string;
  failures: number;
  window_started_at: IsoTime;
  locked_until: IsoTime | null;
};

export type AuthTables = {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
};

export type AuthDb = Kysely<Database & AuthTables>;

/** The same connection (or transaction), typed to include the auth tables. */
export function authTables(db: Kysely<Database> | Transaction<Database>): AuthDb {
  return db.withTables<AuthTables>();
}
