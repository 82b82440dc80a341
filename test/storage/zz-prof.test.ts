import { it } from 'vitest';
import { sql } from 'kysely';
import { listAccounts, licenseSummary } from '../../src/storage/inventory-reads.ts';
import { upsertAccounts, upsertMemberships, upsertProductAccess } from '../../src/storage/inventory-writes.ts';
import { openTestStore } from '../support/databases.ts';
import { addIntegration, at, beginRun, T0 } from './fixtures.ts';
it('prof', async () => {
  const t = await openTestStore('postgres');
  const db = t.store.db;
  const id = await addIntegration(db);
  const ctx = await beginRun(db, id, T0);
  const N = 100000;
  for (let start = 0; start < N; start += 1000) {
    const rows = Array.from({ length: 1000 }, (_, j) => { const i = start + j; return { accountId: `a:${i}`, displayName: `User ${(i * 7919) % N}`, email: `user${i}@example.com`, status: i % 10 === 0 ? 'inactive' as const : 'active' as const, billable: i % 3 !== 0, lastActive: i % 17 === 0 ? null : at(-(i % 365)) }; });
    await upsertAccounts(db, ctx, rows);
    await upsertProductAccess(db, ctx, rows.map((r) => ({ accountId: r.accountId, productKey: 'jira-software', lastActive: r.lastActive })));
    await upsertMemberships(db, ctx, rows.filter((_, j) => j % 4 === 0).map((r) => ({ groupId: 'g-all', accountId: r.accountId })));
  }
  const time = async (name: string, fn: () => Promise<unknown>) => { const s = performance.now(); await fn(); console.log(name, (performance.now() - s).toFixed(0)); };
  await time('first', () => listAccounts(db, { integrationId: id }, { by: 'displayName', direction: 'asc' }, { limit: 50, offset: 0 }));
  await time('filtered', () => listAccounts(db, { integrationId: id, billable: true, inactiveDays: 90, now: T0, productKey: 'jira-software' }, { by: 'lastActive', direction: 'desc' }, { limit: 100, offset: 0 }));
  await time('deep', () => listAccounts(db, { integrationId: id, status: 'active' }, { by: 'displayName', direction: 'asc' }, { limit: 50, offset: 50_000 }));
  await time('search', () => listAccounts(db, { integrationId: id, search: 'user42' }, { by: 'displayName', direction: 'asc' }, { limit: 50, offset: 0 }));
  await time('group', () => listAccounts(db, { integrationId: id, groupId: 'g-all' }, { by: 'email', direction: 'asc' }, { limit: 50, offset: 0 }));
  await time('licenses', () => licenseSummary(db, { integrationId: id, now: T0 }));
  await time('analyze', () => sql`analyze`.execute(db));
  await time('filtered', () => listAccounts(db, { integrationId: id, billable: true, inactiveDays: 90, now: T0, productKey: 'jira-software' }, { by: 'lastActive', direction: 'desc' }, { limit: 100, offset: 0 }));
  await time('group', () => listAccounts(db, { integrationId: id, groupId: 'g-all' }, { by: 'email', direction: 'asc' }, { limit: 50, offset: 0 }));
  await t.cleanup();
}, 600000);
