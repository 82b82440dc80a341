import { afterEach, describe, expect, it } from 'vitest';
import { jiraMyself, RateLimiter } from '../../src/atlassian/index.ts';
import { testClient } from './support/client.ts';
import { startScriptedServer, type ScriptedServer } from './support/scripted-server.ts';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const me = { accountId: 'me-1' };

describe('token bucket', () => {
  it('after a 429 holds every concurrent request until the reset, then never exceeds the budget', async () => {
    let refusedAt = 0;
    server = await startScriptedServer((_req, i) => {
      if (i === 0) {
        refusedAt = Date.now();
        return {
          status: 429,
          headers: { 'retry-after': '1' },
          json: { errorMessages: ['Rate limit exceeded'], errors: {} },
        };
      }
      return { json: me, delayMs: 40 };
    });
    const { client, events } = testClient(server.url, {
      budgets: { site: { ratePerSecond: 5, burst: 5, maxInFlight: 3 } },
    });
    await Promise.all(Array.from({ length: 10 }, () => jiraMyself(client)));

    const times = server.requests.map((r) => r.receivedAt);
    expect(times).toHaveLength(11);
    const after = times.filter((t) => t > refusedAt + 5);
    // Nothing new started during the pause.
    for (const t of after) expect(t - refusedAt).toBeGreaterThanOrEqual(950);
    // After the pause the bucket starts empty: at most 5 requests in any second.
    for (const start of after) {
      expect(after.filter((t) => t >= start && t < start + 980).length).toBeLessThanOrEqual(5);
    }
    expect(server.maxConcurrent()).toBeLessThanOrEqual(3);
    expect(events.filter((e) => e.type === 'rateLimited')).toHaveLength(1);
  });

  it('slows down when X-RateLimit-Remaining reaches 0 until X-RateLimit-Reset', async () => {
    const resetAt = Date.now() + 800;
    const exhausted: Record<string, string> = {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': new Date(resetAt).toISOString(),
    };
    server = await startScriptedServer((_req, i) => ({ json: me, headers: i === 0 ? exhausted : {} }));
    const { client } = testClient(server.url);
    await jiraMyself(client);
    await jiraMyself(client);
    expect(server.requests[1]?.receivedAt ?? 0).toBeGreaterThanOrEqual(resetAt - 20);
  });

  it('keeps separate buckets per key and honours max in flight', async () => {
    const limiter = new RateLimiter();
    const budget = { ratePerSecond: 1000, burst: 1000, maxInFlight: 2 };
    const a1 = await limiter.acquire('site:a', budget);
    await limiter.acquire('site:a', budget);
    let thirdStarted = false;
    const third = limiter.acquire('site:a', budget).then((release) => {
      thirdStarted = true;
      return release;
    });
    const other = await limiter.acquire('org:b', budget); // another key is not blocked
    await new Promise((r) => setTimeout(r, 20));
    expect(thirdStarted).toBe(false);
    a1();
    (await third)();
    expect(thirdStarted).toBe(true);
    other();
  });
});
