// The items of an offboarding, from the inventory: leave every group, then every project role
// held directly, then suspend (directory) or deactivate (managed account, platform-wide). Each
// item still runs its own pre-flight, so an IdP-managed group is refused on its own line.
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import type { NewItem } from './engine.ts';

export class UnknownAccountError extends Error {
  readonly code = 'account_not_found';
  constructor(accountId: string) {
    super(`Account ${accountId} is not in the inventory of this integration; run a sync first`);
  }
}

export async function offboardingItems(
  db: Kysely<Database>,
  integrationId: string,
  accountId: string,
  deactivate: boolean,
): Promise<NewItem[]> {
  const account = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('integration_id', '=', integrationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!account) throw new UnknownAccountError(accountId);
  const groups = await db
    .selectFrom('group_memberships')
    .select('group_id')
    .where('integration_id', '=', integrationId)
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .orderBy('group_id')
    .execute();
  const roles = await db
    .selectFrom('role_actors as ra')
    .leftJoin('projects as p', (join) =>
      join.onRef('p.integration_id', '=', 'ra.integration_id').onRef('p.project_id', '=', 'ra.project_id'),
    )
    .select(['ra.project_id', 'p.project_key', 'ra.role_id'])
    .where('ra.integration_id', '=', integrationId)
    .where('ra.actor_type', '=', 'user')
    .where('ra.actor_id', '=', accountId)
    .where('ra.removed_at', 'is', null)
    .orderBy('ra.project_id')
    .orderBy('ra.role_id')
    .execute();
  return [
    ...groups.map((g): NewItem => ({ action: 'removeFromGroup', input: { groupId: g.group_id, accountId } })),
    ...roles.map((r): NewItem => ({
      action: 'removeRoleActor',
      input: { project: r.project_key ?? r.project_id, role: r.role_id, accountId },
    })),
    deactivate ? { action: 'deactivate', input: { accountId } } : { action: 'suspend', input: { accountId } },
  ];
}
