// Name → id lookups for filters typed by people (group names, project keys and role names).
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export async function findGroupIds(
  db: Kysely<Database>,
  nameOrId: string,
  integrationId?: string,
): Promise<string[]> {
  let query = db
    .selectFrom('groups')
    .select('group_id')
    .distinct()
    .where((eb) =>
      eb.or([eb('group_id', '=', nameOrId), eb(eb.fn('lower', ['name']), '=', nameOrId.toLowerCase())]),
    )
    .where('removed_at', 'is', null);
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  return (await query.execute()).map((row) => row.group_id);
}

export async function findProjectRole(
  db: Kysely<Database>,
  projectKeyOrId: string,
  roleNameOrId: string | undefined,
  integrationId?: string,
): Promise<{ projectId: string; roleId?: string } | undefined> {
  let projects = db
    .selectFrom('projects')
    .select(['project_id', 'integration_id'])
    .where((eb) =>
      eb.or([eb('project_id', '=', projectKeyOrId), eb('project_key', '=', projectKeyOrId.toUpperCase())]),
    )
    .where('removed_at', 'is', null);
  if (integrationId !== undefined) projects = projects.where('integration_id', '=', integrationId);
  const project = await projects.executeTakeFirst();
  if (!project) return undefined;
  if (roleNameOrId === undefined) return { projectId: project.project_id };
  const role = await db
    .selectFrom('roles')
    .select('role_id')
    .where('integration_id', '=', project.integration_id)
    .where((eb) =>
      eb.or([
        eb('role_id', '=', roleNameOrId),
        eb(eb.fn('lower', ['name']), '=', roleNameOrId.toLowerCase()),
      ]),
    )
    .executeTakeFirst();
  return role ? { projectId: project.project_id, roleId: role.role_id } : undefined;
}
