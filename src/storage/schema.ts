// The typed shape of the store, shared by SQLite and PostgreSQL.
// Conventions that keep one code path for both dialects:
// - ids are text; booleans are integers 0/1 (`Flag`); timestamps are ISO 8601 UTC text
//   (`2026-11-23T10:00:00.000Z`), which sort and compare correctly as text;
// - inventory rows are keyed on Atlassian ids (accountId, groupId, …), never on email, and scoped
//   by integration_id; `removed_at` null means "present as of the last complete sync".
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** 0 = false, 1 = true. Stored as integer on both dialects. */
export type Flag = 0 | 1;
/** ISO 8601 UTC timestamp text. */
export type IsoTime = string;

export type AccountStatus = 'active' | 'inactive' | 'closed';
export type MembershipStatus = 'active' | 'suspended';
export type SyncPlan = 'org' | 'jira';
export type SyncStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ActorType = 'user' | 'group';
export type HistoryChange =
  | 'added'
  | 'removed'
  | 'restored'
  | 'updated'
  | 'group_added'
  | 'group_removed'
  | 'role_added'
  | 'role_removed'
  | 'product_added'
  | 'product_removed'
  | 'lead_changed';

export interface IntegrationsTable {
  id: string;
  label: string;
  site_url: string;
  email: string;
  api_token_enc: string;
  use_gateway: Flag;
  gateway_url: string | null;
  cloud_id: string | null;
  org_id: string | null;
  org_api_key_enc: string | null;
  admin_api_url: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
  site_last_ok_at: IsoTime | null;
  site_last_error: string | null;
  site_failing_since: IsoTime | null;
  org_last_ok_at: IsoTime | null;
  org_last_error: string | null;
  org_failing_since: IsoTime | null;
  org_key_expires_at: IsoTime | null;
}

export interface AccountsTable {
  integration_id: string;
  account_id: string;
  account_type: string | null;
  app_type: string | null;
  status: AccountStatus | null;
  membership_status: MembershipStatus | null;
  jira_active: Flag | null;
  managed: Flag | null;
  billable: Flag | null;
  email: string | null;
  display_name: string | null;
  last_active: IsoTime | null;
  in_directory: Flag | null;
  first_seen_at: IsoTime;
  /** When a sync last wrote this row (inserted, changed or restored); unchanged rows are not touched. */
  last_seen_at: IsoTime;
  removed_at: IsoTime | null;
  updated_at: IsoTime;
}

export interface GroupsTable {
  integration_id: string;
  group_id: string;
  name: string | null;
  description: string | null;
  idp_managed: Flag | null;
  first_seen_at: IsoTime;
  removed_at: IsoTime | null;
}

export interface GroupMembershipsTable {
  integration_id: string;
  group_id: string;
  account_id: string;
  first_seen_at: IsoTime;
  removed_at: IsoTime | null;
}

export interface ProjectsTable {
  integration_id: string;
  project_id: string;
  project_key: string | null;
  name: string | null;
  project_type: string | null;
  lead_account_id: string | null;
  archived: Flag | null;
  first_seen_at: IsoTime;
  removed_at: IsoTime | null;
}

export interface RolesTable {
  integration_id: string;
  role_id: string;
  name: string | null;
  description: string | null;
}

export interface RoleActorsTable {
  integration_id: string;
  project_id: string;
  role_id: string;
  actor_type: ActorType;
  actor_id: string;
  first_seen_at: IsoTime;
  removed_at: IsoTime | null;
}

export interface ProductsTable {
  integration_id: string;
  product_key: string;
  name: string | null;
  plan: string | null;
  /** null = unlimited or unknown. */
  seats_total: number | null;
  seats_used: number | null;
  ari: string | null;
  url: string | null;
  updated_at: IsoTime;
}

export interface ProductAccessTable {
  integration_id: string;
  account_id: string;
  product_key: string;
  last_active: IsoTime | null;
  first_seen_at: IsoTime;
  removed_at: IsoTime | null;
}

export interface SyncRunsTable {
  id: string;
  integration_id: string;
  plan: SyncPlan;
  status: SyncStatus;
  complete: Flag;
  started_at: IsoTime;
  finished_at: IsoTime | null;
  heartbeat_at: IsoTime;
  /** JSON text. */
  checkpoint: string | null;
  /** JSON text: Record<string, number>. */
  counts: string | null;
  api_calls: number;
  retries: number;
  rate_limit_waits: number;
  /** JSON text: unknown[]. */
  errors: string | null;
  resumed_from: string | null;
}

export interface SyncSeenTable {
  run_id: string;
  entity: string;
  key: string;
}

export interface AccountHistoryTable {
  id: Generated<number>;
  integration_id: string;
  account_id: string;
  run_id: string | null;
  changed_at: IsoTime;
  change: HistoryChange;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
}

export interface Database {
  integrations: IntegrationsTable;
  accounts: AccountsTable;
  groups: GroupsTable;
  group_memberships: GroupMembershipsTable;
  projects: ProjectsTable;
  roles: RolesTable;
  role_actors: RoleActorsTable;
  products: ProductsTable;
  product_access: ProductAccessTable;
  sync_runs: SyncRunsTable;
  sync_seen: SyncSeenTable;
  account_history: AccountHistoryTable;
}

export type IntegrationRow = Selectable<IntegrationsTable>;
export type AccountRecord = Selectable<AccountsTable>;
export type NewAccountRecord = Insertable<AccountsTable>;
export type SyncRunRecord = Selectable<SyncRunsTable>;
export type SyncRunUpdate = Updateable<SyncRunsTable>;
export type NewHistoryRecord = Insertable<AccountHistoryTable>;
