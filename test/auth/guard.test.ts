// The permission guard: every route declares a permission, anonymous callers get 401, wrong roles
// 403, and cookie sessions need the CSRF header on unsafe methods while API tokens do not.
import Fastify, { type FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { allowed, PERMISSIONS, registerAuth, ROLES, type Permission } from '../../src/http/auth/index.ts';
import { authTables } from '../../src/storage/auth-schema.ts';
import { describeEachDialect } from '../support/databases.ts';
import { testApp } from '../support/app.ts';
import { anyString, addUser, asSession, buildServer, login, newToken, type TestServer } from './harness.ts';

describe('permissions as data', () => {
  it('matches the contract: admin all, auditor every :read, approver and requester their few', () => {
    const permissions = Object.keys(PERMISSIONS) as Permission[];
    expect(permissions.every((p) => allowed('admin', p))).toBe(true);
    expect(permissions.filter((p) => allowed('auditor', p)).sort()).toEqual(
      permissions.filter((p) => p.endsWith(':read')).sort(),
    );
    expect(permissions.filter((p) => allowed('approver', p)).sort()).toEqual([
      'inventory:read',
      'licenses:read',
      'requests:decide',
      'requests:own',
      'tokens:own',
    ]);
    expect(permissions.filter((p) => allowed('requester', p)).sort()).toEqual(['requests:own', 'tokens:own']);
    expect(ROLES).toEqual(['admin', 'approver', 'requester', 'auditor']);
  });
});

describeEachDialect('auth: guard', ({ getStore, getDataDir }) => {
  let app: App;
  let server: TestServer;
  beforeEach(async () => {
    app = testApp(getStore(), getDataDir());
    ({ server } = await buildServer(app));
    return () => server.close();
  });

  it('lets anyone reach public routes and answers 401 unauthenticated elsewhere', async () => {
    expect((await server.inject({ method: 'GET', url: '/t/public' })).statusCode).toBe(200);
    const anonymous = await server.inject({ method: 'GET', url: '/t/inventory' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: { code: 'unauthenticated', message: anyString() } });
    expect((await server.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    // Fastify's automatic HEAD variant carries the GET route's permission.
    expect((await server.inject({ method: 'HEAD', url: '/t/inventory' })).statusCode).toBe(401);
    const forged = await server.inject({
      method: 'GET',
      url: '/t/inventory',
      headers: { cookie: 'sw_session=made-up' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('answers 403 forbidden when the role lacks the permission', async () => {
    await addUser(app, 'requester');
    await addUser(app, 'auditor');
    const requester = await login(server, 'requester@example.com');
    const auditor = await login(server, 'auditor@example.com');

    const denied = await server.inject({ method: 'GET', url: '/t/inventory', headers: asSession(requester) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ error: { code: string } }>().error.code).toBe('forbidden');

    const read = await server.inject({ method: 'GET', url: '/t/inventory', headers: asSession(auditor) });
    expect(read.statusCode).toBe(200);
    expect(read.json<{ user: { email: string; role: string } }>().user).toMatchObject({
      email: 'auditor@example.com',
      role: 'auditor',
    });
    expect(
      (await server.inject({ method: 'POST', url: '/t/sync', headers: asSession(auditor) })).statusCode,
    ).toBe(403);
    expect(
      (await server.inject({ method: 'GET', url: '/api/v1/users', headers: asSession(auditor) })).statusCode,
    ).toBe(403);
  });

  it('requires the CSRF header on unsafe methods with a cookie session', async () => {
    await addUser(app, 'admin');
    const session = await login(server, 'admin@example.com');
    const post = (headers: Record<string, string>) =>
      server.inject({ method: 'POST', url: '/t/sync', headers });

    for (const headers of [
      { cookie: session.cookie },
      { cookie: session.cookie, 'x-csrf-token': 'wrong' },
    ] as Record<string, string>[]) {
      const refused = await post(headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
    }
    expect((await post(asSession(session))).statusCode).toBe(200);
    // Safe methods need no header.
    expect(
      (await server.inject({ method: 'GET', url: '/t/inventory', headers: { cookie: session.cookie } }))
        .statusCode,
    ).toBe(200);
    // Another session's token does not fit this one.
    const other = await login(server, 'admin@example.com');
    expect((await post({ cookie: session.cookie, 'x-csrf-token': other.csrfToken })).statusCode).toBe(403);
  });

  it('accepts API tokens without CSRF, with the owner role, and never falls back to a cookie', async () => {
    await addUser(app, 'admin');
    await addUser(app, 'approver');
    const admin = await login(server, 'admin@example.com');
    const approver = await login(server, 'approver@example.com');
    const adminToken = await newToken(server, admin);
    const approverToken = await newToken(server, approver);

    const viaToken = await server.inject({
      method: 'POST',
      url: '/t/any',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json()).toEqual({ method: 'token' });
    expect(
      (
        await server.inject({
          method: 'POST',
          url: '/t/sync',
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await server.inject({
          method: 'POST',
          url: '/t/sync',
          headers: { authorization: `Bearer ${approverToken}` },
        })
      ).statusCode,
    ).toBe(403);

    for (const authorization of [
      'Bearer swt_not-a-real-token',
      'Bearer',
      `Bearer ${adminToken.slice(0, -1)}`,
    ]) {
      const bad = await server.inject({
        method: 'POST',
        url: '/t/any',
        headers: { ...asSession(admin), authorization },
      });
      expect(bad.statusCode).toBe(401);
    }
    // Another scheme (Basic from an authenticating proxy) leaves the cookie session in charge.
    const behindProxy = await server.inject({
      method: 'POST',
      url: '/t/any',
      headers: { ...asSession(admin), authorization: 'Basic cHJveHk6cGFzcw==' },
    });
    expect(behindProxy.json()).toEqual({ method: 'session' });
  });

  it('refuses a disabled user’s sessions and tokens', async () => {
    const user = await addUser(app, 'approver');
    const session = await login(server, 'approver@example.com');
    const token = await newToken(server, session);
    await authTables(app.db).updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
    expect(
      (await server.inject({ method: 'GET', url: '/t/inventory', headers: { cookie: session.cookie } }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await server.inject({
          method: 'GET',
          url: '/t/inventory',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('leaves unknown paths to the not-found handler', async () => {
    const response = await server.inject({ method: 'GET', url: '/nowhere' });
    expect(response.statusCode).toBe(404);
  });
});

describe('auth: routes must declare a permission', () => {
  async function serverWith(register: (server: FastifyInstance) => unknown): Promise<FastifyInstance> {
    const server = Fastify();
    // No store is touched: the check happens while routes are added.
    await registerAuth(server, { app: {} as App });
    register(server);
    await server.ready();
    return server;
  }

  it('fails at startup for a route without config.permission, or with an unknown one', async () => {
    await expect(serverWith((s) => s.get('/forgotten', () => 'oops'))).rejects.toThrow(
      /GET \/forgotten must declare config\.permission/,
    );
    await expect(
      serverWith((s) =>
        s.register(
          async (child) => {
            await Promise.resolve();
            child.post('/nested', { config: { permission: 'inventory:write' as Permission } }, () => 'oops');
          },
          { prefix: '/api' },
        ),
      ),
    ).rejects.toThrow(/POST \/api\/nested must declare config\.permission/);
  });

  it('treats routes under /docs (Swagger UI) as public, and accepts declared routes', async () => {
    const server = await serverWith((s) => {
      s.get('/docs/json', () => ({ openapi: '3.1.0' }));
      s.get('/healthz', { config: { permission: 'public' } }, () => ({ status: 'ok' }));
    });
    expect((await server.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'HEAD', url: '/healthz' })).statusCode).toBe(200);
    await server.close();
  });
});
