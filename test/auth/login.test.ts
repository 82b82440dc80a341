// Sign-in, sessions and throttling over real HTTP injection against both store dialects.
import { beforeEach, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { authTables } from '../../src/storage/auth-schema.ts';
import { describeEachDialect } from '../support/databases.ts';
import { testApp } from '../support/app.ts';
import { anyString, addUser, asSession, buildServer, login, PASSWORD, type TestServer } from './harness.ts';

describeEachDialect('auth: login and sessions', ({ getStore, getDataDir }) => {
  let app: App;
  let server: TestServer;
  beforeEach(async () => {
    app = testApp(getStore(), getDataDir());
    ({ server } = await buildServer(app));
    return () => server.close();
  });

  const attempt = (email: string, password: string, remoteAddress = '10.0.0.1') =>
    server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

  it('signs in and sets a strict, httpOnly session cookie', async () => {
    const admin = await addUser(app, 'admin');
    const response = await attempt('ADMIN@example.com', PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).toEqual({
      user: {
        id: admin.id,
        email: 'admin@example.com',
        displayName: 'The admin',
        role: 'admin',
        createdAt: admin.createdAt,
      },
      csrfToken: anyString(),
    });
    const cookie = response.cookies.find((c) => c.name === 'sw_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 7 * 86_400 });
    expect(cookie?.secure).toBeFalsy();

    const me = await server.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: `sw_session=${cookie?.value ?? ''}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(body);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    await server.close();
    ({ server } = await buildServer(app, { trustProxy: true }));
    await addUser(app, 'admin');
    const response = await server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'admin@example.com', password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    expect(response.cookies.find((c) => c.name === 'sw_session')?.secure).toBe(true);
  });

  it('refuses a wrong password, an unknown email and a disabled user alike', async () => {
    const user = await addUser(app, 'auditor');
    for (const [email, password] of [
      ['auditor@example.com', 'wrong password!'],
      ['nobody@example.com', PASSWORD],
    ] as const) {
      const response = await attempt(email, password);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: { code: 'invalid_credentials', message: anyString() },
      });
      expect(response.cookies).toHaveLength(0);
    }
    await authTables(app.db).updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
    expect((await attempt('auditor@example.com', PASSWORD)).statusCode).toBe(401);
  });

  it('validates the body', async () => {
    const response = await server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
  });

  it('locks an email after 5 failures with 429 and Retry-After, even for the right password', async () => {
    await addUser(app, 'admin');
    for (let i = 0; i < 5; i++)
      expect((await attempt('admin@example.com', 'nope nope nope')).statusCode).toBe(401);
    // A different IP: the email lock alone applies.
    const locked = await attempt('admin@example.com', PASSWORD, '10.9.9.9');
    expect(locked.statusCode).toBe(429);
    expect(locked.json<{ error: { code: string } }>().error.code).toBe('too_many_attempts');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // Once the lock has expired, the right password works again.
    await authTables(app.db)
      .updateTable('login_attempts')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .execute();
    expect((await attempt('admin@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('resets the email counter after a successful sign-in', async () => {
    await addUser(app, 'admin');
    for (let i = 0; i < 4; i++)
      expect((await attempt('admin@example.com', 'nope nope nope')).statusCode).toBe(401);
    expect((await attempt('admin@example.com', PASSWORD)).statusCode).toBe(200);
    // Without the reset these would be failures 5..8 and the next sign-in would be locked.
    for (let i = 0; i < 4; i++)
      expect((await attempt('admin@example.com', 'nope nope nope')).statusCode).toBe(401);
    expect((await attempt('admin@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('locks a client IP after 20 failures across emails', async () => {
    await addUser(app, 'admin');
    for (let i = 0; i < 20; i++) {
      expect((await attempt(`guess${i}@example.com`, 'nope nope nope', '10.0.0.7')).statusCode).toBe(401);
    }
    expect((await attempt('admin@example.com', PASSWORD, '10.0.0.7')).statusCode).toBe(429);
    expect((await attempt('admin@example.com', PASSWORD, '10.0.0.8')).statusCode).toBe(200);
  });

  it('logout deletes the session row and clears the cookie', async () => {
    await addUser(app, 'approver');
    const session = await login(server, 'approver@example.com');
    const logout = await server.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: asSession(session),
    });
    expect(logout.statusCode).toBe(204);
    const cleared = logout.cookies.find((c) => c.name === 'sw_session');
    expect(cleared?.value).toBe('');
    expect(await authTables(app.db).selectFrom('sessions').selectAll().execute()).toHaveLength(0);
    const me = await server.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: session.cookie },
    });
    expect(me.statusCode).toBe(401);
  });

  it('expires sessions after 12 hours idle and after 7 days in any case', async () => {
    await addUser(app, 'auditor');
    const me = (cookie: string) =>
      server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    const sessions = authTables(app.db);

    const idle = await login(server, 'auditor@example.com');
    expect((await me(idle.cookie)).statusCode).toBe(200);
    await sessions
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 12 * 3_600_000 - 1000).toISOString() })
      .execute();
    expect((await me(idle.cookie)).statusCode).toBe(401);
    expect(await sessions.selectFrom('sessions').selectAll().execute()).toHaveLength(0);

    const old = await login(server, 'auditor@example.com');
    await sessions
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    expect((await me(old.cookie)).statusCode).toBe(401);
  });

  it('stores sessions by hash, never the cookie token', async () => {
    await addUser(app, 'admin');
    const session = await login(server, 'admin@example.com');
    const token = session.cookie.slice('sw_session='.length);
    const rows = await authTables(app.db).selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
