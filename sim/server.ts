// Starts the simulator: two Fastify listeners on loopback, the Jira SITE host and the API host
// (standing in for https://api.atlassian.com), sharing one state, one behaviour and one set of stats.

import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { BadParam } from './routes/jira/render.ts';
import type { Budget, FaultRule, SimConfigPatch } from './config.ts';
import { registerControlRoutes } from './control.ts';
import { generateState } from './generate.ts';
import type { SimCredentials, SimState } from './model.ts';
import { MutationError } from './mutate.ts';
import { Behaviour, installPipeline } from './pipeline.ts';
import { mulberry32 } from './prng.ts';
import { registerAdminRoutes } from './routes/admin/index.ts';
import { registerJiraRoutes } from './routes/jira/index.ts';
import { registerUserManagementRoutes } from './routes/user-management.ts';
import { createRuntime, type SimRuntime, type SimUrls } from './runtime.ts';
import { StatsRecorder, type SimStats } from './stats.ts';

export interface SimulatorOptions {
  users?: number;
  seed?: number;
  /** Use this state instead of generating one (users/seed are then ignored). */
  state?: SimState;
  /** Site host port; 0 (default) picks a free one. */
  port?: number;
  apiPort?: number;
  latencyMs?: number;
  latencyJitterMs?: number;
  siteBudget?: Budget | null;
  orgBudget?: Budget | null;
  faults?: FaultRule[];
  host?: '127.0.0.1';
}

export interface Simulator {
  siteUrl: string;
  adminApiUrl: string;
  /** `${adminApiUrl}/ex/jira/${cloudId}`: Jira through the gateway (scoped tokens work here). */
  gatewayUrl: string;
  cloudId: string;
  orgId: string;
  credentials: SimCredentials;
  state: SimState;
  runtime: SimRuntime;
  stats(): SimStats;
  resetStats(): void;
  configure(patch: SimConfigPatch): void;
  stop(): Promise<void>;
}

export const DEFAULT_USERS = 1000;
export const DEFAULT_SEED = 42;

function jiraStyle(status: number, message: string) {
  return { errorMessages: [message], errors: {} };
}

/** Turn thrown errors into each API's own error shape. */
function installErrorHandler(app: FastifyInstance, which: 'site' | 'api'): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const jira = which === 'site' || request.url.startsWith('/ex/jira/');
    let status = 500;
    if (error instanceof BadParam) status = 400;
    else if (error instanceof MutationError) status = error.status;
    else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)
      status = error.statusCode;
    const message = status === 500 ? 'Internal server error' : error.message;
    if (jira) return reply.code(status).send(jiraStyle(status, message));
    return reply.code(status).send({ code: status, message });
  });
  app.setNotFoundHandler((request, reply) => {
    const jira = which === 'site' || request.url.startsWith('/ex/jira/');
    if (jira) return reply.code(404).send(jiraStyle(404, 'Not found'));
    return reply.code(404).send({ code: 404, message: 'Not Found' });
  });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state =
    options.state ??
    generateState({ users: options.users ?? DEFAULT_USERS, seed: options.seed ?? DEFAULT_SEED });
  const host = options.host ?? '127.0.0.1';
  const urls: SimUrls = { site: '', api: '' };
  const runtime = createRuntime(state, urls);
  const stats = new StatsRecorder();
  const behaviour = new Behaviour(
    {
      siteBudget: options.siteBudget ?? null,
      orgBudget: options.orgBudget ?? null,
      latencyMs: options.latencyMs ?? 0,
      latencyJitterMs: options.latencyJitterMs ?? 0,
      faults: options.faults ?? [],
    },
    stats,
    mulberry32(state.seed ^ 0xfa017),
  );

  const site = Fastify({ logger: false, forceCloseConnections: true });
  const api = Fastify({ logger: false, forceCloseConnections: true });
  for (const [app, which] of [
    [site, 'site'],
    [api, 'api'],
  ] as const) {
    installPipeline(app, which, runtime, behaviour);
    installErrorHandler(app, which);
    registerControlRoutes(app, runtime, behaviour);
  }
  site.get('/_edge/tenant_info', () => ({ cloudId: state.cloudId }));
  registerJiraRoutes(site, runtime);
  await api.register(
    (gateway, _opts, done) => {
      registerJiraRoutes(gateway, runtime);
      done();
    },
    { prefix: '/ex/jira/:cloudId' },
  );
  registerAdminRoutes(api, runtime);
  registerUserManagementRoutes(api, runtime);

  try {
    await site.listen({ host, port: options.port ?? 0 });
    await api.listen({ host, port: options.apiPort ?? 0 });
  } catch (error) {
    await Promise.allSettled([site.close(), api.close()]);
    throw error;
  }
  urls.site = `http://${host}:${String(portOf(site))}`;
  urls.api = `http://${host}:${String(portOf(api))}`;

  return {
    siteUrl: urls.site,
    adminApiUrl: urls.api,
    gatewayUrl: `${urls.api}/ex/jira/${state.cloudId}`,
    cloudId: state.cloudId,
    orgId: state.orgId,
    credentials: state.credentials,
    state,
    runtime,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    configure: (patch) => behaviour.configure(patch),
    stop: async () => {
      behaviour.held.releaseAll();
      await Promise.all([site.close(), api.close()]);
    },
  };
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no TCP address');
  return address.port;
}
