// A small Fastify server with registerAuth and a few routes of different permissions, wired as
// the real server is (zod compilers, the server's error handler), for inject()-based tests.
import Fastify, {
  type FastifyInstance,
  type LightMyRequestResponse,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import { createUser, registerAuth, type Role } from '../../src/http/auth/index.ts';
import { errorHandler } from '../../src/http/errors.ts';
import { authTables } from '../../src/storage/auth-schema.ts';
import type { User } from '../../src/storage/users.ts';

export const PASSWORD = 'correct horse battery staple';

/** `expect.any(String)` typed as unknown, so it can sit inside toEqual without `any`. */
export function anyString(): unknown {
  return expect.any(String);
}

export type TestServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger
>;

export interface Harness {
  server: TestServer;
  /** Every log line the server wrote (level trace). */
  logs: string[];
}

export async function buildServer(app: App, opts: { trustProxy?: boolean } = {}): Promise<Harness> {
  const logs: string[] = [];
  const loggerInstance = pino({ level: 'trace' }, { write: (line: string) => void logs.push(line) });
  const server = Fastify({ loggerInstance, trustProxy: opts.trustProxy ?? false });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  // The real server's error handler, so bodies and headers are exactly what clients get.
  server.setErrorHandler(errorHandler);
  await registerAuth(server, { app });
  server.get('/t/public', { config: { permission: 'public' } }, () => ({ ok: true, user: null }));
  server.get('/t/inventory', { config: { permission: 'inventory:read' } }, (request) => ({
    user: request.user,
  }));
  server.post('/t/sync', { config: { permission: 'sync:run' } }, () => ({ started: true }));
  server.post('/t/any', { config: { permission: 'authenticated' } }, (request) => ({
    method: request.auth?.method,
  }));
  await server.ready();
  return { server, logs };
}

export function addUser(app: App, role: Role, email = `${role}@example.com`): Promise<User> {
  return createUser(app.db, { email, displayName: `The ${role}`, role, password: PASSWORD });
}

export interface Session {
  cookie: string;
  csrfToken: string;
  response: LightMyRequestResponse;
}

export async function login(server: TestServer, email: string, password = PASSWORD): Promise<Session> {
  const response = await server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'sw_session');
  if (!cookie) throw new Error('no session cookie');
  const body = response.json<{ csrfToken: string }>();
  return { cookie: `sw_session=${cookie.value}`, csrfToken: body.csrfToken, response };
}

/** As a browser would send it: cookie plus the CSRF header. */
export function asSession(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

export async function newToken(server: TestServer, session: Session, name = 'ci'): Promise<string> {
  const response = await server.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: asSession(session),
    payload: { name },
  });
  if (response.statusCode !== 201) throw new Error(`token failed: ${response.statusCode} ${response.body}`);
  return response.json<{ token: string }>().token;
}

/** Every row of every auth table, as text: to search for secrets that must not be there. */
export async function dumpAuthTables(app: App): Promise<string> {
  const db = authTables(app.db);
  const rows = await Promise.all([
    db.selectFrom('users').selectAll().execute(),
    db.selectFrom('sessions').selectAll().execute(),
    db.selectFrom('api_tokens').selectAll().execute(),
    db.selectFrom('login_attempts').selectAll().execute(),
  ]);
  return JSON.stringify(rows);
}
