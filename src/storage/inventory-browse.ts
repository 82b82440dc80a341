// Browsing groups and projects for the API and UI. Every list is paged in SQL and aggregates
// (member counts, leads) are computed for the rows of one page only, so the cost follows the page
// size, not the size of the org.
import { sql, type Kysely } from 'kysely';
import { escapeLike, fromFlag, toCount } from './helpers.ts';
import type { AccountView, PageRequest } from './inventory-reads.ts';
import { MAX_PAGE_SIZE, toAccountView } from './inventory-reads.ts';
import type { ActorType, Database } from './schema.ts';

export interface BrowseFilter {
  integrationId?: string;
  /** Case-insensitive substring of the name (groups) or of the key or name (projects). */
  search?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface GroupSummary {
  integrationId: string;
  groupId: string;
  name: string | null;
  description: string | null;
  idpManaged: boolean | null;
  /** Present members. */
  memberCount: number;
}

export interface ProjectLead {
  accountId: string;
  displayName: string | null;
  status: AccountView['status'];
  jiraActive: boolean | null;
}

export interface ProjectSummary {
  integrationId: string;
  projectId: string;
  key: string | null;
  name: string | null;
  projectType: string | null;
  archived: boolean | null;
  lead: ProjectLead | null;
}

export interface RoleActorView {
  actorType: ActorType;
  actorId: string;
  displayName: string | null;
}

export interface ProjectDetail {
  project: ProjectSummary;
  roles: { roleId: string; name: string | null; actors: RoleActorView[] }[];
}

function clampPage(page: PageRequest): PageRequest {
  return {
    limit: Math.min(Math.max(1, Math.floor(page.limit)), MAX_PAGE_SIZE),
    offset: Math.max(0, Math.floor(page.offset)),
  };
}

function likeNeedle(search: string | undefined): string | undefined {
  const text = search?.trim().toLowerCase();
  return text ? `%${escapeLike(text)}%` : undefined;
}

/** Present members per group, for the given groups only (uses the membership primary key). */
async function memberCounts(
  db: Kysely<Database>,
  groups: readonly { integration_id: string; group_id: string }[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (groups.length === 0) return counts;
  const rows = await db
    .selectFrom('group_memberships')
    .select((eb) => ['integration_id', 'group_id', eb.fn.countAll<string | number>().as('n')])
    .where('integration_id', 'in', [...new Set(groups.map((g) => g.integration_id))])
    .where('group_id', 'in', [...new Set(groups.map((g) => g.group_id))])
    .where('removed_at', 'is', null)
    .groupBy(['integration_id', 'group_id'])
    .execute();
  for (const row of rows) counts.set(`${row.integration_id} ${row.group_id}`, toCount(row.n));
  return counts;
}

function toGroupSummary(
  row: {
    integration_id: string;
    group_id: string;
    name: string | null;
    description: string | null;
    idp_managed: 0 | 1 | null;
  },
  counts: Map<string, number>,
): GroupSummary {
  return {
    integrationId: row.integration_id,
    groupId: row.group_id,
    name: row.name,
    description: row.description,
    idpManaged: fromFlag(row.idp_managed),
    memberCount: counts.get(`${row.integration_id} ${row.group_id}`) ?? 0,
  };
}

/** Present groups, by name. */
export async function listGroups(
  db: Kysely<Database>,
  filter: BrowseFilter = {},
  page: PageRequest = { limit: 50, offset: 0 },
): Promise<Page<GroupSummary>> {
  const { limit, offset } = clampPage(page);
  const needle = likeNeedle(filter.search);
  let base = db.selectFrom('groups').where('removed_at', 'is', null);
  if (filter.integrationId !== undefined) base = base.where('integration_id', '=', filter.integrationId);
  if (needle !== undefined) base = base.where(sql<boolean>`lower(name) like ${needle} escape '\\'`);
  const [rows, total] = await Promise.all([
    base
      .select(['integration_id', 'group_id', 'name', 'description', 'idp_managed'])
      .orderBy('name')
      .orderBy('group_id')
      .orderBy('integration_id')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
  ]);
  const counts = await memberCounts(db, rows);
  return { items: rows.map((r) => toGroupSummary(r, counts)), total: toCount(total?.n) };
}

export async function getGroup(
  db: Kysely<Database>,
  integrationId: string,
  groupId: string,
): Promise<GroupSummary | undefined> {
  const row = await db
    .selectFrom('groups')
    .select(['integration_id', 'group_id', 'name', 'description', 'idp_managed'])
    .where('integration_id', '=', integrationId)
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  return row ? toGroupSummary(row, await memberCounts(db, [row])) : undefined;
}

/** Present members of one group, by display name. */
export async function listGroupMembers(
  db: Kysely<Database>,
  integrationId: string,
  groupId: string,
  page: PageRequest = { limit: 50, offset: 0 },
): Promise<Page<AccountView>> {
  const { limit, offset } = clampPage(page);
  const base = db
    .selectFrom('group_memberships as gm')
    .innerJoin('accounts as a', (j) =>
      j.onRef('a.integration_id', '=', 'gm.integration_id').onRef('a.account_id', '=', 'gm.account_id'),
    )
    .where('gm.integration_id', '=', integrationId)
    .where('gm.group_id', '=', groupId)
    .where('gm.removed_at', 'is', null)
    .where('a.removed_at', 'is', null);
  const [rows, total] = await Promise.all([
    base
      .selectAll('a')
      .orderBy('a.display_name', (ob) => ob.asc().nullsLast())
      .orderBy('a.account_id')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
  ]);
  return { items: rows.map(toAccountView), total: toCount(total?.n) };
}

function projectsWithLead(db: Kysely<Database>) {
  return db
    .selectFrom('projects as p')
    .leftJoin('accounts as a', (j) =>
      j.onRef('a.integration_id', '=', 'p.integration_id').onRef('a.account_id', '=', 'p.lead_account_id'),
    )
    .select([
      'p.integration_id',
      'p.project_id',
      'p.project_key',
      'p.name',
      'p.project_type',
      'p.archived',
      'p.lead_account_id',
      'a.display_name as lead_display_name',
      'a.status as lead_status',
      'a.jira_active as lead_jira_active',
    ]);
}

type ProjectRow = Awaited<ReturnType<ReturnType<typeof projectsWithLead>['execute']>>[number];

function toProjectSummary(row: ProjectRow): ProjectSummary {
  return {
    integrationId: row.integration_id,
    projectId: row.project_id,
    key: row.project_key,
    name: row.name,
    projectType: row.project_type,
    archived: fromFlag(row.archived),
    lead:
      row.lead_account_id === null
        ? null
        : {
            accountId: row.lead_account_id,
            displayName: row.lead_display_name,
            status: row.lead_status,
            jiraActive: fromFlag(row.lead_jira_active),
          },
  };
}

/** Present projects, by key. */
export async function listProjects(
  db: Kysely<Database>,
  filter: BrowseFilter = {},
  page: PageRequest = { limit: 50, offset: 0 },
): Promise<Page<ProjectSummary>> {
  const { limit, offset } = clampPage(page);
  const needle = likeNeedle(filter.search);
  let base = db.selectFrom('projects as p').where('p.removed_at', 'is', null);
  if (filter.integrationId !== undefined) base = base.where('p.integration_id', '=', filter.integrationId);
  if (needle !== undefined) {
    base = base.where((eb) =>
      eb.or([
        sql<boolean>`lower(p.project_key) like ${needle} escape '\\'`,
        sql<boolean>`lower(p.name) like ${needle} escape '\\'`,
      ]),
    );
  }
  const [keys, total] = await Promise.all([
    base
      .select(['p.integration_id', 'p.project_id'])
      .orderBy('p.project_key')
      .orderBy('p.project_id')
      .orderBy('p.integration_id')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
  ]);
  if (keys.length === 0) return { items: [], total: toCount(total?.n) };
  const rows = await projectsWithLead(db)
    .where('p.integration_id', 'in', [...new Set(keys.map((k) => k.integration_id))])
    .where(
      'p.project_id',
      'in',
      keys.map((k) => k.project_id),
    )
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.integration_id} ${r.project_id}`, r]));
  const items = keys.flatMap((k) => {
    const row = byKey.get(`${k.integration_id} ${k.project_id}`);
    return row ? [toProjectSummary(row)] : [];
  });
  return { items, total: toCount(total?.n) };
}

/** One project with its present role actors, grouped by role and named. */
export async function getProjectDetail(
  db: Kysely<Database>,
  integrationId: string,
  projectId: string,
): Promise<ProjectDetail | undefined> {
  const row = await projectsWithLead(db)
    .where('p.integration_id', '=', integrationId)
    .where('p.project_id', '=', projectId)
    .executeTakeFirst();
  if (!row) return undefined;
  const actors = await db
    .selectFrom('role_actors as ra')
    .leftJoin('roles as r', (j) =>
      j.onRef('r.integration_id', '=', 'ra.integration_id').onRef('r.role_id', '=', 'ra.role_id'),
    )
    .leftJoin('accounts as a', (j) =>
      j
        .onRef('a.integration_id', '=', 'ra.integration_id')
        .onRef('a.account_id', '=', 'ra.actor_id')
        .on('ra.actor_type', '=', 'user'),
    )
    .leftJoin('groups as g', (j) =>
      j
        .onRef('g.integration_id', '=', 'ra.integration_id')
        .onRef('g.group_id', '=', 'ra.actor_id')
        .on('ra.actor_type', '=', 'group'),
    )
    .select([
      'ra.role_id',
      'r.name as role_name',
      'ra.actor_type',
      'ra.actor_id',
      'a.display_name',
      'g.name as group_name',
    ])
    .where('ra.integration_id', '=', integrationId)
    .where('ra.project_id', '=', projectId)
    .where('ra.removed_at', 'is', null)
    .execute();
  const roles = new Map<string, ProjectDetail['roles'][number]>();
  for (const a of actors) {
    const role = roles.get(a.role_id) ?? { roleId: a.role_id, name: a.role_name, actors: [] };
    role.actors.push({
      actorType: a.actor_type,
      actorId: a.actor_id,
      displayName: a.actor_type === 'user' ? a.display_name : a.group_name,
    });
    roles.set(a.role_id, role);
  }
  const byName = (x: string | null, y: string | null): number => (x ?? '').localeCompare(y ?? '');
  const sorted = [...roles.values()].sort(
    (x, y) => byName(x.name, y.name) || x.roleId.localeCompare(y.roleId),
  );
  for (const role of sorted) {
    role.actors.sort(
      (x, y) =>
        x.actorType.localeCompare(y.actorType) ||
        byName(x.displayName, y.displayName) ||
        x.actorId.localeCompare(y.actorId),
    );
  }
  return { project: toProjectSummary(row), roles: sorted };
}
