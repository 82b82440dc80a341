// Deterministic world generator: the same { users, seed, now } always yields the same state.
// Shapes follow what real orgs look like: mostly managed staff, some external collaborators,
// apps, JSM customers, dormant and never-active accounts, skewed group sizes.

import { createHash } from 'node:crypto';
import type {
  AccountType,
  ProductAccess,
  SimAccount,
  SimApplicationRole,
  SimDirectory,
  SimGroup,
  SimProduct,
  SimProject,
  SimRoleActors,
  SimState,
} from './model.ts';
import {
  APP_NAMES,
  FIRST_NAMES,
  HOSTILE_NAMES,
  LAST_NAMES,
  LOCALES,
  PRODUCTS,
  PROJECT_WORDS,
  ROLE,
  ROLE_DEFINITIONS,
  TEAM_WORDS,
  TIME_ZONES,
} from './generate-data.ts';
import { applicationRoleUserCount, isBillable, productUserCount } from './licensing.ts';
import { hex, intBetween, mulberry32, pick, uuid, type Rng } from './prng.ts';

export interface GenerateOptions {
  users: number;
  seed: number;
  /** Reference time for last-active dates; defaults to the start of today (UTC). */
  now?: Date;
}

export const MIN_USERS = 10;
export const MAX_USERS = 200_000;
const DAY_MS = 86_400_000;
const MANAGED_DOMAIN = 'acme.example';

interface Context {
  rng: Rng;
  now: number;
  mainDirectory: string;
  idpDirectory: string;
}

