// The wire shapes of the REST API contract (OpenAPI at /docs), as the UI reads them.

export type Role = 'admin' | 'approver' | 'requester' | 'auditor';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface CredentialHealth {
  lastOkAt: string | null;
  lastError: string | null;
  failingSince: string | null;
}

export type SyncStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunProgress {
  phase: string;
  items: number;
  calls: number;
}

export interface SyncError {
  phase?: string;
  kind?: string;
  message?: string;
}

export interface SyncRun {
  id: string;
  integrationId: string;
  plan: string;
  status: SyncStatus;
  complete: boolean;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string;
  counts: Record<string, number>;
  apiCalls: number;
  retries: number;
  rateLimitWaits: number;
  errors: SyncError[];
  progress?: RunProgress | null;
}

export interface IntegrationSummary {
  id: string;
  label: string;
  siteUrl: string;
  email: string;
  useGateway: boolean;
  gatewayUrl: string | null;
  cloudId: string | null;
  orgId: string | null;
  adminApiUrl: string | null;
  hasApiToken: boolean;
  hasOrgKey: boolean;
  orgKeyExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  health: { site: CredentialHealth; org: CredentialHealth };
  syncSchedule?: string | null;
  lastRun?: SyncRun | null;
}

export interface IntegrationInput {
  label: string;
  siteUrl: string;
  email: string;
  apiToken: string;
  orgId?: string;
  orgApiKey?: string;
  adminApiUrl?: string;
  useGateway?: boolean;
  gatewayUrl?: string;
  orgKeyExpiresAt?: string;
}

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface ConnectionReport {
  ok: boolean;
  checks: ConnectionCheck[];
}

export type AccountStatus = 'active' | 'inactive' | 'closed';

export interface AccountView {
  integrationId: string;
  accountId: string;
  accountType: string | null;
  appType: string | null;
  status: AccountStatus | null;
  membershipStatus: 'active' | 'suspended' | null;
  jiraActive: boolean | null;
  managed: boolean | null;
  billable: boolean | null;
  email: string | null;
  displayName: string | null;
  lastActive: string | null;
  inDirectory: boolean | null;
  firstSeenAt: string;
  lastSeenAt: string;
  removedAt: string | null;
  updatedAt: string;
}

