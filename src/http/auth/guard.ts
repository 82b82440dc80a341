// The two hooks that put every route behind a declared permission:
// - onRoute: refuses, at startup, a route that declares no `config.permission`;
// - onRequest: resolves the caller (bearer API token or session cookie), then enforces the
//   route's permission (401 anonymous, 403 wrong role) and CSRF on cookie sessions.
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { App } from '../../app.ts';
import { findUserByApiToken } from '../../storage/api-tokens.ts';
import { secretsEqual } from '../../storage/credentials.ts';
import { findSession } from '../../storage/sessions.ts';
import type { User } from '../../storage/users.ts';
import { csrfFailed, forbidden, unauthenticated } from './errors.ts';
import { allowed, isRoutePermission } from './permissions.ts';
import type { AuthUser } from './types.ts';

export const SESSION_COOKIE = 'sw_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function toAuthUser(user: User): AuthUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    createdAt: user.createdAt,
  };
}

/**
 * onRoute hook. Routes under `publicPrefixes` (Swagger UI's own routes) are marked 'public';
 * any other route without a valid permission stops the server from starting.
 */
export function requireDeclaredPermission(publicPrefixes: readonly string[]) {
  return (route: RouteOptions): void => {
    const declared: unknown = route.config?.permission;
    if (
      declared === undefined &&
      publicPrefixes.some((p) => route.url === p || route.url.startsWith(`${p}/`))
    ) {
      route.config = { ...route.config, permission: 'public' };
      return;
    }
    if (!isRoutePermission(declared)) {
      const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
      throw new Error(
        `Route ${methods} ${route.url} must declare config.permission (a Permission, 'authenticated' or 'public'); got ${JSON.stringify(declared)}`,
      );
    }
  };
}

/**
 * The bearer token, '' for a malformed Bearer header, or undefined without one. Other schemes
 * (e.g. Basic added by an authenticating proxy) are ignored, so cookie sessions still work.
 */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '';
}

/** Sets request.user / request.auth from an API token or a session cookie. */
async function identify(app: App, request: FastifyRequest): Promise<void> {
  const token = bearerToken(request);
  if (token !== undefined) {
    // A Bearer header decides alone: a bad token never falls back to a cookie.
    const user = token === '' ? undefined : await findUserByApiToken(app.db, token);
    if (user) {
      request.user = toAuthUser(user);
      request.auth = { method: 'token', sessionId: null, csrfToken: null };
    }
    return;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined || cookie === '') return;
  const session = await findSession(app.db, cookie);
  if (!session) return;
  request.user = toAuthUser(session.user);
  request.auth = { method: 'session', sessionId: session.id, csrfToken: session.csrfToken };
}

/** onRequest hook: authenticate, then authorise against the route's declared permission. */
export function enforcePermissions(app: App) {
  return async (request: FastifyRequest): Promise<void> => {
    // Unknown paths reach the not-found handler (404, or the SPA's index.html) unauthenticated.
    if (request.is404) return;
    const permission = request.routeOptions.config.permission;
    // onRoute makes this unreachable; fail closed anyway.
    if (permission === undefined) throw forbidden();
    if (permission === 'public') return;

    await identify(app, request);
    const user = request.user;
    if (user === null) throw unauthenticated();

    const auth = request.auth;
    if (auth?.method === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || auth.csrfToken === null || !secretsEqual(sent, auth.csrfToken)) {
        throw csrfFailed();
      }
    }
    if (permission !== 'authenticated' && !allowed(user.role, permission)) throw forbidden();
  };
}

/** For handlers of non-public routes, where the guard guarantees a caller. */
export function callerOf(request: FastifyRequest): AuthUser {
  if (request.user === null) throw unauthenticated();
  return request.user;
}
