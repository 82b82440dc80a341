// Bootstrapping the first admin, and the promise that passwords never reach the store or the logs
// in plaintext.
import { beforeEach, expect, it } from 'vitest';
import { pino } from 'pino';
import type { App } from '../../src/app.ts';
import { ensureFirstAdmin, findUserByEmail } from '../../src/http/auth/index.ts';
import { describeEachDialect } from '../support/databases.ts';
import { FAST_BUDGETS, testApp } from '../support/app.ts';
import { asSession, buildServer, dumpAuthTables, login } from './harness.ts';

describeEachDialect('auth: first admin and password secrecy', ({ getStore, getDataDir }) => {
  let appLogs: string[];
  const appWith = (env: NodeJS.ProcessEnv): App => {
    const app = testApp(getStore(), getDataDir(), { ...FAST_BUDGETS, ...env });
    appLogs = [];
    app.logger = pino({ level: 'trace' }, { write: (line: string) => void appLogs.push(line) });
    return app;
  };
  beforeEach(() => {
    appLogs = [];
  });

  it('creates the admin from SEATWARDEN_ADMIN_EMAIL / SEATWARDEN_ADMIN_PASSWORD, once', async () => {
    const password = 'configured admin password';
    const app = appWith({ SEATWARDEN_ADMIN_EMAIL: 'Ops@Example.com', SEATWARDEN_ADMIN_PASSWORD: password });
    expect(await ensureFirstAdmin(app)).toEqual({ created: true, email: 'Ops@Example.com' });
    expect((await findUserByEmail(app.db, 'ops@example.com'))?.role).toBe('admin');
    expect(await ensureFirstAdmin(app)).toEqual({ created: false });

    const { server } = await buildServer(app);
    try {
      await login(server, 'ops@example.com', password);
    } finally {
      await server.close();
    }
    expect(appLogs.join('\n')).not.toContain(password);
  });

  it('otherwise creates admin@localhost with a one-time password that is returned, not logged', async () => {
    const app = appWith({});
    const result = await ensureFirstAdmin(app);
    expect(result).toEqual({
      created: true,
      email: 'admin@localhost',
      oneTimePassword: expect.any(String) as unknown,
    });
    const oneTime = result.oneTimePassword ?? '';
    expect(oneTime.length).toBeGreaterThanOrEqual(20);
    expect(appLogs.some((l) => l.includes('first admin created'))).toBe(true);
    expect(appLogs.join('\n')).not.toContain(oneTime);
    expect(await dumpAuthTables(app)).not.toContain(oneTime);

    const { server } = await buildServer(app);
    try {
      await login(server, 'admin@localhost', oneTime);
    } finally {
      await server.close();
    }
    expect(await ensureFirstAdmin(app)).toEqual({ created: false });
  });

  it('never stores or logs a password in plaintext', async () => {
    const app = appWith({
      SEATWARDEN_ADMIN_EMAIL: 'root@example.com',
      SEATWARDEN_ADMIN_PASSWORD: 'bootstrap secret 123',
    });
    await ensureFirstAdmin(app);
    const { server, logs } = await buildServer(app);
    try {
      const admin = await login(server, 'root@example.com', 'bootstrap secret 123');
      const secret = 'new user password 456';
      const created = await server.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: asSession(admin),
        payload: { email: 'new@example.com', displayName: 'New', role: 'approver', password: secret },
      });
      expect(created.statusCode).toBe(201);
      expect(created.body).not.toContain(secret);
      const wrong = 'a wrong guess 789';
      await server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'new@example.com', password: wrong },
      });
      await login(server, 'new@example.com', secret);

      const stored = await dumpAuthTables(app);
      const everything = [stored, ...logs, ...appLogs].join('\n');
      expect(logs.length).toBeGreaterThan(5);
      for (const plaintext of ['bootstrap secret 123', secret, wrong])
        expect(everything).not.toContain(plaintext);
      expect(stored).toMatch(/scrypt-v1\$15\$8\$1\$/);
    } finally {
      await server.close();
    }
  });
});
