// Housekeeping of expired sessions and stale login counters (for a scheduled job).
import { expect, it } from 'vitest';
import { authTables } from '../../src/storage/auth-schema.ts';
import { deleteStaleLoginAttempts, recordFailure } from '../../src/storage/login-attempts.ts';
import { createSession, deleteExpiredSessions, findSession } from '../../src/storage/sessions.ts';
import { createUser } from '../../src/storage/users.ts';
import { describeEachDialect } from '../support/databases.ts';
import { PASSWORD } from './harness.ts';

const HOUR = 3_600_000;
const RULE = { maxFailures: 2, windowMs: HOUR / 4, lockMs: HOUR / 4 };

describeEachDialect('auth: housekeeping', ({ getStore }) => {
  it('deletes sessions past their idle or absolute expiry and keeps live ones', async () => {
    const { db } = getStore();
    const user = await createUser(db, {
      email: 'a@example.com',
      displayName: 'A',
      role: 'admin',
      password: PASSWORD,
    });
    const now = new Date('2026-11-23T12:00:00.000Z');
    const live = await createSession(db, user.id, new Date(now.getTime() - HOUR));
    await createSession(db, user.id, new Date(now.getTime() - 13 * HOUR)); // idle too long
    const ancient = await createSession(db, user.id, new Date(now.getTime() - 8 * 24 * HOUR));
    // Kept busy, but past the 7-day cap.
    await authTables(db)
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('csrf_token', '=', ancient.csrfToken)
      .execute();

    expect(await deleteExpiredSessions(db, now)).toBe(2);
    const left = await authTables(db).selectFrom('sessions').select('csrf_token').execute();
    expect(left).toEqual([{ csrf_token: live.csrfToken }]);
    expect((await findSession(db, live.token, now))?.user.id).toBe(user.id);
  });

  it('drops login counters whose window and lock are over', async () => {
    const { db } = getStore();
    const now = new Date('2026-11-23T12:00:00.000Z');
    const earlier = new Date(now.getTime() - HOUR);
    await recordFailure(db, 'email:old@example.com', RULE, earlier);
    await recordFailure(db, 'ip:10.0.0.1', RULE, earlier);
    await recordFailure(db, 'ip:10.0.0.1', RULE, earlier);
    // Locked an hour ago for 15 minutes: stale. A lock still running is kept.
    await recordFailure(db, 'email:locked@example.com', { ...RULE, lockMs: 2 * HOUR }, earlier);
    await recordFailure(db, 'email:locked@example.com', { ...RULE, lockMs: 2 * HOUR }, earlier);
    await recordFailure(db, 'email:recent@example.com', RULE, now);

    expect(await deleteStaleLoginAttempts(db, RULE.windowMs, now)).toBe(2);
    const keys = (
      await authTables(db).selectFrom('login_attempts').select('key').orderBy('key').execute()
    ).map((r) => r.key);
    expect(keys).toEqual(['email:locked@example.com', 'email:recent@example.com']);
  });
});
