// Mirrors a change Atlassian confirmed (by a provisioning action) in the local inventory, inside the transaction that records
// the item's outcome and its audit event, so the inventory shows it at once without a sync.
// Rows follow the sync's conventions: `removed_at` set = gone, 0/1 flags, ISO times.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AccountStatus, ActorType, Database, HistoryChange, MembershipStatus } from './schema.ts';

/** Where a confirmed change is written: the caller's transaction, for one integration, at one time. */
export interface GrantScope {
  trx: Kysely<Database> | Transaction<Database>;
  integrationId: string;
  now: string;
}

async function history(
  ctx: GrantScope,
  accountId: string,
  change: HistoryChange,
  field: string | null,
  oldValue: string | null,
  newValue: string | null,
): Promise<void> {
  await ctx.trx
    .insertInto('account_history')
    .values({
      integration_id: ctx.integrationId,
      account_id: accountId,
      run_id: null,
      changed_at: ctx.now,
      change,
      field,
      old_value: oldValue,
      new_value: newValue,
    })
    .execute();
}

type GrantTable = 'group_memberships' | 'product_access' | 'role_actors';

/** `column = value and …` for the given columns. */
function matching(columns: Readonly<Record<string, string>>) {
  return sql.join(
    Object.entries(columns).map(([column, value]) => sql`${sql.ref(column)} = ${value}`),
    sql` and `,
  );
}

/** Marks this integration's present rows matching `where` removed (as of the scope's time). */
async function markRemoved(
  ctx: GrantScope,
  table: GrantTable | 'groups',
  where: Readonly<Record<string, string>>,
): Promise<void> {
  await sql`update ${sql.table(table)} set removed_at = ${ctx.now}
    where ${matching({ integration_id: ctx.integrationId, ...where })} and removed_at is null`.execute(
    ctx.trx,
  );
}

/**
 * Makes one grant row present (inserted, or its removal undone) or removed. Returns false when it
 * already was in that state: an idempotent repeat changes nothing and records no history.
 */
async function setGrantRow(
  ctx: GrantScope,
  table: GrantTable,
  key: Readonly<Record<string, string>>,
  present: boolean,
  insertExtra: Readonly<Record<string, string | null>> = {},
): Promise<boolean> {
  const fullKey = { integration_id: ctx.integrationId, ...key };
  const where = matching(fullKey);
  const found = await sql<{
    removed_at: string | null;
  }>`select removed_at from ${sql.table(table)} where ${where}`.execute(ctx.trx);
  const row = found.rows[0];
  if ((row !== undefined && row.removed_at === null) === present) return false;
  if (!present) {
    await markRemoved(ctx, table, key);
  } else if (row) {
    await sql`update ${sql.table(table)} set removed_at = null where ${where}`.execute(ctx.trx);
  } else {
    const values: Record<string, string | null> = {
      ...fullKey,
      ...insertExtra,
      first_seen_at: ctx.now,
      removed_at: null,
    };
    await sql`insert into ${sql.table(table)} (${sql.join(Object.keys(values).map((c) => sql.ref(c)))})
      values (${sql.join(Object.values(values))})`.execute(ctx.trx);
  }
  return true;
}

export async function setMembership(
  ctx: GrantScope,
  groupId: string,
  accountId: string,
  present: boolean,
): Promise<void> {
  const key = { group_id: groupId, account_id: accountId };
  // Already in the target state (an idempotent repeat): no change, no history.
  if (!(await setGrantRow(ctx, 'group_memberships', key, present))) return;
  await history(
    ctx,
    accountId,
    present ? 'group_added' : 'group_removed',
    'group',
    present ? null : groupId,
    present ? groupId : null,
  );
}

export async function setRoleActor(
  ctx: GrantScope,
  actor: { projectId: string; roleId: string; actorType: ActorType; actorId: string },
  present: boolean,
): Promise<void> {
  const key = {
    project_id: actor.projectId,
    role_id: actor.roleId,
    actor_type: actor.actorType,
    actor_id: actor.actorId,
  };
  if (!(await setGrantRow(ctx, 'role_actors', key, present))) return;
  if (actor.actorType === 'user') {
    const value = `${actor.projectId}:${actor.roleId}`;
    await history(
      ctx,
      actor.actorId,
      present ? 'role_added' : 'role_removed',
      'role',
      present ? null : value,
      present ? value : null,
    );
  }
}

export interface AccountPatch {
  status?: AccountStatus;
  membershipStatus?: MembershipStatus;
  jiraActive?: boolean;
  inDirectory?: boolean;
}

