// Token bucket per tenant: `capacity` calls may burst, then `refillPerSecond` calls per second.

import type { Budget } from './config.ts';

export type TakeResult =
  | { ok: true; limit: number; remaining: number }
  | { ok: false; limit: number; retryAfterSeconds: number; resetAt: Date };

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly budget: Budget,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = budget.capacity;
    this.updatedAt = clock();
  }

  take(): TakeResult {
    const now = this.clock();
    const elapsedSeconds = (now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.budget.capacity, this.tokens + elapsedSeconds * this.budget.refillPerSecond);
    this.updatedAt = now;
    const limit = this.budget.capacity;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, limit, remaining: Math.floor(this.tokens) };
    }
    const rate = this.budget.refillPerSecond;
    const retryAfterSeconds = rate > 0 ? Math.max(1, Math.ceil((1 - this.tokens) / rate)) : 60;
    return { ok: false, limit, retryAfterSeconds, resetAt: new Date(now + retryAfterSeconds * 1000) };
  }
}
