import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import {
  getAccountDetail,
  inventoryCounts,
  licenseSummary,
  listAccounts,
  type AccountFilter,
} from '../../src/storage/inventory-reads.ts';
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
import { describeEachDialect } from '../support/databases.ts';
import { addIntegration, at, beginRun, completeRun, T0 } from './fixtures.ts';

/** A small org: ann (active, billable, recent), bob (inactive 120 days, billable), cy (never active,
 * billable), dee (customer, not billable), bot (app), gone (removed). */
async function seedOrg(db: Kysely<Database>): Promise<{ id: string; other: string }> {
  const id = await addIntegration(db, 'acme');
  const other = await addIntegration(db, 'other');
  const run = await beginRun(db, id, at(-1));
  await upsertAccounts(db, run, [
    {
      accountId: 'u-ann',
      accountType: 'atlassian',
      status: 'active',
      displayName: 'Ann Archer',
      email: 'ann@acme.test',
      billable: true,
      lastActive: at(-2),
    },
    {
      accountId: 'u-bob',
      accountType: 'atlassian',
      status: 'active',
      displayName: 'Bob Baker',
      email: 'bob@acme.test',
      billable: true,
      lastActive: at(-120),
    },
    {
      accountId: 'u-cy',
      accountType: 'atlassian',
      status: 'inactive',
      displayName: 'Cy Cole',
      billable: true,
      lastActive: null,
    },
    {
      accountId: 'u-dee',
      accountType: 'customer',
      status: 'active',
      displayName: 'Dee 100%_Done',
      billable: false,
      lastActive: at(-200),
    },
    {
      accountId: 'app-bot',
      accountType: 'app',
      appType: 'forge',
      status: 'active',
      displayName: 'Automation bot',
      billable: false,
    },
    {
      accountId: 'u-gone',
      accountType: 'atlassian',
      status: 'closed',
      displayName: 'Gone Gale',
      billable: true,
    },
  ]);
  await upsertGroups(db, run, [
    { groupId: 'g-dev', name: 'developers', idpManaged: true },
    { groupId: 'g-ops', name: 'ops' },
  ]);
  await upsertMemberships(db, run, [
    { groupId: 'g-dev', accountId: 'u-ann' },
    { groupId: 'g-dev', accountId: 'u-bob' },
    { groupId: 'g-ops', accountId: 'u-cy' },
  ]);
  await upsertProjects(db, run, [
    { projectId: '100', projectKey: 'WEB', name: 'Website', leadAccountId: 'u-ann' },
  ]);
  await upsertRoles(db, run, [
    { roleId: '1', name: 'Administrators' },
    { roleId: '2', name: 'Developers' },
  ]);
  await upsertRoleActors(db, run, [
    { projectId: '100', roleId: '1', actorType: 'user', actorId: 'u-ann' },
    { projectId: '100', roleId: '2', actorType: 'group', actorId: 'g-dev' },
  ]);
  await replaceProducts(db, run, [
    { productKey: 'jira-software', name: 'Jira', plan: 'STANDARD', seatsTotal: 10, seatsUsed: 4 },
    { productKey: 'confluence', name: 'Confluence', plan: 'FREE', seatsTotal: null },
  ]);
  await upsertProductAccess(db, run, [
    { accountId: 'u-ann', productKey: 'jira-software', lastActive: at(-2) },
    { accountId: 'u-bob', productKey: 'jira-software', lastActive: at(-120) },
    // Bob used Confluence recently although Jira long ago: per-product activity wins.
    { accountId: 'u-bob', productKey: 'confluence', lastActive: at(-5) },
    { accountId: 'u-cy', productKey: 'jira-software', lastActive: null },
    { accountId: 'u-dee', productKey: 'jira-software', lastActive: at(-200) },
    { accountId: 'u-gone', productKey: 'jira-software' },
  ]);
  await sweep(db, run, []); // nothing asked: nothing removed
  await completeRun(db, run);
  const run2 = await beginRun(db, id, at(0));
  await upsertAccounts(
    db,
    run2,
    ['u-ann', 'u-bob', 'u-cy', 'u-dee', 'app-bot'].map((accountId) => ({ accountId })),
  );
  await sweep(db, run2, ['accounts']);
  await completeRun(db, run2);

  const otherRun = await beginRun(db, other, at(0));
  await upsertAccounts(db, otherRun, [
    { accountId: 'u-zed', displayName: 'Zed', status: 'active', billable: true },
  ]);
  return { id, other };
}

