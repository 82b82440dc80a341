// The simulator's in-memory world: one Atlassian organization with one Jira site.
// Every endpoint reads and writes these structures, so a write is visible on the next read
// through any API (Jira, Organizations, User management) that exposes the same fact.

export type AccountType = 'atlassian' | 'app' | 'customer';
/** Organization-level account status (v1 `account_status`, v2 `accountStatus`). */
export type AccountStatus = 'active' | 'inactive' | 'closed';
/** Membership in the org directory (v2 `membershipStatus`); `suspended` keeps groups and roles. */
export type MembershipStatus = 'active' | 'suspended';

export interface ProductAccess {
  /** Product key as the Organizations API names it: `jira-software`, `confluence`, … */
  key: string;
  /** ISO 8601 timestamp, or null when the user never used the product. */
  lastActive: string | null;
}

export interface SimAccount {
  accountId: string;
  accountType: AccountType;
  /** For `app` accounts only. */
  appType?: 'service' | 'agent' | 'unknown';
  displayName: string;
  nickname: string;
  email: string | null;
  /** False when the user's profile visibility hides the email from Jira responses. */
  emailVisibleInJira: boolean;
  /** On a verified domain of the org: present in GET /v1/orgs/{org}/users and lifecycle-manageable. */
  managed: boolean;
  /** Null for accounts that are not in the org directory at all (apps, customers, removed users). */
  directoryId: string | null;
  accountStatus: AccountStatus;
  membershipStatus: MembershipStatus;
  /** Jira's `active` flag. */
  jiraActive: boolean;
  /** Account-wide last active, ISO 8601, or null for never. */
  lastActive: string | null;
  addedToOrg: string;
  products: ProductAccess[];
  billable: boolean;
  orgAdmin: boolean;
  siteAdmin: boolean;
  /** How the account entered the directory: invited, synced from an IdP (SCIM/Google), or neither. */
  managementSource: 'invited' | 'synced' | null;
  /** User-management lifecycle: set when `lifecycle/delete` was requested (grace period). */
  pendingDeletionSince: string | null;
  timeZone: string;
  locale: string;
}

export interface SimGroup {
  groupId: string;
  name: string;
  description: string;
  directoryId: string;
  /** Synced from an identity provider: refuses edits through the Jira and Organizations APIs. */
  idpManaged: boolean;
  members: Set<string>;
}

export interface SimRoleDefinition {
  id: number;
  name: string;
  description: string;
}

export interface SimRoleActors {
  users: Set<string>;
  groups: Set<string>;
}

export interface SimProject {
  id: string;
  key: string;
  name: string;
  projectTypeKey: 'software' | 'service_desk' | 'business' | 'product_discovery';
  leadAccountId: string;
  archived: boolean;
  /** Role id → actors in this project. */
  roles: Map<number, SimRoleActors>;
}

export interface SimApplicationRole {
  /** Jira application key: `jira-software`, `jira-servicedesk`, `jira-core`, `jira-product-discovery`. */
  key: string;
  name: string;
  /** The Organizations API product key that grants this application (`jira-service-desk` for JSM). */
  productKey: string;
  numberOfSeats: number;
  hasUnlimitedSeats: boolean;
  /** Default groups granting this application. */
  defaultGroupIds: string[];
  platform: boolean;
}

export interface SimProduct {
  key: string;
  name: string;
  /** ARI of the product instance, e.g. `ari:cloud:jira::site/{cloudId}`. */
  ari: string;
  url: string;
  plan: 'free' | 'standard' | 'premium' | 'enterprise';
  capacity: number;
}

export interface SimDirectory {
  directoryId: string;
  name: string;
}

export interface SimCredentials {
  adminEmail: string;
  apiToken: string;
  /** A site user who is not an admin: 403 on admin operations. */
  userEmail: string;
  userApiToken: string;
  /** A scoped token: accepted only through the gateway `/ex/jira/{cloudId}`. */
  scopedEmail: string;
  scopedApiToken: string;
  /** Unscoped org API key: everything on the admin and user-management APIs. */
  orgApiKey: string;
  /** Scoped org API key: read operations only; writes and user management answer 403. */
  scopedOrgApiKey: string;
}

export interface SimState {
  seed: number;
  orgId: string;
  orgName: string;
  cloudId: string;
  siteName: string;
  credentials: SimCredentials;
  /** Account ids of the credentials' own accounts (admin, plain user, scoped-token user). */
  adminAccountId: string;
  userAccountId: string;
  directories: SimDirectory[];
  /** Insertion order is the order every list endpoint returns. */
  accounts: Map<string, SimAccount>;
  groups: Map<string, SimGroup>;
  roleDefinitions: SimRoleDefinition[];
  projects: Map<string, SimProject>;
  applicationRoles: SimApplicationRole[];
  products: SimProduct[];
}
