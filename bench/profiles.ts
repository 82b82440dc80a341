// What a benchmark run measures, declared as data: the full run behind the README's figures and the
// quick run CI uses to keep the harness working.

export interface RateBudget {
  ratePerSecond: number;
  burst: number;
}

export interface BenchProfile {
  name: 'full' | 'quick';
  seed: number;
  /** Sizes synced with no rate limit and no latency: calls, local overhead, RSS, re-sync. */
  sizes: number[];
  /** Sizes synced under the rate budget and latency, side by side with the jira.js script. */
  limitedSizes: number[];
  /** Per bucket (Jira site, org), for the simulator and the client alike. */
  budget: RateBudget;
  latencyMs: number;
  apiLatency: { size: number; connections: number; durationSeconds: number };
  /** Why `limitedSizes` is shorter than `sizes`, printed with the results. */
  note: string;
}

/** Effectively no client-side limit: 1,000,000 calls/s (the in-flight cap of 6 per bucket still holds). */
export const UNLIMITED_RATE = '1000000/s, burst 1000000';

export const PROFILES: Record<BenchProfile['name'], BenchProfile> = {
  full: {
    name: 'full',
    seed: 42,
    sizes: [1_000, 10_000, 100_000],
    limitedSizes: [1_000, 10_000],
    // Atlassian publishes no burst numbers for API-token traffic; 10 calls/s with a burst of 20 per
    // bucket is Seatwarden's default client budget and a conservative reading of what Jira allows.
    budget: { ratePerSecond: 10, burst: 20 },
    latencyMs: 80,
    apiLatency: { size: 100_000, connections: 20, durationSeconds: 10 },
    note:
      'Rate-limited and jira.js runs use 1,000 and 10,000 accounts: at 10 calls/s the 100,000-account ' +
      'runs would take about 28 min (org plan), 35 min (Jira-only plan) and 35 min (jira.js) on their own.',
  },
  quick: {
    name: 'quick',
    seed: 42,
    sizes: [1_000],
    limitedSizes: [1_000],
    // Scaled up so the rate-limited runs take seconds; the figures prove the harness, not the product.
    budget: { ratePerSecond: 200, burst: 20 },
    latencyMs: 5,
    apiLatency: { size: 1_000, connections: 20, durationSeconds: 2 },
    note: 'Quick mode: 1,000 accounts, a 200 calls/s budget and 5 ms latency, to keep the harness working in CI.',
  },
};

export const rateText = (budget: RateBudget): string =>
  `${String(budget.ratePerSecond)}/s, burst ${String(budget.burst)}`;
