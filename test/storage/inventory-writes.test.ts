import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import {
  replaceProducts,
  sweep,
  upsertAccounts,
  upsertGroups,
  upsertMemberships,
  upsertProductAccess,
  upsertProjects,
  upsertRoleActors,
  upsertRoles,
} from '../../src/storage/inventory-writes.ts';
import type { Database } from '../../src/storage/schema.ts';
import { finishRun } from '../../src/storage/sync-runs.ts';
import { describeEachDialect } from '../support/databases.ts';
import { addIntegration, at, beginRun, completeRun, finishBaseline } from './fixtures.ts';

async function history(db: Kysely<Database>, accountId?: string) {
  let query = db
    .selectFrom('account_history')
    .select(['account_id', 'change', 'field', 'old_value', 'new_value'])
    .orderBy('id');
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  return query.execute();
}

async function account(db: Kysely<Database>, accountId: string) {
  return db.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirstOrThrow();
}

describeEachDialect('inventory writes', ({ getStore }) => {
  it('fills one account from two sources without flapping', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    await finishBaseline(db, id);
    const ctx = await beginRun(db, id, at(0));
    // The Jira user list knows type and Jira active flag; the org directory knows status, email, billing.
    const jira = [{ accountId: 'u1', accountType: 'atlassian', displayName: 'Ann', jiraActive: true }];
    const org = [
      {
        accountId: 'u1',
        status: 'active' as const,
        email: 'ann@example.com',
        billable: true,
        lastActive: '2026-11-01T08:00:00Z',
      },
    ];
    expect(await upsertAccounts(db, ctx, jira)).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(await upsertAccounts(db, ctx, org)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const row = await account(db, 'u1');
    expect(row).toMatchObject({
      account_type: 'atlassian',
      display_name: 'Ann',
      jira_active: 1,
      status: 'active',
      email: 'ann@example.com',
      billable: 1,
      last_active: '2026-11-01T08:00:00.000Z',
    });

    // The next run sees the same data from both sources: nothing is written.
    await completeRun(db, ctx);
    const later = await beginRun(db, id, at(1));
    expect(await upsertAccounts(db, later, jira)).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(await upsertAccounts(db, later, org)).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const after = await account(db, 'u1');
    expect(after.updated_at).toBe(at(0));
    expect(after.last_seen_at).toBe(at(0));
    expect(await history(db, 'u1')).toEqual([
      { account_id: 'u1', change: 'added', field: null, old_value: null, new_value: null },
    ]);
  });

  it('two sources writing the same new accounts at the same time keep both sets of fields', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    const ctx = await beginRun(db, id, at(0));
    const ids = Array.from({ length: 200 }, (_, i) => `u${i}`);
    await Promise.all([
      upsertAccounts(
        db,
        ctx,
        ids.map((accountId) => ({ accountId, accountType: 'atlassian', jiraActive: true })),
      ),
      upsertAccounts(
        db,
        ctx,
        ids.map((accountId) => ({ accountId, email: `${accountId}@example.com`, billable: true })),
      ),
    ]);
    const rows = await db
      .selectFrom('accounts')
      .select(['account_type', 'jira_active', 'email', 'billable'])
      .execute();
    expect(rows).toHaveLength(200);
    expect(
      rows.every(
        (r) => r.account_type === 'atlassian' && r.jira_active === 1 && r.billable === 1 && r.email !== null,
      ),
    ).toBe(true);
  });

  it('records added, updated (per field) and restored history, but not on the baseline run', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    const baseline = await beginRun(db, id, at(0));
    await upsertAccounts(db, baseline, [
      { accountId: 'u1', displayName: 'Ann', status: 'active', billable: true },
      { accountId: 'u2', displayName: 'Bob', status: 'active' },
    ]);
    await upsertMemberships(db, baseline, [{ groupId: 'g1', accountId: 'u1' }]);
    expect(await history(db)).toEqual([]);
    await completeRun(db, baseline);

    const run2 = await beginRun(db, id, at(1));
    expect(
      await upsertAccounts(db, run2, [
        { accountId: 'u1', displayName: 'Ann Smith', status: 'inactive', billable: true, lastActive: at(1) },
        { accountId: 'u3', displayName: 'Cy' },
      ]),
    ).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    expect(await sweep(db, run2, ['accounts'])).toMatchObject({ accounts: 1 });
    await completeRun(db, run2);

    expect(await history(db)).toEqual([
      { account_id: 'u3', change: 'added', field: null, old_value: null, new_value: null },
      { account_id: 'u1', change: 'updated', field: 'status', old_value: 'active', new_value: 'inactive' },
      { account_id: 'u1', change: 'updated', field: 'displayName', old_value: 'Ann', new_value: 'Ann Smith' },
      { account_id: 'u2', change: 'removed', field: null, old_value: null, new_value: null },
    ]);
    expect((await account(db, 'u2')).removed_at).toBe(at(1));
    // u1's membership went with nothing: memberships were not swept and u1 stays.
    const membership = await db.selectFrom('group_memberships').selectAll().executeTakeFirstOrThrow();
    expect(membership.removed_at).toBeNull();

    const run3 = await beginRun(db, id, at(2));
    expect(await upsertAccounts(db, run3, [{ accountId: 'u2', displayName: 'Bob' }])).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 0,
    });
    expect((await account(db, 'u2')).removed_at).toBeNull();
    expect((await history(db, 'u2')).map((h) => h.change)).toEqual(['removed', 'restored']);
  });

  it('sweeps only unseen rows, cascades grants of removed accounts, and only when asked', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    const other = await addIntegration(db, 'other');
    await finishBaseline(db, id);
    const otherRun = await beginRun(db, other, at(0));
    await upsertAccounts(db, otherRun, [{ accountId: 'x1' }]);

    const run1 = await beginRun(db, id, at(0));
    await upsertAccounts(db, run1, [{ accountId: 'u1' }, { accountId: 'u2' }, { accountId: 'u3' }]);
    await upsertGroups(db, run1, [
      { groupId: 'g1', name: 'devs' },
      { groupId: 'g2', name: 'ops' },
    ]);
    await upsertMemberships(db, run1, [
      { groupId: 'g1', accountId: 'u1' },
      { groupId: 'g1', accountId: 'u2' },
      { groupId: 'g2', accountId: 'u3' },
    ]);
    await upsertProjects(db, run1, [
      { projectId: '10000', projectKey: 'ABC', name: 'Alpha', leadAccountId: 'u1' },
    ]);
    await upsertRoles(db, run1, [{ roleId: '10002', name: 'Administrators' }]);
    await upsertRoleActors(db, run1, [
      { projectId: '10000', roleId: '10002', actorType: 'user', actorId: 'u2' },
      { projectId: '10000', roleId: '10002', actorType: 'group', actorId: 'g2' },
    ]);
    await replaceProducts(db, run1, [
      { productKey: 'jira-software', seatsTotal: 10 },
      { productKey: 'confluence' },
    ]);
    await upsertProductAccess(db, run1, [
      { accountId: 'u1', productKey: 'jira-software', lastActive: at(-1) },
      { accountId: 'u2', productKey: 'jira-software', lastActive: null },
    ]);
    // Added grants are history on the account.
    expect((await history(db, 'u2')).map((h) => [h.change, h.new_value])).toEqual([
      ['added', null],
      ['group_added', 'g1'],
      ['role_added', '10000:10002'],
      ['product_added', 'jira-software'],
    ]);
    await sweep(db, run1, [
      'accounts',
      'groups',
      'memberships',
      'projects',
      'role_actors',
      'products',
      'product_access',
    ]);
    await completeRun(db, run1);
    const seenAfterSweep = await db
      .selectFrom('sync_seen')
      .select('key')
      .where('run_id', '=', run1.runId)
      .execute();
    expect(seenAfterSweep).toEqual([]);

    // Run 2 no longer sees u2, group g2, the confluence product; it is complete.
    const run2 = await beginRun(db, id, at(1));
    await upsertAccounts(db, run2, [{ accountId: 'u1' }, { accountId: 'u3' }]);
    await upsertGroups(db, run2, [{ groupId: 'g1' }]);
    await upsertMemberships(db, run2, [{ groupId: 'g1', accountId: 'u1' }]);
    await upsertProjects(db, run2, [{ projectId: '10000', leadAccountId: 'u3' }]);
    await upsertRoleActors(db, run2, [
      { projectId: '10000', roleId: '10002', actorType: 'user', actorId: 'u2' },
      { projectId: '10000', roleId: '10002', actorType: 'group', actorId: 'g2' },
    ]);
    await replaceProducts(db, run2, [{ productKey: 'jira-software' }]);
    await upsertProductAccess(db, run2, [
      { accountId: 'u1', productKey: 'jira-software', lastActive: at(-1) },
      { accountId: 'u2', productKey: 'jira-software' },
    ]);
    const counts = await sweep(db, run2, [
      'accounts',
      'groups',
      'memberships',
      'projects',
      'role_actors',
      'products',
      'product_access',
    ]);
    expect(counts).toEqual({
      accounts: 1,
      groups: 1,
      projects: 0,
      memberships: 2,
      role_actors: 2,
      product_access: 1,
      products: 1,
    });

    const present = async (table: 'accounts' | 'group_memberships' | 'role_actors' | 'product_access') =>
      (
        await db
          .selectFrom(table)
          .selectAll()
          .where('integration_id', '=', id)
          .where('removed_at', 'is', null)
          .execute()
      ).length;
    expect(await present('accounts')).toBe(2);
    expect(await present('group_memberships')).toBe(1); // g1/u1: u2 removed, g2 removed
    expect(await present('role_actors')).toBe(0); // user u2 removed, group g2 removed
    expect(await present('product_access')).toBe(1);
    expect(
      (await db.selectFrom('products').select('product_key').where('integration_id', '=', id).execute()).map(
        (p) => p.product_key,
      ),
    ).toEqual(['jira-software']);
    // Products keep fields a later source did not know.
    expect(
      (await db.selectFrom('products').select('seats_total').executeTakeFirstOrThrow()).seats_total,
    ).toBe(10);
    expect((await history(db, 'u2')).slice(4).map((h) => [h.change, h.old_value])).toEqual([
      ['removed', null],
      ['group_removed', 'g1'],
      ['role_removed', '10000:10002'],
      ['product_removed', 'jira-software'],
    ]);
    expect((await history(db, 'u3')).filter((h) => h.change === 'lead_changed')).toEqual([
      { account_id: 'u3', change: 'lead_changed', field: '10000', old_value: 'u1', new_value: 'u3' },
    ]);
    // The other integration is untouched.
    const x1 = await db
      .selectFrom('accounts')
      .selectAll()
      .where('integration_id', '=', other)
      .executeTakeFirstOrThrow();
    expect(x1.removed_at).toBeNull();
  });

  it('a failed run never removes anything, and rows stay until a sweep is asked for', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    const run1 = await beginRun(db, id, at(0));
    await upsertAccounts(db, run1, [{ accountId: 'u1' }, { accountId: 'u2' }]);
    await completeRun(db, run1);
    const run2 = await beginRun(db, id, at(1));
    await upsertAccounts(db, run2, [{ accountId: 'u1' }]);
    await finishRun(db, run2.runId, { status: 'failed', complete: false, now: at(1) });
    await expect(sweep(db, run2, ['accounts'])).rejects.toMatchObject({ code: 'sweep_refused' });
    const run3 = await beginRun(db, id, at(2));
    await upsertAccounts(db, run3, [{ accountId: 'u1' }]);
    await completeRun(db, run3);
    const removed = await db
      .selectFrom('accounts')
      .select('account_id')
      .where('removed_at', 'is not', null)
      .execute();
    expect(removed).toEqual([]);
  });

  it('writes a 1,000-row page in batches and skips unchanged rows', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      accountId: `5570:${String(i).padStart(6, '0')}`,
      displayName: `User ${i}`,
      status: 'active' as const,
      billable: i % 2 === 0,
      lastActive: at(-(i % 200)),
    }));
    const run1 = await beginRun(db, id, at(0));
    let started = performance.now();
    expect(await upsertAccounts(db, run1, rows)).toEqual({ inserted: 1000, updated: 0, unchanged: 0 });
    const insertMs = performance.now() - started;
    await completeRun(db, run1);
    const run2 = await beginRun(db, id, at(1));
    const changed = rows.map((r, i) => (i < 10 ? { ...r, displayName: `Renamed ${i}` } : r));
    started = performance.now();
    expect(await upsertAccounts(db, run2, changed)).toEqual({ inserted: 0, updated: 10, unchanged: 990 });
    const updateMs = performance.now() - started;
    const touched = await db
      .selectFrom('accounts')
      .select('account_id')
      .where('updated_at', '=', at(1))
      .execute();
    expect(touched).toHaveLength(10);
    expect(insertMs).toBeLessThan(2000);
    expect(updateMs).toBeLessThan(2000);
  });
});
