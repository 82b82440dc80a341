// Token buckets with a max-in-flight limit, one per key (`site:<host>`, `org:<orgId>`, …).
// Callers run requests concurrently; the bucket decides when each may start. A 429 pauses the whole
// bucket until the server's reset and empties it, so concurrent requests wait too and the window
// after the pause starts from zero rather than from a full burst.

export interface BucketBudget {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Tokens available at once (the burst). */
  burst: number;
  /** Requests running at the same time. */
  maxInFlight: number;
}

/**
 * Defaults. Only last-active-dates has a published budget (200/min per org). Atlassian publishes no
 * numbers for Jira burst limits or the other admin endpoints, so those are conservative choices.
 * For last-active-dates, burst + rate × 60 s ≤ 200 keeps every 60 s window within the budget.
 */
export const DEFAULT_BUDGETS = {
  site: { ratePerSecond: 10, burst: 20, maxInFlight: 6 },
  org: { ratePerSecond: 10, burst: 20, maxInFlight: 6 },
  orgLastActive: { ratePerSecond: 190 / 60, burst: 10, maxInFlight: 6 },
} as const satisfies Record<string, BucketBudget>;

export type Release = () => void;

const MIN_RATE_PER_SECOND = 0.2;
/** After a 429 the pace regains this share of the budget for every second without another one. */
const RECOVERY_SHARE_PER_SECOND = 0.1;

interface Waiter {
  resolve: (release: Release) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

class Bucket {
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private inFlight = 0;
  /** The pace actually used: the budget's, halved after a 429 and regained over the next seconds. */
  private rate: number;
  /** One halving per refusal window: the other requests in flight then get 429s of their own. */
  private throttledUntil = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly budget: BucketBudget,
    private readonly now: () => number,
  ) {
    this.tokens = budget.burst;
    this.refilledAt = now();
    this.rate = budget.ratePerSecond;
  }

  /**
   * A 429 means the server's budget is below ours: halve the pace (multiplicative decrease) and
   * win it back over the next seconds (additive increase), so after a 429 the client settles near
   * the server's pace instead of tripping it again after every pause.
   */
  throttle(): void {
    this.refill();
    const now = this.now();
    if (now < this.throttledUntil) return;
    this.throttledUntil = Math.max(now, this.pausedUntil);
    this.rate = Math.max(MIN_RATE_PER_SECOND, this.rate / 2);
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(
            signal.reason instanceof Error
              ? signal.reason
              : new Error('aborted while waiting for a rate-limit slot'),
          );
          this.pump();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Stop everyone until `untilMs`; tokens start accruing only from then. */
  pause(untilMs: number): void {
    if (untilMs <= this.pausedUntil) return;
    this.pausedUntil = untilMs;
    this.tokens = 0;
    this.refilledAt = untilMs;
    this.pump();
  }

  /** Server says how much budget is left: never believe we have more than that. */
  observeRemaining(remaining: number, resetAtMs: number | undefined): void {
    this.refill();
    this.tokens = Math.min(this.tokens, Math.max(0, remaining));
    if (remaining <= 0) {
      this.pause(resetAtMs ?? this.now() + 1000 / this.rate);
    }
  }

  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  private refill(): void {
    const now = this.now();
    if (now <= this.refilledAt) return;
    const seconds = (now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.budget.burst, this.tokens + seconds * this.rate);
    this.rate = Math.min(
      this.budget.ratePerSecond,
      this.rate + this.budget.ratePerSecond * RECOVERY_SHARE_PER_SECOND * seconds,
    );
    this.refilledAt = now;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.inFlight >= this.budget.maxInFlight) return; // a release will pump again
      const now = this.now();
      if (now < this.pausedUntil) return this.reschedule(this.pausedUntil - now);
      this.refill();
      if (this.tokens < 1) {
        return this.reschedule(((1 - this.tokens) / this.rate) * 1000);
      }
      const waiter = this.queue.shift();
      if (!waiter) return;
      this.tokens -= 1;
      this.inFlight += 1;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.releaser());
    }
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.pump();
    };
  }

  private reschedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(delayMs)),
    );
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Waits for a token and an in-flight slot in bucket `key`; call the returned function when done. */
  acquire(key: string, budget: BucketBudget, signal?: AbortSignal): Promise<Release> {
    return this.bucket(key, budget).acquire(signal);
  }

  pause(key: string, budget: BucketBudget, untilMs: number): void {
    this.bucket(key, budget).pause(untilMs);
  }

  throttle(key: string, budget: BucketBudget): void {
    this.bucket(key, budget).throttle();
  }

  observeRemaining(key: string, budget: BucketBudget, remaining: number, resetAtMs?: number): void {
    this.bucket(key, budget).observeRemaining(remaining, resetAtMs);
  }

  pausedForMs(key: string): number {
    return this.buckets.get(key)?.pausedForMs() ?? 0;
  }

  private bucket(key: string, budget: BucketBudget): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket(budget, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
