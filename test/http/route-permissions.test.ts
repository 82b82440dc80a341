// Every registered route × every role: anonymous callers get 401 and roles outside the route's
// permission get 403, exactly as PERMISSIONS says; everyone else gets past the guard.
import type { InjectOptions, RouteOptions } from 'fastify';
import { expect, it } from 'vitest';
import { PERMISSIONS, type Permission, type RoutePermission } from '../../src/http/auth/permissions.ts';
import { routesOf } from '../../src/http/server.ts';
import { describeEachDialect } from '../support/databases.ts';
import { call, callersOfEveryRole, signIn, startTestServer, type Caller } from './support.ts';

type Expected = 'allowed' | 401 | 403;

function expectedFor(permission: RoutePermission, caller: Caller): Expected {
  if (permission === 'public') return 'allowed';
  if (caller.role === 'anonymous') return 401;
  if (permission === 'authenticated') return 'allowed';
  return PERMISSIONS[permission].includes(caller.role) ? 'allowed' : 403;
}

/** A concrete URL for a route pattern: every parameter becomes a value that names nothing. */
function concreteUrl(pattern: string): string {
  return pattern.replace(/:[A-Za-z]+/g, 'no-such-thing').replace(/\*$/, 'some/page');
}

type Method = NonNullable<InjectOptions['method']>;

function methodsOf(route: RouteOptions): Method[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map(
    (m) => String(m).toUpperCase() as Method,
  );
}

describeEachDialect('route × role matrix', ({ getStore, getDataDir }) => {
  it('enforces PERMISSIONS on every registered route', async () => {
    const t = await startTestServer(getStore(), getDataDir());
    try {
      const routes = routesOf(t.server);
      const apiRoutes = routes.filter((r) => r.url.startsWith('/api/v1/'));
      // The contract's areas are all there, and every route declared a permission.
      for (const area of [
        'integrations',
        'accounts',
        'groups',
        'projects',
        'licenses',
        'runs',
        'settings',
        'auth',
        'users',
        'tokens',
      ]) {
        expect(
          apiRoutes.some((r) => r.url.startsWith(`/api/v1/${area}`)),
          area,
        ).toBe(true);
      }
      const callers = await callersOfEveryRole(t.server, t.app);
      const checked = new Set<Permission | 'public' | 'authenticated'>();
      let cases = 0;
      for (const route of routes) {
        const permission = route.config?.permission;
        expect(permission, `${route.url} declares a permission`).toBeDefined();
        if (permission === undefined) continue;
        checked.add(permission);
        for (const method of methodsOf(route)) {
          if (method === 'HEAD' || method === 'OPTIONS') continue;
          // Logging out ends the caller's session: use fresh sessions for it.
          const who =
            route.url === '/api/v1/auth/logout' ? await callersOfEveryRole(t.server, t.app) : callers;
          for (const caller of who) {
            const response = await call(t.server, caller, {
              method,
              url: concreteUrl(route.url),
              ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
            });
            const expected = expectedFor(permission, caller);
            const where = `${method} ${route.url} as ${caller.role}`;
            expect(response.statusCode, `${where}: ${response.body}`).toBeLessThan(500);
            if (expected === 'allowed') {
              expect([401, 403], `${where}: ${response.body}`).not.toContain(response.statusCode);
            } else {
              expect(response.statusCode, `${where}: ${response.body}`).toBe(expected);
              expect(response.json<{ error: { code: string } }>().error.code).toBe(
                expected === 401 ? 'unauthenticated' : 'forbidden',
              );
            }
            cases += 1;
          }
        }
      }
      // Every permission in the table guards at least one route.
      for (const permission of Object.keys(PERMISSIONS))
        expect(checked.has(permission as Permission), permission).toBe(true);
      expect(cases).toBeGreaterThan(150);
    } finally {
      await t.close();
    }
  });

  it('refuses a cookie session without the CSRF token on unsafe methods, and accepts API tokens without it', async () => {
    const t = await startTestServer(getStore(), getDataDir());
    try {
      const admin = await signIn(t.server, t.app, 'admin');
      const noCsrf = { cookie: admin.headers.cookie ?? '' };
      const put = {
        method: 'PUT' as const,
        url: '/api/v1/settings/seat-prices',
        payload: { prices: { 'jira-software': 7.5 } },
      };
      const refused = await t.server.inject({ ...put, headers: noCsrf });
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
      expect((await t.server.inject({ ...put, headers: admin.headers })).statusCode).toBe(200);

      const created = await t.server.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: admin.headers,
        payload: { name: 'ci' },
      });
      expect(created.statusCode).toBeLessThan(300);
      const token = created.json<{ token: string }>().token;
      const withToken = await t.server.inject({ ...put, headers: { authorization: `Bearer ${token}` } });
      expect(withToken.statusCode).toBe(200);
      const badToken = await t.server.inject({
        ...put,
        headers: { authorization: 'Bearer swt_not-a-real-token' },
      });
      expect(badToken.statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});
