// API latency: autocannon against the accounts list with filters, the server in its own process
// (bench/api-server-child.ts) over the store a benchmark sync filled.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openStore } from '../src/storage/db.ts';
import { listAccounts } from '../src/storage/inventory-reads.ts';
import type { ApiServerReady } from './api-server-child.ts';
import type { ApiLatency } from './results.ts';

const CHILD = fileURLToPath(new URL('./api-server-child.ts', import.meta.url));

/** Active Atlassian accounts idle for 90 days, most recently active first: the licence review's list. */
export const ACCOUNTS_QUERY =
  '/api/v1/accounts?status=active&type=atlassian&inactiveDays=90&sort=lastActive&direction=desc&limit=50';

const STORE_QUERY_RUNS = 20;
/** autocannon's default: a request unanswered after this long counts as an error. */
export const API_TIMEOUT_SECONDS = 10;

/** The list's query alone, as ACCOUNTS_QUERY asks for it, one at a time: the database's share. */
async function storeQueryP50(dataDir: string): Promise<number> {
  const store = await openStore({ dataDir, migrate: false });
  try {
    const times: number[] = [];
    for (let i = 0; i < STORE_QUERY_RUNS; i++) {
      const started = performance.now();
      await listAccounts(
        store.db,
        { status: ['active'], accountType: ['atlassian'], inactiveDays: 90, now: new Date().toISOString() },
        { by: 'lastActive', direction: 'desc' },
        { limit: 50, offset: 0 },
      );
      times.push(performance.now() - started);
    }
    return percentile(times, 0.5);
  } finally {
    await store.close();
  }
}

/** Nearest-rank percentile of `values` (sorted in place). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.max(0, Math.ceil(p * values.length) - 1))] ?? Number.NaN;
}

/**
 * autocannon's summary offers p90 and p97.5 but no p95, so every response time is kept
 * (from its 'response' event) and the percentiles are computed exactly.
 */
function load(options: autocannon.Options): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error instanceof Error) reject(error);
      else if (error) reject(new Error('autocannon failed'));
      else resolve({ result, latencies });
    });
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}

export async function measureApiLatency(
  dataDir: string,
  size: number,
  opts: { connections: number; durationSeconds: number },
): Promise<ApiLatency> {
  const storeQueryP50Ms = await storeQueryP50(dataDir);
  const child = fork(CHILD, [dataDir], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [ready] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`the API server exited with ${String(code)} before listening`);
      }),
    ])) as [ApiServerReady];
    const url = `http://127.0.0.1:${String(ready.port)}${ACCOUNTS_QUERY}`;
    const headers = { authorization: `Bearer ${ready.token}` };
    // A short warm-up so the figures are not the first requests' (JIT, SQLite page cache).
    const base = { url, headers, connections: opts.connections, timeout: API_TIMEOUT_SECONDS };
    await load({ ...base, duration: 1 });
    const { result, latencies } = await load({ ...base, duration: opts.durationSeconds });
    return {
      size,
      connections: opts.connections,
      durationSeconds: opts.durationSeconds,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      p99Ms: percentile(latencies, 0.99),
      path: ACCOUNTS_QUERY,
      storeQueryP50Ms: Math.round(storeQueryP50Ms * 100) / 100,
    };
  } finally {
    if (child.connected) child.disconnect();
    if (child.exitCode === null) await once(child, 'exit');
  }
}