/** Updates the account row (when the inventory has one) and recomputes whether it holds a seat. */
export async function patchAccount(ctx: GrantScope, accountId: string, patch: AccountPatch): Promise<void> {
  const before = await ctx.trx
    .selectFrom('accounts')
    .select(['status', 'membership_status'])
    .where('integration_id', '=', ctx.integrationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!before) return;
  await ctx.trx
    .updateTable('accounts')
    .set({
      ...(patch.status === undefined ? {} : { status: patch.status }),
      ...(patch.membershipStatus === undefined ? {} : { membership_status: patch.membershipStatus }),
      ...(patch.jiraActive === undefined ? {} : { jira_active: patch.jiraActive ? 1 : 0 }),
      ...(patch.inDirectory === undefined ? {} : { in_directory: patch.inDirectory ? 1 : 0 }),
      updated_at: ctx.now,
    })
    .where('integration_id', '=', ctx.integrationId)
    .where('account_id', '=', accountId)
    .execute();
  if (patch.status !== undefined && patch.status !== before.status) {
    await history(ctx, accountId, 'updated', 'status', before.status, patch.status);
  }
  if (patch.membershipStatus !== undefined && patch.membershipStatus !== before.membership_status) {
    await history(
      ctx,
      accountId,
      'updated',
      'membership_status',
      before.membership_status,
      patch.membershipStatus,
    );
  }
  await recomputeBillable(ctx, accountId);
}

/** Billable = active, not suspended, and holding at least one product (the sync's rule). */
async function recomputeBillable(ctx: GrantScope, accountId: string): Promise<void> {
  const account = await ctx.trx
    .selectFrom('accounts')
    .select(['status', 'membership_status'])
    .where('integration_id', '=', ctx.integrationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!account) return;
  const product = await ctx.trx
    .selectFrom('product_access')
    .select('product_key')
    .where('integration_id', '=', ctx.integrationId)
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  const billable =
    account.status === 'active' && account.membership_status !== 'suspended' && product !== undefined;
  await ctx.trx
    .updateTable('accounts')
    .set({ billable: billable ? 1 : 0 })
    .where('integration_id', '=', ctx.integrationId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function setProductAccess(
  ctx: GrantScope,
  accountId: string,
  productKey: string,
  present: boolean,
): Promise<void> {
  const key = { account_id: accountId, product_key: productKey };
  if (!(await setGrantRow(ctx, 'product_access', key, present, { last_active: null }))) return;
  await history(
    ctx,
    accountId,
    present ? 'product_added' : 'product_removed',
    'product',
    present ? null : productKey,
    present ? productKey : null,
  );
  await recomputeBillable(ctx, accountId);
}

/** Groups, project roles and (optionally only Jira's) products: what leaving a directory or a site removes. */
export async function detachAccount(
  ctx: GrantScope,
  accountId: string,
  products: 'all' | 'jira',
): Promise<void> {
  await markRemoved(ctx, 'group_memberships', { account_id: accountId });
  await markRemoved(ctx, 'role_actors', { actor_type: 'user', actor_id: accountId });
  let access = ctx.trx
    .updateTable('product_access')
    .set({ removed_at: ctx.now })
    .where('integration_id', '=', ctx.integrationId)
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null);
  if (products === 'jira') access = access.where('product_key', 'like', 'jira-%');
  await access.execute();
  await recomputeBillable(ctx, accountId);
}

export async function insertAccount(
  ctx: GrantScope,
  account: { accountId: string; email: string; displayName: string | null; managed: boolean | null },
): Promise<void> {
  await ctx.trx
    .insertInto('accounts')
    .values({
      integration_id: ctx.integrationId,
      account_id: account.accountId,
      account_type: 'atlassian',
      app_type: null,
      status: 'active',
      membership_status: 'active',
      jira_active: 1,
      managed: account.managed === null ? null : account.managed ? 1 : 0,
      billable: 0,
      email: account.email,
      display_name: account.displayName,
      last_active: null,
      in_directory: null,
      first_seen_at: ctx.now,
      last_seen_at: ctx.now,
      removed_at: null,
      updated_at: ctx.now,
    })
    .onConflict((oc) =>
      oc.columns(['integration_id', 'account_id']).doUpdateSet({ removed_at: null, updated_at: ctx.now }),
    )
    .execute();
  await history(ctx, account.accountId, 'added', null, null, null);
}

export async function upsertGroup(ctx: GrantScope, group: { groupId: string; name: string }): Promise<void> {
  await ctx.trx
    .insertInto('groups')
    .values({
      integration_id: ctx.integrationId,
      group_id: group.groupId,
      name: group.name,
      description: null,
      idp_managed: 0,
      first_seen_at: ctx.now,
      removed_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['integration_id', 'group_id']).doUpdateSet({ removed_at: null, name: group.name }),
    )
    .execute();
}

/** A deleted group takes its memberships and its role-actor grants with it. */
export async function removeGroup(ctx: GrantScope, groupId: string): Promise<void> {
  await markRemoved(ctx, 'groups', { group_id: groupId });
  await markRemoved(ctx, 'group_memberships', { group_id: groupId });
  await markRemoved(ctx, 'role_actors', { actor_type: 'group', actor_id: groupId });
}
