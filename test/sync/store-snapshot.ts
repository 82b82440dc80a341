// Reads what the store holds for one integration, in the same keyed shapes as ./expected.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/storage/schema.ts';
import type { ExpectedAccount } from './expected.ts';

const flag = (value: number | null): boolean | null => (value === null ? null : value === 1);

export async function storeSnapshot(db: Kysely<Database>, integrationId: string) {
  const [accounts, memberships, actors, access, projects] = await Promise.all([
    db
      .selectFrom('accounts')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('removed_at', 'is', null)
      .execute(),
    db
      .selectFrom('group_memberships')
      .select(['group_id', 'account_id'])
      .where('integration_id', '=', integrationId)
      .where('removed_at', 'is', null)
      .execute(),
    db
      .selectFrom('role_actors')
      .select(['project_id', 'role_id', 'actor_type', 'actor_id'])
      .where('integration_id', '=', integrationId)
      .where('removed_at', 'is', null)
      .execute(),
    db
      .selectFrom('product_access')
      .select(['account_id', 'product_key', 'last_active'])
      .where('integration_id', '=', integrationId)
      .where('removed_at', 'is', null)
      .execute(),
    db
      .selectFrom('projects')
      .select(['project_id', 'lead_account_id'])
      .where('integration_id', '=', integrationId)
      .where('removed_at', 'is', null)
      .execute(),
  ]);
  return {
    accounts: new Map<string, ExpectedAccount>(
      accounts.map((a) => [
        a.account_id,
        {
          accountType: a.account_type ?? '',
          status: a.status,
          membershipStatus: a.membership_status,
          email: a.email,
          billable: flag(a.billable),
          lastActive: a.last_active,
        },
      ]),
    ),
    memberships: new Set(memberships.map((m) => `${m.group_id} ${m.account_id}`)),
    roleActors: new Set(actors.map((r) => `${r.project_id} ${r.role_id} ${r.actor_type} ${r.actor_id}`)),
    productAccess: new Map(access.map((p) => [`${p.account_id} ${p.product_key}`, p.last_active])),
    leads: new Map(projects.map((p) => [p.project_id, p.lead_account_id ?? ''])),
  };
}
