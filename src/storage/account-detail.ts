// One account in full: identity, groups, project roles (direct or through a group), products
// with last active, projects it leads, and its history.
import type { Kysely } from 'kysely';
import { fromFlag } from './helpers.ts';
import { toAccountView, type AccountView } from './inventory-reads.ts';
import type { Database, HistoryChange } from './schema.ts';

export interface HistoryEntry {
  id: number;
  runId: string | null;
  changedAt: string;
  change: HistoryChange;
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
  /** 'direct' or through membership of `groupId`. */
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
  /** Newest first, at most `historyLimit` entries. */
  history: HistoryEntry[];
}

export async function getAccountDetail(
  db: Kysely<Database>,
  integrationId: string,
  accountId: string,
  historyLimit = 200,
): Promise<AccountDetail | undefined> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return undefined;

  const groups = await db
    .selectFrom('group_memberships as gm')
    .leftJoin('groups as g', (j) =>
      j.onRef('g.integration_id', '=', 'gm.integration_id').onRef('g.group_id', '=', 'gm.group_id'),
    )
    .select(['gm.group_id', 'g.name', 'g.idp_managed'])
    .where('gm.integration_id', '=', integrationId)
    .where('gm.account_id', '=', accountId)
    .where('gm.removed_at', 'is', null)
    .orderBy('g.name')
    .execute();

  const roleBase = db
    .selectFrom('role_actors as ra')
    .leftJoin('projects as p', (j) =>
      j.onRef('p.integration_id', '=', 'ra.integration_id').onRef('p.project_id', '=', 'ra.project_id'),
    )
    .leftJoin('roles as r', (j) =>
      j.onRef('r.integration_id', '=', 'ra.integration_id').onRef('r.role_id', '=', 'ra.role_id'),
    )
    .where('ra.integration_id', '=', integrationId)
    .where('ra.removed_at', 'is', null);
  const direct = await roleBase
    .select(['ra.project_id', 'p.project_key', 'p.name as project_name', 'ra.role_id', 'r.name as role_name'])
    .where('ra.actor_type', '=', 'user')
    .where('ra.actor_id', '=', accountId)
    .execute();
  const viaGroup = await roleBase
    .innerJoin('group_memberships as gm', (j) =>
      j.onRef('gm.integration_id', '=', 'ra.integration_id').onRef('gm.group_id', '=', 'ra.actor_id'),
    )
    .leftJoin('groups as g', (j) =>
      j.onRef('g.integration_id', '=', 'gm.integration_id').onRef('g.group_id', '=', 'gm.group_id'),
    )
    .select([
      'ra.project_id',
      'p.project_key',
      'p.name as project_name',
      'ra.role_id',
      'r.name as role_name',
      'gm.group_id',
      'g.name as group_name',
    ])
    .where('ra.actor_type', '=', 'group')
    .where('gm.account_id', '=', accountId)
    .where('gm.removed_at', 'is', null)
    .execute();

  const products = await db
    .selectFrom('product_access as pa')
    .leftJoin('products as pr', (j) =>
      j.onRef('pr.integration_id', '=', 'pa.integration_id').onRef('pr.product_key', '=', 'pa.product_key'),
    )
    .select(['pa.product_key', 'pr.name', 'pa.last_active'])
    .where('pa.integration_id', '=', integrationId)
    .where('pa.account_id', '=', accountId)
    .where('pa.removed_at', 'is', null)
    .orderBy('pa.product_key')
    .execute();

  const leadOf = await db
    .selectFrom('projects')
    .select(['project_id', 'project_key', 'name'])
    .where('integration_id', '=', integrationId)
    .where('lead_account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .orderBy('project_key')
    .execute();

  const history = await db
    .selectFrom('account_history')
    .select(['id', 'run_id', 'changed_at', 'change', 'field', 'old_value', 'new_value'])
    .where('integration_id', '=', integrationId)
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(historyLimit)
    .execute();

  const projectRoles: ProjectRoleGrant[] = [
    ...direct.map((r) => ({ ...roleGrant(r), via: 'direct' as const, groupId: null, groupName: null })),
    ...viaGroup.map((r) => ({
      ...roleGrant(r),
      via: 'group' as const,
      groupId: r.group_id,
      groupName: r.group_name,
    })),
  ].sort((a, b) =>
    `${a.projectKey ?? a.projectId} ${a.roleName ?? ''}`.localeCompare(
      `${b.projectKey ?? b.projectId} ${b.roleName ?? ''}`,
    ),
  );

  return {
    account: toAccountView(row),
    groups: groups.map((g) => ({ groupId: g.group_id, name: g.name, idpManaged: fromFlag(g.idp_managed) })),
    projectRoles,
    products: products.map((p) => ({ productKey: p.product_key, name: p.name, lastActive: p.last_active })),
    leadOf: leadOf.map((p) => ({ projectId: p.project_id, projectKey: p.project_key, name: p.name })),
    history: history.map((h) => ({
      id: h.id,
      runId: h.run_id,
      changedAt: h.changed_at,
      change: h.change,
      field: h.field,
      oldValue: h.old_value,
      newValue: h.new_value,
    })),
  };
}

function roleGrant(r: {
  project_id: string;
  project_key: string | null;
  project_name: string | null;
  role_id: string;
  role_name: string | null;
}) {
  return {
    projectId: r.project_id,
    projectKey: r.project_key,
    projectName: r.project_name,
    roleId: r.role_id,
    roleName: r.role_name,
  };
}
