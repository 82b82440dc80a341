// Prometheus metrics: request durations by route and status, sync runs by status (read from the
// store at scrape time, so every node reports the same truth), and the default process metrics.
// Each server gets its own registry, so several servers in one process (tests) do not collide.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { toCount } from '../storage/helpers.ts';
import type { Database } from '../storage/schema.ts';

export function createMetrics(server: FastifyInstance, db: Kysely<Database>): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const durations = new Histogram({
    name: 'seatwarden_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'seatwarden_sync_runs',
    help: 'Sync runs in the store by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db
        .selectFrom('sync_runs')
        .select((eb) => ['status', eb.fn.countAll<string | number>().as('n')])
        .groupBy('status')
        .execute();
      for (const row of rows) this.set({ status: row.status }, toCount(row.n));
    },
  });

  server.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    durations.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  return registry;
}