describeEachDialect('inventory reads', ({ getStore }) => {
  it('filters accounts by each criterion', async () => {
    const { db } = getStore();
    const { id } = await seedOrg(db);
    const ids = async (filter: AccountFilter) =>
      (
        await listAccounts(
          db,
          { integrationId: id, now: T0, ...filter },
          { by: 'accountId', direction: 'asc' },
        )
      ).items.map((a) => a.accountId);

    expect(await ids({})).toEqual(['app-bot', 'u-ann', 'u-bob', 'u-cy', 'u-dee']);
    expect(await ids({ includeRemoved: true })).toContain('u-gone');
    expect(await ids({ status: 'inactive' })).toEqual(['u-cy']);
    expect(await ids({ status: ['inactive', 'active'], accountType: 'atlassian' })).toEqual([
      'u-ann',
      'u-bob',
      'u-cy',
    ]);
    expect(await ids({ accountType: ['app', 'customer'] })).toEqual(['app-bot', 'u-dee']);
    expect(await ids({ productKey: 'confluence' })).toEqual(['u-bob']);
    expect(await ids({ productKey: 'jira-software' })).toEqual(['u-ann', 'u-bob', 'u-cy', 'u-dee']);
    expect(await ids({ groupId: 'g-dev' })).toEqual(['u-ann', 'u-bob']);
    expect(await ids({ projectRole: { projectId: '100', roleId: '1' } })).toEqual(['u-ann']);
    expect(await ids({ projectRole: { projectId: '100', roleId: '2' } })).toEqual(['u-ann', 'u-bob']); // via g-dev
    expect(await ids({ projectRole: { projectId: '999' } })).toEqual([]);
    expect(await ids({ inactiveDays: 90 })).toEqual(['u-bob', 'u-dee']);
    expect(await ids({ inactiveDays: 150 })).toEqual(['u-dee']);
    expect(await ids({ neverActive: true })).toEqual(['app-bot', 'u-cy']);
    expect(await ids({ billable: true })).toEqual(['u-ann', 'u-bob', 'u-cy']);
    expect(await ids({ billable: false })).toEqual(['app-bot', 'u-dee']);
    expect(await ids({ billable: true, inactiveDays: 90 })).toEqual(['u-bob']);
    expect(await ids({ search: 'ARCHER' })).toEqual(['u-ann']);
    expect(await ids({ search: 'bob@acme' })).toEqual(['u-bob']);
    expect(await ids({ search: 'u-c' })).toEqual(['u-cy']);
    expect(await ids({ search: '100%_' })).toEqual(['u-dee']); // wildcards are literal
    expect(await ids({ search: '%' })).toEqual(['u-dee']);
  });

  it('sorts, pages, counts and attaches groups and products per page', async () => {
    const { db } = getStore();
    const { id } = await seedOrg(db);
    const byLastActive = await listAccounts(
      db,
      { integrationId: id },
      { by: 'lastActive', direction: 'desc' },
      { limit: 10, offset: 0 },
    );
    // Unknown last-active sorts last in both directions on both dialects; ties break by account id
    // in the sort's own direction (so one index serves the whole order).
    expect(byLastActive.items.map((a) => a.accountId)).toEqual([
      'u-ann',
      'u-bob',
      'u-dee',
      'u-cy',
      'app-bot',
    ]);
    const page = await listAccounts(
      db,
      { integrationId: id },
      { by: 'displayName', direction: 'asc' },
      { limit: 2, offset: 2 },
    );
    expect(page.total).toBe(5);
    expect(page.items.map((a) => a.displayName)).toEqual(['Bob Baker', 'Cy Cole']);
    const bob = page.items[0];
    expect(bob?.groups).toEqual([{ groupId: 'g-dev', name: 'developers' }]);
    expect(bob?.products).toEqual([
      { productKey: 'confluence', lastActive: at(-5) },
      { productKey: 'jira-software', lastActive: at(-120) },
    ]);
    expect(bob).toMatchObject({
      billable: true,
      status: 'active',
      accountType: 'atlassian',
      removedAt: null,
      jiraActive: null,
    });
    // All integrations when none is given.
    expect((await listAccounts(db)).total).toBe(6);
  });

  it('returns an account detail with groups, roles (direct and via group), products, leads and history', async () => {
    const { db } = getStore();
    const { id } = await seedOrg(db);
    const ann = await getAccountDetail(db, id, 'u-ann');
    expect(ann?.account).toMatchObject({
      accountId: 'u-ann',
      displayName: 'Ann Archer',
      email: 'ann@acme.test',
    });
    expect(ann?.groups).toEqual([{ groupId: 'g-dev', name: 'developers', idpManaged: true }]);
    expect(ann?.projectRoles).toEqual([
      {
        projectId: '100',
        projectKey: 'WEB',
        projectName: 'Website',
        roleId: '1',
        roleName: 'Administrators',
        via: 'direct',
        groupId: null,
        groupName: null,
      },
      {
        projectId: '100',
        projectKey: 'WEB',
        projectName: 'Website',
        roleId: '2',
        roleName: 'Developers',
        via: 'group',
        groupId: 'g-dev',
        groupName: 'developers',
      },
    ]);
    expect(ann?.products).toEqual([{ productKey: 'jira-software', name: 'Jira', lastActive: at(-2) }]);
    expect(ann?.leadOf).toEqual([{ projectId: '100', projectKey: 'WEB', name: 'Website' }]);
    const gone = await getAccountDetail(db, id, 'u-gone');
    expect(gone?.account.removedAt).toBe(at(0));
    expect(gone?.history.map((h) => h.change)).toEqual(['product_removed', 'removed']);
    expect(gone?.products).toEqual([]);
    expect(await getAccountDetail(db, id, 'nobody')).toBeUndefined();
  });

  it('summarises licenses per product and plan', async () => {
    const { db } = getStore();
    const { id } = await seedOrg(db);
    const lines = await licenseSummary(db, { integrationId: id, now: T0 });
    expect(lines).toEqual([
      {
        integrationId: id,
        productKey: 'confluence',
        name: 'Confluence',
        plan: 'FREE',
        seatsTotal: null,
        seatsUsed: 1,
        seatsRemaining: null,
        assigned: 1,
        billableAssigned: 1,
        inactiveBillable: 0,
      },
      // bob (120 days) and cy (never) are idle billable seats; dee is idle but not billable.
      {
        integrationId: id,
        productKey: 'jira-software',
        name: 'Jira',
        plan: 'STANDARD',
        seatsTotal: 10,
        seatsUsed: 4,
        seatsRemaining: 6,
        assigned: 4,
        billableAssigned: 3,
        inactiveBillable: 2,
      },
    ]);
    const strict = await licenseSummary(db, { integrationId: id, now: T0, inactiveDays: 1 });
    expect(strict.find((l) => l.productKey === 'jira-software')?.inactiveBillable).toBe(3);
  });

  it('counts present inventory per integration', async () => {
    const { db } = getStore();
    const { id, other } = await seedOrg(db);
    expect(await inventoryCounts(db, id)).toEqual({
      accounts: 5,
      accountsByTypeAndStatus: {
        'atlassian/active': 2,
        'atlassian/inactive': 1,
        'customer/active': 1,
        'app/active': 1,
      },
      groups: 2,
      memberships: 3,
      projects: 1,
      roles: 2,
      roleActors: 2,
      products: 2,
      productAccess: 5,
    });
    expect((await inventoryCounts(db, other)).accounts).toBe(1);
  });
});
