// The audit chain: any hand edit, removal or reordering is detected and the row named; concurrent
// appenders never fork the chain.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  appendAuditEvent,
  listAuditEvents,
  verifyAuditChain,
  type AuditEventInput,
} from '../../src/storage/audit.ts';
import { describeEachDialect } from '../support/databases.ts';

function event(n: number): AuditEventInput {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    actor: 'alice@example.com',
    via: 'api',
    integrationId: 'int-1',
    action: 'suspend',
    target: `account:acc-${String(n)}`,
    requestId: `req-${String(n)}`,
    outcome: 'succeeded',
    atlassianStatus: 204,
    detail: { n, nested: { b: 1, a: [2, 3] } },
  };
}

describeEachDialect('audit chain', (ctx) => {
  async function seed(count: number): Promise<void> {
    for (let n = 1; n <= count; n += 1) await appendAuditEvent(ctx.getStore().db, event(n));
  }

  const edits: [string, string][] = [
    ['target', "update audit_events set target = 'account:someone-else' where seq = 3"],
    ['outcome', "update audit_events set outcome = 'failed' where seq = 3"],
    ['actor', "update audit_events set actor = 'mallory' where seq = 3"],
    ['atlassian_status', 'update audit_events set atlassian_status = 500 where seq = 3'],
    ['detail', `update audit_events set detail = '{"n":99}' where seq = 3`],
    ['hash recomputed by hand', "update audit_events set hash = 'f' || substr(hash, 2) where seq = 3"],
  ];
  for (const [what, statement] of edits) {
    it(`names the row whose ${what} was edited`, async () => {
      const { db } = ctx.getStore();
      await seed(5);
      expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 5 });
      await sql.raw(statement).execute(db);
      const verdict = await verifyAuditChain(db);
      expect(verdict.ok).toBe(false);
      expect(verdict.firstBad?.seq).toBe(3);
    });
  }

  it('names a removed row', async () => {
    const { db } = ctx.getStore();
    await seed(5);
    await sql`delete from audit_events where seq = 2`.execute(db);
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      checked: 1,
      firstBad: { seq: 2, reason: expect.stringMatching(/missing/) as unknown },
    });
  });

  it('detects a removed last event', async () => {
    const { db } = ctx.getStore();
    await seed(4);
    await sql`delete from audit_events where seq = 4`.execute(db);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, checked: 3, firstBad: { seq: 4 } });
  });

  it('detects two rows swapped (seq renumbered)', async () => {
    const { db } = ctx.getStore();
    await seed(4);
    await sql`update audit_events set seq = 100 where seq = 2`.execute(db);
    await sql`update audit_events set seq = 2 where seq = 3`.execute(db);
    await sql`update audit_events set seq = 3 where seq = 100`.execute(db);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBad: { seq: 2 } });
  });

  it('keeps one unbroken chain under concurrent appenders', async () => {
    const { db } = ctx.getStore();
    await Promise.all(Array.from({ length: 40 }, (_, i) => appendAuditEvent(db, event(i + 1))));
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 40 });
    const events = await listAuditEvents(db, { limit: 1000 });
    expect(new Set(events.map((e) => e.prevHash)).size).toBe(40);
    expect(await listAuditEvents(db, { target: 'acc-7', limit: 5 })).toHaveLength(1);
  });
});
