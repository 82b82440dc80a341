// Sign-in, sign-out and "who am I". Failed sign-ins are throttled per email and per client IP,
// with the counters in the store so every node sees them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { decoyPasswordHash, verifyPassword } from '../../storage/credentials.ts';
import { activeLock, clearFailures, recordFailure, type ThrottleRule } from '../../storage/login-attempts.ts';
import { createSession, deleteSession, SESSION_POLICY } from '../../storage/sessions.ts';
import { findCredentials, normaliseEmail } from '../../storage/users.ts';
import { invalidCredentials, tooManyAttempts } from './errors.ts';
import { callerOf, SESSION_COOKIE, toAuthUser } from './guard.ts';
import { errorSchema, loginBodySchema, sessionInfoSchema, zodCompilers } from './schemas.ts';

const FIFTEEN_MINUTES = 15 * 60_000;
export const LOGIN_THROTTLE = {
  email: { maxFailures: 5, windowMs: FIFTEEN_MINUTES, lockMs: FIFTEEN_MINUTES },
  ip: { maxFailures: 20, windowMs: FIFTEEN_MINUTES, lockMs: FIFTEEN_MINUTES },
} as const satisfies Record<string, ThrottleRule>;

function cookieOptions(request: FastifyRequest) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  } as const;
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    ...cookieOptions(request),
    maxAge: SESSION_POLICY.maxAgeMs / 1000,
  });
}

export function registerSessionRoutes(server: FastifyInstance, app: App): void {
  const routes = server.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/v1/auth/login',
    {
      ...zodCompilers,
      config: { permission: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: loginBodySchema,
        response: { 200: sessionInfoSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const email = normaliseEmail(request.body.email);
      const emailKey = `email:${email}`;
      const ipKey = `ip:${request.ip}`;
      const lockedUntil = await activeLock(app.db, [emailKey, ipKey]);
      if (lockedUntil) {
        const error = tooManyAttempts(Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 1000)));
        reply.headers(error.headers);
        throw error;
      }
      const credentials = await findCredentials(app.db, email);
      const passwordOk = await verifyPassword(
        request.body.password,
        credentials?.passwordHash ?? (await decoyPasswordHash()),
      );
      if (!credentials || !passwordOk || credentials.user.disabled) {
        await recordFailure(app.db, emailKey, LOGIN_THROTTLE.email);
        await recordFailure(app.db, ipKey, LOGIN_THROTTLE.ip);
        throw invalidCredentials();
      }
      await clearFailures(app.db, emailKey);
      const session = await createSession(app.db, credentials.user.id);
      setSessionCookie(request, reply, session.token);
      request.log.info({ userId: credentials.user.id }, 'user signed in');
      return { user: toAuthUser(credentials.user), csrfToken: session.csrfToken };
    },
  );

  routes.post(
    '/api/v1/auth/logout',
    {
      ...zodCompilers,
      config: { permission: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Sign out: ends this session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const sessionId = request.auth?.sessionId;
      if (sessionId) await deleteSession(app.db, sessionId);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/api/v1/auth/me',
    {
      ...zodCompilers,
      config: { permission: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and their CSRF token',
        response: { 200: sessionInfoSchema },
      },
    },
    (request) => ({ user: callerOf(request), csrfToken: request.auth?.csrfToken ?? null }),
  );
}
