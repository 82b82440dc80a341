// Cross-cutting behaviour applied to every request before its handler, in the order the real
// services apply it: count → latency → (gateway tenant check) → auth → rate budget → fault.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateJira, authenticateOrgKey } from './auth.ts';
import { TokenBucket } from './budget.ts';
import type { FaultKind, SimConfig, SimConfigPatch } from './config.ts';
import { applyFault, decideFault, HeldRequests, truncateBody } from './faults.ts';
import type { Rng } from './prng.ts';
import { jiraPattern } from './routes/jira/index.ts';
import type { SimRuntime } from './runtime.ts';
import type { HostLabel, StatsRecorder } from './stats.ts';

export type RouteClass =
  | { kind: 'open' }
  | { kind: 'jira'; gateway: boolean; key: string; host: HostLabel }
  | { kind: 'org'; key: string; host: HostLabel };

export function classify(app: 'site' | 'api', method: string, routeUrl: string | undefined): RouteClass {
  if (routeUrl === undefined || routeUrl.startsWith('/__sim') || routeUrl === '/_edge/tenant_info')
    return { kind: 'open' };
  if (app === 'site') return { kind: 'jira', gateway: false, key: `${method} ${routeUrl}`, host: 'site' };
  if (routeUrl.startsWith('/ex/jira/'))
    return { kind: 'jira', gateway: true, key: `${method} ${jiraPattern(routeUrl)}`, host: 'gateway' };
  return {
    kind: 'org',
    key: `${method} ${routeUrl}`,
    host: routeUrl.startsWith('/users/') ? 'user-management' : 'admin',
  };
}

/** Mutable behaviour shared by both listeners; `configure` swaps it at runtime. */
export class Behaviour {
  config: SimConfig;
  siteBucket: TokenBucket | null = null;
  orgBucket: TokenBucket | null = null;
  readonly held = new HeldRequests();
  readonly truncating = new WeakSet<FastifyRequest>();

  constructor(
    initial: SimConfig,
    readonly stats: StatsRecorder,
    readonly rng: Rng,
  ) {
    this.config = { ...initial, faults: initial.faults.map((f) => ({ ...f })) };
    this.rebuildBuckets();
  }

  configure(patch: SimConfigPatch): void {
    const next = { ...this.config, ...patch };
    if (patch.faults) next.faults = patch.faults.map((f) => ({ ...f }));
    const budgetsChanged = 'siteBudget' in patch || 'orgBudget' in patch;
    this.config = next;
    if (budgetsChanged) this.rebuildBuckets();
  }

  private rebuildBuckets(): void {
    this.siteBucket = this.config.siteBudget ? new TokenBucket(this.config.siteBudget) : null;
    this.orgBucket = this.config.orgBudget ? new TokenBucket(this.config.orgBudget) : null;
  }

  latency(): number {
    const { latencyMs, latencyJitterMs } = this.config;
    return latencyMs + (latencyJitterMs > 0 ? Math.floor(this.rng() * latencyJitterMs) : 0);
  }
}

/** Jira's `X-RateLimit-Reset` form: `yyyy-MM-ddTHH:mmZ`, rounded up to the minute. */
function jiraResetStamp(at: Date): string {
  const ms = Math.ceil(at.getTime() / 60_000) * 60_000;
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function enforceBudget(
  route: Exclude<RouteClass, { kind: 'open' }>,
  behaviour: Behaviour,
  reply: FastifyReply,
): boolean {
  const bucket = route.kind === 'jira' ? behaviour.siteBucket : behaviour.orgBucket;
  if (!bucket) return true;
  const result = bucket.take();
  if (result.ok) {
    void reply
      .header('X-RateLimit-Limit', String(result.limit))
      .header('X-RateLimit-Remaining', String(result.remaining));
    return true;
  }
  behaviour.stats.rateLimited();
  void reply
    .code(429)
    .header('Retry-After', String(result.retryAfterSeconds))
    .header('X-RateLimit-Limit', String(result.limit))
    .header('X-RateLimit-Remaining', '0');
  if (route.kind === 'jira') {
    void reply
      .header('X-RateLimit-Reset', jiraResetStamp(result.resetAt))
      .header('RateLimit-Reason', 'jira-burst-based')
      .send({ errorMessages: ['Rate limit exceeded.'], errors: {} });
  } else {
    void reply
      .header('X-RateLimit-Reset', result.resetAt.toISOString())
      .send({ code: 429, message: 'Rate limit exceeded' });
  }
  return false;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function installPipeline(
  app: FastifyInstance,
  which: 'site' | 'api',
  sim: SimRuntime,
  behaviour: Behaviour,
): void {
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request, reply) => {
    const route = classify(which, request.method, request.routeOptions.url);
    if (route.kind === 'open') return;
    behaviour.stats.call(route.key, route.host);
    const delay = behaviour.latency();
    if (delay > 0) await sleep(delay);

    if (route.kind === 'jira' && route.gateway) {
      const { cloudId } = request.params as { cloudId?: string };
      if (cloudId !== sim.state.cloudId) return reply.code(404).send({ code: 404, message: 'Not Found' });
    }
    const authenticated =
      route.kind === 'jira'
        ? authenticateJira(sim.state, request, reply, route.gateway)
        : authenticateOrgKey(sim.state, request, reply);
    if (!authenticated) return reply;
    if (!enforceBudget(route, behaviour, reply)) return reply;

    const fault: FaultKind | null = decideFault(behaviour.config.faults, route.key, behaviour.rng);
    if (fault === null) return;
    behaviour.stats.fault(fault);
    if (applyFault(fault, request, reply, behaviour.held)) return reply;
    behaviour.truncating.add(request);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!behaviour.truncating.has(request)) return payload;
    behaviour.truncating.delete(request);
    return truncateBody(reply, payload);
  });
}
