// An HTTP server over a test store, as `seatwarden serve` builds it (in-process jobs, the real
// auth layer), plus signed-in callers of every role.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/app.ts';
import { createUser, type Role } from '../../src/http/auth/index.ts';
import { buildServer, type BuildServerOptions } from '../../src/http/server.ts';
import { createInProcessJobs, type JobQueue } from '../../src/jobs/index.ts';
import type { Store } from '../../src/storage/db.ts';
import { testApp } from '../support/app.ts';

export const PASSWORD = 'correct horse battery staple';
export const ROLES_UNDER_TEST = [
  'admin',
  'approver',
  'requester',
  'auditor',
] as const satisfies readonly Role[];

export interface Caller {
  role: Role | 'anonymous';
  headers: Record<string, string>;
}

export interface TestServer {
  app: App;
  server: FastifyInstance;
  jobs: JobQueue;
  close(): Promise<void>;
}

export async function startTestServer(
  store: Store,
  dataDir: string,
  opts: BuildServerOptions & { metricsToken?: string; startJobs?: boolean } = {},
): Promise<TestServer> {
  const app = testApp(store, dataDir);
  const jobs = createInProcessJobs(app);
  if (opts.startJobs === true) await jobs.start();
  const server = await buildServer(
    app,
    { jobs, ...(opts.metricsToken === undefined ? {} : { metricsToken: opts.metricsToken }) },
    { webDistDir: opts.webDistDir ?? (await mkdtemp(path.join(tmpdir(), 'sw-no-web-'))), ...opts },
  );
  await server.ready();
  return {
    app,
    server,
    jobs,
    close: async () => {
      await server.close();
      await jobs.stop();
    },
  };
}

/** Creates a user of the role and signs in through the API: cookie + CSRF header. */
export async function signIn(server: FastifyInstance, app: App, role: Role): Promise<Caller> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  await createUser(app.db, { email, displayName: `The ${role}`, role, password: PASSWORD });
  const response = await server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'sw_session');
  const body = response.json<{ csrfToken: string }>();
  if (!cookie) throw new Error('no session cookie');
  return { role, headers: { cookie: `sw_session=${cookie.value}`, 'x-csrf-token': body.csrfToken } };
}

export async function callersOfEveryRole(server: FastifyInstance, app: App): Promise<Caller[]> {
  const callers: Caller[] = [{ role: 'anonymous', headers: {} }];
  for (const role of ROLES_UNDER_TEST) callers.push(await signIn(server, app, role));
  return callers;
}

export function call(
  server: FastifyInstance,
  caller: Caller,
  options: InjectOptions & { method: NonNullable<InjectOptions['method']>; url: string },
): Promise<LightMyRequestResponse> {
  return server.inject({ ...options, headers: { ...caller.headers, ...options.headers } });
}

/** The contract's error shape, with no stack trace anywhere in it. */
export function expectErrorShape(response: LightMyRequestResponse, status: number, code: string): void {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status} ${code}, got ${response.statusCode}: ${response.body}`);
  }
  const body = response.json<{ error?: { code?: unknown; message?: unknown } }>();
  if (body.error?.code !== code || typeof body.error.message !== 'string') {
    throw new Error(`expected error code ${code}, got ${response.body}`);
  }
  if (/\bat .+:\d+:\d+\)?/.test(response.body) || response.body.includes('"stack"')) {
    throw new Error(`stack trace in error body: ${response.body}`);
  }
}