export function generateState(options: GenerateOptions): SimState {
  const { users, seed } = options;
  if (!Number.isInteger(users) || users < MIN_USERS || users > MAX_USERS) {
    throw new RangeError(`users must be an integer from ${MIN_USERS} to ${MAX_USERS}`);
  }
  const rng = mulberry32(seed);
  const now = options.now ?? new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const directories: SimDirectory[] = [
    { directoryId: uuid(rng), name: 'Acme Corp' },
    { directoryId: uuid(rng), name: 'Okta (SCIM)' },
  ];
  const ctx: Context = {
    rng,
    now: now.getTime(),
    mainDirectory: directories[0]?.directoryId ?? '',
    idpDirectory: directories[1]?.directoryId ?? '',
  };
  const cloudId = uuid(rng);
  const orgId = uuid(rng);
  const siteName = `acme-${seed}`;
  const credentials = {
    adminEmail: `admin@${MANAGED_DOMAIN}`,
    apiToken: `ATATT3xFfGF0${hex(rng, 40)}`,
    userEmail: `user@${MANAGED_DOMAIN}`,
    userApiToken: `ATATT3xFfGF0${hex(rng, 40)}`,
    scopedEmail: `scoped@${MANAGED_DOMAIN}`,
    scopedApiToken: `ATATT3xFfGF0${hex(rng, 40)}`,
    orgApiKey: `ATCTT3xFfGN0${hex(rng, 48)}`,
    scopedOrgApiKey: `ATCTT3xFfGN0${hex(rng, 48)}`,
  };

  const accounts = new Map<string, SimAccount>();
  const special = makeSpecialAccounts(ctx, credentials);
  for (const account of special) accounts.set(account.accountId, account);
  for (let i = special.length; i < users; i++) {
    const account = makeAccount(ctx, i);
    accounts.set(account.accountId, account);
  }

  const state: SimState = {
    seed,
    orgId,
    orgName: 'Acme Corp',
    cloudId,
    siteName,
    credentials,
    adminAccountId: special[0]?.accountId ?? '',
    userAccountId: special[1]?.accountId ?? '',
    directories,
    accounts,
    groups: new Map(),
    roleDefinitions: ROLE_DEFINITIONS.map((r) => ({ ...r })),
    projects: new Map(),
    applicationRoles: [],
    products: [],
  };
  const groups = makeGroups(ctx, state, users);
  for (const group of groups) state.groups.set(group.groupId, group);
  for (const project of makeProjects(ctx, state, users)) state.projects.set(project.id, project);
  state.products = makeProducts(state);
  state.applicationRoles = makeApplicationRoles(state);
  return state;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function displayName(rng: Rng): string {
  if (rng() < 0.004) return pick(rng, HOSTILE_NAMES);
  return `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`;
}

function baseAccount(ctx: Context, accountId: string, accountType: AccountType, name: string): SimAccount {
  const { rng } = ctx;
  return {
    accountId,
    accountType,
    displayName: name,
    nickname: name.split(' ')[0] ?? name,
    email: null,
    emailVisibleInJira: rng() >= 0.2,
    managed: false,
    directoryId: null,
    accountStatus: 'active',
    membershipStatus: 'active',
    jiraActive: true,
    lastActive: null,
    addedToOrg: iso(ctx.now - intBetween(rng, 30, 1500) * DAY_MS),
    products: [],
    billable: false,
    orgAdmin: false,
    siteAdmin: false,
    managementSource: null,
    pendingDeletionSince: null,
    timeZone: pick(rng, TIME_ZONES),
    locale: pick(rng, LOCALES),
  };
}

/** The credentials' own accounts: admin (site + org admin), plain user, scoped-token admin. */
function makeSpecialAccounts(ctx: Context, c: SimState['credentials']): SimAccount[] {
  const rows = [
    { name: 'Site Admin', email: c.adminEmail, admin: true },
    { name: 'Plain User', email: c.userEmail, admin: false },
    { name: 'Scoped Token Admin', email: c.scopedEmail, admin: true },
  ];
  return rows.map((row) => {
    const account = baseAccount(ctx, `557058:${uuid(ctx.rng)}`, 'atlassian', row.name);
    const lastActive = iso(ctx.now - DAY_MS);
    return {
      ...account,
      email: row.email,
      emailVisibleInJira: true,
      managed: true,
      directoryId: ctx.mainDirectory,
      lastActive,
      managementSource: 'invited' as const,
      products: PRODUCTS.map((p) => ({ key: p.key, lastActive })),
      billable: true,
      orgAdmin: row.admin,
      siteAdmin: row.admin,
    };
  });
}

/**
 * The first accounts after the credentials' own cover every case, so even a 10-user org has an
 * app, a customer, an external user and inactive/suspended/closed accounts.
 */
const FORCED_KINDS: Record<number, number> = { 3: 0.01, 4: 0.05, 5: 0.1, 6: 0.5, 7: 0.5, 8: 0.5 };
const FORCED_STATUS: Record<number, number> = { 6: 0.01, 7: 0.06, 8: 0.045 };

function makeAccount(ctx: Context, i: number): SimAccount {
  const { rng } = ctx;
  const drawn = rng();
  const kind = FORCED_KINDS[i] ?? drawn;
  if (kind < 0.03) return makeApp(ctx);
  if (kind < 0.08) return makeCustomer(ctx, i);
  return makeAtlassian(ctx, i, kind < 0.18 ? 'external' : 'managed');
}

function makeApp(ctx: Context): SimAccount {
  const { rng } = ctx;
  const account = baseAccount(ctx, `712020:${uuid(rng)}`, 'app', pick(rng, APP_NAMES));
  const r = rng();
  account.appType = r < 0.6 ? 'service' : r < 0.9 ? 'agent' : 'unknown';
  account.jiraActive = rng() >= 0.1;
  account.lastActive = rng() < 0.3 ? null : iso(ctx.now - Math.floor(rng() * 60) * DAY_MS);
  return account;
}

function makeCustomer(ctx: Context, i: number): SimAccount {
  const { rng } = ctx;
  const name = displayName(rng);
  const account = baseAccount(ctx, `qm:${uuid(rng)}:${uuid(rng)}`, 'customer', name);
  account.email = `${slug(name) || 'customer'}.${i}@customer.example`;
  account.jiraActive = rng() >= 0.05;
  account.lastActive = rng() < 0.2 ? null : iso(ctx.now - Math.floor(rng() * 700) * DAY_MS);
  return account;
}

function makeAtlassian(ctx: Context, i: number, kind: 'managed' | 'external'): SimAccount {
  const { rng } = ctx;
  const name = displayName(rng);
  const account = baseAccount(ctx, `557058:${uuid(rng)}`, 'atlassian', name);
  const local = slug(name) || 'user';
  account.managed = kind === 'managed';
  // The forced external account (see FORCED_KINDS) also hides its email, so small orgs have one.
  if (i === 5) account.emailVisibleInJira = false;
  account.email =
    kind === 'managed'
      ? `${local}.${i}@${MANAGED_DOMAIN}`
      : `${local}.${i}@${pick(rng, ['gmail.example', 'partner.example', 'contractor.example'])}`;
  const synced = account.managed && rng() < 0.25;
  account.directoryId = synced ? ctx.idpDirectory : ctx.mainDirectory;
  account.managementSource = synced ? 'synced' : rng() < 0.8 ? 'invited' : null;

  const drawnStatus = rng();
  const status = FORCED_STATUS[i] ?? drawnStatus;
  if (status < 0.04) {
    account.accountStatus = 'inactive';
    account.jiraActive = false;
  } else if (status < 0.05) {
    account.accountStatus = 'closed';
    account.jiraActive = false;
    account.displayName = 'Former user';
    account.email = null;
  } else if (account.managed && status < 0.08) {
    account.membershipStatus = 'suspended';
    account.jiraActive = false;
  }
  // Dormancy skewed towards recent activity: days ago = 730 * r^2.
  const neverActive = rng() < 0.08;
  const lastActiveMs = ctx.now - Math.floor(730 * rng() ** 2 * DAY_MS);
  account.lastActive = neverActive ? null : iso(lastActiveMs);
  if (account.accountStatus !== 'closed')
    account.products = productAccess(rng, neverActive ? null : lastActiveMs);
  account.billable = isBillable(account);
  if (account.managed && account.accountStatus === 'active' && rng() < 0.003) {
    account.orgAdmin = true;
    account.siteAdmin = true;
  }
  return account;
}

function productAccess(rng: Rng, lastActiveMs: number | null): ProductAccess[] {
  const access: ProductAccess[] = [];
  for (const product of PRODUCTS) {
    if (rng() >= product.share) continue;
    let lastActive: string | null = null;
    if (lastActiveMs !== null && rng() >= 0.15) {
      // The first product used carries the account-wide date; others are older.
      const lag = access.length === 0 ? 0 : Math.floor(rng() ** 2 * 180 * DAY_MS);
      lastActive = iso(lastActiveMs - lag);
    }
    access.push({ key: product.key, lastActive });
  }
  return access;
}

const PRODUCT_GROUPS: Record<string, string> = {
  'jira-software': 'jira-software-users',
  'jira-service-desk': 'jira-servicemanagement-users',
  'jira-product-discovery': 'jira-product-discovery-users',
  confluence: 'confluence-users',
};

function makeGroups(ctx: Context, state: SimState, users: number): SimGroup[] {
  const { rng } = ctx;
  const group = (name: string, description: string, idpManaged = false): SimGroup => ({
    groupId: uuid(rng),
    name,
    description,
    idpManaged,
    directoryId: idpManaged ? ctx.idpDirectory : ctx.mainDirectory,
    members: new Set(),
  });
  const byProduct = new Map<string, SimGroup>();
  for (const [product, name] of Object.entries(PRODUCT_GROUPS)) {
    byProduct.set(product, group(name, `Grants access to ${product}`));
  }
  const siteAdmins = group('site-admins', 'Site administrators');
  const jiraAdmins = group('jira-admins', 'Jira administrators');
  const addons = group('atlassian-addons-admin', 'Apps installed on the site');
  const system = [...byProduct.values(), siteAdmins, jiraAdmins, addons];

  const teamCount = Math.max(5, Math.floor(users / 25) + 10) - system.length;
  const teams: SimGroup[] = [];
  for (let t = 0; t < Math.max(teamCount, 1); t++) {
    // Every tenth team (from the second) is synced from the IdP: ~10%, and always at least one.
    const idp = t % 10 === 1;
    teams.push(group(`team-${TEAM_WORDS[t % TEAM_WORDS.length] ?? 'x'}-${t}`, `Team ${t}`, idp));
  }

  for (const account of state.accounts.values()) {
    if (account.accountType === 'customer') continue;
    if (account.accountType === 'app') {
      addons.members.add(account.accountId);
      continue;
    }
    let joined = 0;
    for (const access of account.products) {
      byProduct.get(access.key)?.members.add(account.accountId);
      joined++;
    }
    if (account.siteAdmin) {
      siteAdmins.members.add(account.accountId);
      jiraAdmins.members.add(account.accountId);
      joined += 2;
    }
    // Skewed team sizes: low indexes are picked far more often (r^3), so a few groups are huge.
    const wanted = Math.min(8 - joined, Math.floor(rng() ** 1.5 * 6));
    for (let k = 0; k < wanted; k++) {
      const team = teams[Math.floor(rng() ** 3 * teams.length)];
      team?.members.add(account.accountId);
    }
  }
  return [...system, ...teams];
}

function makeProjects(ctx: Context, state: SimState, users: number): SimProject[] {
  const { rng } = ctx;
  const people = [...state.accounts.values()].filter((a) => a.accountType === 'atlassian');
  const active = people.filter((a) => a.jiraActive).map((a) => a.accountId);
  const inactive = people.filter((a) => !a.jiraActive).map((a) => a.accountId);
  const apps = [...state.accounts.values()].filter((a) => a.accountType === 'app').map((a) => a.accountId);
  const groups = [...state.groups.values()];
  const idsByName = new Map(groups.map((g) => [g.name, g.groupId]));
  const groupNamed = (name: string) => idsByName.get(name);
  const teams = groups.filter((g) => g.name.startsWith('team-')).map((g) => g.groupId);
  // Jira's Project schema enumerates only these three types.
  const types: SimProject['projectTypeKey'][] = ['software', 'software', 'service_desk', 'business'];

  const projects: SimProject[] = [];
  const count = Math.floor(users / 50) + 3;
  for (let i = 0; i < count; i++) {
    const word = PROJECT_WORDS[i % PROJECT_WORDS.length] ?? 'Project';
    const projectTypeKey = pick(rng, types);
    const leadPool = inactive.length > 0 && rng() < 0.1 ? inactive : active;
    const lead = pick(rng, leadPool);
    const roles = new Map<number, SimRoleActors>();
    const actors = (userIds: string[], groupIds: (string | undefined)[]): SimRoleActors => ({
      users: new Set(userIds),
      groups: new Set(groupIds.filter((g): g is string => g !== undefined)),
    });
    const somePeople = (max: number) =>
      Array.from({ length: intBetween(rng, 0, max) }, () => pick(rng, people).accountId);
    const someTeams = (max: number) =>
      Array.from({ length: intBetween(rng, 0, max) }, () => pick(rng, teams));
    roles.set(ROLE.administrators, actors([lead, ...somePeople(2)], [groupNamed('jira-admins')]));
    roles.set(ROLE.developers, actors(somePeople(8), someTeams(2)));
    roles.set(
      ROLE.users,
      actors(
        [],
        [
          groupNamed(
            projectTypeKey === 'service_desk' ? 'jira-servicemanagement-users' : 'jira-software-users',
          ),
        ],
      ),
    );
    roles.set(ROLE.viewers, actors(somePeople(3), []));
    roles.set(
      ROLE.addons,
      actors(apps.length > 0 ? [pick(rng, apps)] : [], [groupNamed('atlassian-addons-admin')]),
    );
    if (projectTypeKey === 'service_desk') roles.set(ROLE.serviceDeskTeam, actors(somePeople(5), []));
    const key = `${word.slice(0, 3).toUpperCase()}${i}`;
    projects.push({
      id: String(10000 + i),
      key,
      name: `${word} ${i}`,
      projectTypeKey,
      leadAccountId: lead,
      archived: rng() < 0.03,
      roles,
    });
  }
  return projects;
}

function makeProducts(state: SimState): SimProduct[] {
  const siteUrl = `https://${state.siteName}.atlassian.net`;
  return PRODUCTS.map((p) => {
    const used = productUserCount(state, p.key);
    // JSM is exactly full so licence-limit paths are reachable; the others have room.
    const capacity = p.key === 'jira-service-desk' ? used : used + Math.ceil(used * 0.1) + 5;
    return {
      key: p.key,
      name: p.name,
      ari:
        p.key === 'confluence'
          ? `ari:cloud:confluence::site/${state.cloudId}`
          : `ari:cloud:jira::site/${state.cloudId}`,
      url: p.key === 'confluence' ? `${siteUrl}/wiki` : siteUrl,
      plan: p.key === 'jira-software' ? 'premium' : 'standard',
      capacity,
    };
  });
}

function makeApplicationRoles(state: SimState): SimApplicationRole[] {
  const groupId = (name: string) => [...state.groups.values()].find((g) => g.name === name)?.groupId;
  const roles: SimApplicationRole[] = [];
  for (const p of PRODUCTS) {
    if (!p.appKey) continue;
    const capacity = state.products.find((x) => x.key === p.key)?.capacity ?? 0;
    const defaultGroup = groupId(PRODUCT_GROUPS[p.key] ?? '');
    roles.push({
      key: p.appKey,
      name: p.appName,
      productKey: p.key,
      numberOfSeats: capacity,
      hasUnlimitedSeats: false,
      defaultGroupIds: defaultGroup ? [defaultGroup] : [],
      platform: false,
    });
  }
  const core: SimApplicationRole = {
    key: 'jira-core',
    name: 'Jira Work Management',
    productKey: 'jira-core',
    numberOfSeats: 0,
    hasUnlimitedSeats: false,
    defaultGroupIds: [],
    platform: true,
  };
  core.numberOfSeats = applicationRoleUserCount(state, core) + 50;
  return [...roles, core];
}

/** SHA-256 over the whole state in insertion order (itself deterministic), for determinism checks. */
export function hashState(state: SimState): string {
  const hash = createHash('sha256');
  const { accounts, groups, projects, ...rest } = state;
  hash.update(JSON.stringify(rest));
  for (const account of accounts.values()) hash.update(JSON.stringify(account));
  for (const group of groups.values()) hash.update(JSON.stringify({ ...group, members: [...group.members] }));
  for (const project of projects.values()) {
    const roles = [...project.roles].map(([id, a]) => [id, [...a.users], [...a.groups]]);
    hash.update(JSON.stringify({ ...project, roles }));
  }
  return hash.digest('hex');
}