export interface AccountListItem extends AccountView {
  groups: { groupId: string; name: string | null }[];
  products: { productKey: string; lastActive: string | null }[];
  projectRoles: { projectId: string; projectKey: string | null; roleId: string; roleName: string | null }[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface HistoryEntry {
  id: number;
  runId: string | null;
  changedAt: string;
  change: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
}

export interface ProjectRoleGrant {
  projectId: string;
  projectKey: string | null;
  projectName: string | null;
  roleId: string;
  roleName: string | null;
  via: 'direct' | 'group';
  groupId: string | null;
  groupName: string | null;
}

export interface AccountDetail {
  account: AccountView;
  groups: { groupId: string; name: string | null; idpManaged: boolean | null }[];
  projectRoles: ProjectRoleGrant[];
  products: { productKey: string; name: string | null; lastActive: string | null }[];
  leadOf: { projectId: string; projectKey: string | null; name: string | null }[];
  history: HistoryEntry[];
}

export interface GroupItem {
  integrationId: string;
  groupId: string;
  name: string | null;
  description: string | null;
  idpManaged: boolean | null;
  memberCount: number;
}

export interface GroupDetail {
  group: GroupItem;
  members: Page<AccountView>;
}

export interface ProjectLead {
  accountId: string;
  displayName: string | null;
  status: AccountStatus | null;
  jiraActive: boolean | null;
}

export interface ProjectItem {
  integrationId: string;
  projectId: string;
  key: string;
  name: string;
  projectType: string | null;
  archived: boolean | null;
  lead: ProjectLead | null;
}

export interface ProjectDetail {
  project: ProjectItem;
  roles: {
    roleId: string;
    name: string | null;
    actors: { actorType: 'user' | 'group'; actorId: string; displayName: string | null }[];
  }[];
}

export interface LicenseLine {
  integrationId: string;
  productKey: string;
  name: string | null;
  plan: string | null;
  seatsTotal: number | null;
  seatsUsed: number;
  seatsRemaining: number | null;
  assigned: number;
  billableAssigned: number;
  inactiveBillable: number;
  pricePerSeat: number | null;
  monthlyWaste: number | null;
}

export interface LicenseReport {
  lines: LicenseLine[];
  totals: { monthlyWaste: number; inactiveBillable: number };
}

export interface SeatPrices {
  prices: Record<string, number>;
}

// Provisioning actions (src/actions/types.ts): every action is planned by a dry run, then confirmed.
export type ActionKind =
  | 'createUser'
  | 'createGroup'
  | 'deleteGroup'
  | 'addToGroup'
  | 'removeFromGroup'
  | 'addRoleActor'
  | 'removeRoleActor'
  | 'grantProduct'
  | 'revokeProduct'
  | 'suspend'
  | 'restore'
  | 'removeFromDirectory'
  | 'jiraDeleteUser'
  | 'deactivate'
  | 'delete'
  | 'cancelDelete';

export type OperationItemStatus = 'pending' | 'running' | 'succeeded' | 'skipped' | 'failed' | 'refused';

export interface OperationItem {
  seq: number;
  action: string;
  input: Record<string, unknown>;
  status: OperationItemStatus;
  /** The plan or outcome: `{target, decision, checks, calls | reason, error?, facts?}`. */
  result: Record<string, unknown> | null;
  atlassianStatus: number | null;
  attempts: number;
  updatedAt: string;
}

export interface Operation {
  id: string;
  integrationId: string;
  kind: string;
  actor: string;
  via: 'ui' | 'api' | 'cli' | 'job';
  status: 'pending' | 'running' | 'succeeded' | 'partial' | 'failed' | 'refused';
  dryRun: boolean;
  createdAt: string;
  finishedAt: string | null;
  items: OperationItem[];
}

// Access requests and approvals (docs/requests-api.md).
export type ItemKind = 'group' | 'projectRole' | 'product';
export type RequesterRole = 'admin' | 'approver' | 'requester';

export type StepRule =
  | { kind: 'projectLead' }
  | { kind: 'projectAdmins' }
  | { kind: 'groupOwners' }
  | { kind: 'integrationOwners' }
  | { kind: 'users'; userIds: string[] };

export interface CatalogTarget {
  groupId?: string;
  projectId?: string;
  roleId?: string;
  productKey?: string;
}

export interface CatalogItem {
  id: string;
  integrationId: string;
  kind: ItemKind;
  target: CatalogTarget;
  label: string;
  description: string | null;
  requesterRoles: RequesterRole[];
  ownerUserIds: string[];
  steps: StepRule[] | null;
  maxDurationDays: number | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ApprovalSettings {
  integrationId: string;
  ownerUserIds: string[];
  routes: Partial<Record<ItemKind, StepRule[]>>;
  reminderAfterHours: number;
  expiryNoticeHours: number;
}

export interface Approver {
  userId: string | null;
  email: string | null;
  displayName: string | null;
  accountId: string | null;
  isSeatwardenUser: boolean;
}

export type StepStatus = 'waiting' | 'pending' | 'approved' | 'denied' | 'skipped';

export interface RequestStep {
  index: number;
  rule: StepRule;
  approvers: Approver[];
  routedBy: StepRule['kind'];
  fallbackReason: string | null;
  status: StepStatus;
  decidedBy: { userId: string; email: string } | null;
  decidedAt: string | null;
  comment: string | null;
  remindersSent: number;
  escalated: boolean;
}

export type RequestStatus =
  | 'pending'
  | 'flagged'
  | 'denied'
  | 'cancelled'
  | 'approved'
  | 'provisioned'
  | 'failed'
  | 'revoked'
  | 'expired';

export interface OperationRef {
  operationId: string | null;
  error: string | null;
  at: string | null;
}

export interface AccessRequest {
  id: string;
  integrationId: string;
  catalogItemId: string;
  item: { kind: ItemKind; label: string; target: CatalogTarget };
  requester: { userId: string; email: string; accountId: string };
  reason: string;
  expiresAt: string | null;
  status: RequestStatus;
  steps: RequestStep[];
  notes: { at: string; text: string }[];
  provisioning: OperationRef | null;
  revoke: OperationRef | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
}

export interface ManagedUser extends User {
  disabled: boolean;
  updatedAt: string;
}

// In-app notifications (GET /api/v1/notifications).
export interface AppNotification {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  requestId: string | null;
  createdAt: string;
  readAt: string | null;
}
