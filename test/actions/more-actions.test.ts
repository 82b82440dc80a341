// The remaining actions, each for its effect in the simulator and the inventory and for a repeat
// that changes nothing: groups, users, products, directory removal, Jira removal, delete/cancel.
import { afterEach, expect, it } from 'vitest';
import { runAction } from '../../src/actions/service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { person, startWorld, WHO, writeCalls, type World } from './harness.ts';

describeEachDialect('more actions', (ctx) => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.sim.stop();
    world = undefined;
  });

  const act = (kind: string, input: Record<string, unknown>) => {
    if (!world) throw new Error('no world');
    return runAction(world.app, world.integration, { kind, input }, WHO);
  };
  const statuses = async (kind: string, input: Record<string, unknown>) => {
    const first = await act(kind, input);
    const second = await act(kind, input);
    return [first.items[0]?.status, second.items[0]?.status];
  };

  it('creates and deletes a group, creates a user, grants and revokes a product', async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    expect(await statuses('createGroup', { name: 'contractors-2026' })).toEqual(['succeeded', 'skipped']);
    const group = [...sim.state.groups.values()].find((g) => g.name === 'contractors-2026');
    if (!group) throw new Error('group not created');
    const stored = await app.db
      .selectFrom('groups')
      .select(['name', 'removed_at'])
      .where('integration_id', '=', integration.id)
      .where('group_id', '=', group.groupId)
      .executeTakeFirst();
    expect(stored).toEqual({ name: 'contractors-2026', removed_at: null });
    expect(await statuses('deleteGroup', { groupId: group.groupId })).toEqual(['succeeded', 'skipped']);
    expect(sim.state.groups.has(group.groupId)).toBe(false);

    const email = `new.hire@${sim.credentials.adminEmail.split('@')[1] ?? 'example.com'}`;
    expect(await statuses('createUser', { email, products: ['jira-software'] })).toEqual([
      'succeeded',
      'skipped',
    ]);
    const created = [...sim.state.accounts.values()].find((a) => a.email === email);
    if (!created) throw new Error('user not created');
    const row = await app.db
      .selectFrom('accounts')
      .select(['email'])
      .where('integration_id', '=', integration.id)
      .where('account_id', '=', created.accountId)
      .executeTakeFirst();
    expect(row).toEqual({ email });

    const product = sim.state.products.find((p) => p.key === 'confluence') ?? sim.state.products[0];
    if (!product) throw new Error('no product');
    const someone = person(sim, (a) => !a.products.some((p) => p.key === product.key));
    expect(await statuses('grantProduct', { accountId: someone.accountId, productKey: product.key })).toEqual(
      ['succeeded', 'skipped'],
    );
    expect(someone.products.some((p) => p.key === product.key)).toBe(true);
    expect(
      await statuses('revokeProduct', { accountId: someone.accountId, productKey: product.key }),
    ).toEqual(['succeeded', 'skipped']);
    expect(someone.products.some((p) => p.key === product.key)).toBe(false);
    const access = await app.db
      .selectFrom('product_access')
      .select('removed_at')
      .where('integration_id', '=', integration.id)
      .where('account_id', '=', someone.accountId)
      .where('product_key', '=', product.key)
      .executeTakeFirst();
    expect(access?.removed_at).toEqual(expect.any(String));
  });

  it('removes from the directory, removes from Jira, deletes and cancels the deletion', async () => {
    world = await startWorld(ctx);
    const { sim, app, integration } = world;
    const leaver = person(sim);
    expect(await statuses('removeFromDirectory', { accountId: leaver.accountId })).toEqual([
      'succeeded',
      'skipped',
    ]);
    expect(leaver.directoryId).toBeNull();
    const row = await app.db
      .selectFrom('accounts')
      .select(['in_directory', 'billable'])
      .where('integration_id', '=', integration.id)
      .where('account_id', '=', leaver.accountId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ in_directory: 0, billable: 0 });

    const jiraLeaver = person(sim, (a) => a.accountId !== leaver.accountId);
    expect(await statuses('jiraDeleteUser', { accountId: jiraLeaver.accountId })).toEqual([
      'succeeded',
      'skipped',
    ]);
    expect(jiraLeaver.jiraActive).toBe(false);

    const managed = person(
      sim,
      (a) =>
        a.managed &&
        a.managementSource !== 'synced' &&
        a.accountId !== jiraLeaver.accountId &&
        a.accountId !== leaver.accountId,
    );
    expect(await statuses('delete', { accountId: managed.accountId })).toEqual(['succeeded', 'skipped']);
    expect(managed.pendingDeletionSince).not.toBeNull();
    expect(await statuses('cancelDelete', { accountId: managed.accountId })).toEqual([
      'succeeded',
      'skipped',
    ]);
    expect(managed.pendingDeletionSince).toBeNull();
    expect(managed.accountStatus).toBe('active');
    const calls = writeCalls(sim);
    expect(calls['POST /users/:account_id/manage/lifecycle/cancel-delete']).toBe(1);
  });
});
