import { describe, expect, it } from 'vitest';
import { matching } from './support/matchers.ts';
import { backoffMs, decideRetry, DEFAULT_RETRY_POLICY, serverWaitMs } from '../../src/atlassian/index.ts';

const policy = DEFAULT_RETRY_POLICY;
const read = { idempotent: true, elapsedMs: 0, now: Date.parse('2026-01-01T10:00:00Z'), random: () => 0.5 };
const write = { ...read, idempotent: false };

describe('decideRetry', () => {
  it('waits Retry-After seconds on 429, even for a POST', () => {
    expect(decideRetry({ type: 'status', status: 429, retryAfter: '7' }, 1, policy, write)).toMatchObject({
      retry: true,
      waitMs: 7000,
    });
  });

  it('waits until X-RateLimit-Reset when there is no Retry-After', () => {
    const decision = decideRetry(
      { type: 'status', status: 429, rateLimitReset: '2026-01-01T10:01Z' },
      1,
      policy,
      read,
    );
    expect(decision).toMatchObject({ retry: true, waitMs: 60_000 });
  });

  it('treats a 503 with Retry-After like a 429 and other 5xx with jittered backoff', () => {
    expect(decideRetry({ type: 'status', status: 503, retryAfter: '2' }, 1, policy, write)).toMatchObject({
      retry: true,
      waitMs: 2000,
    });
    expect(decideRetry({ type: 'status', status: 502 }, 3, policy, read)).toMatchObject({
      retry: true,
      waitMs: 1000,
    });
    expect(backoffMs(20, policy, () => 1)).toBe(policy.maxDelayMs);
  });

  it('never blindly retries a non-idempotent request after an ambiguous failure', () => {
    expect(
      decideRetry({ type: 'network', code: 'ECONNRESET', maybeSent: true }, 1, policy, write),
    ).toMatchObject({ retry: false, ambiguous: true });
    expect(decideRetry({ type: 'status', status: 500 }, 1, policy, write)).toMatchObject({
      retry: false,
      ambiguous: true,
    });
    expect(decideRetry({ type: 'malformed' }, 1, policy, write)).toMatchObject({
      retry: false,
      ambiguous: true,
    });
    // Refused before sending: safe.
    expect(
      decideRetry({ type: 'network', code: 'ECONNREFUSED', maybeSent: false }, 1, policy, write).retry,
    ).toBe(true);
  });

  it('is bounded by attempts and by the deadline', () => {
    expect(decideRetry({ type: 'status', status: 503 }, 6, policy, read)).toMatchObject({
      retry: false,
      reason: matching(/after 6 attempts/),
    });
    expect(
      decideRetry({ type: 'status', status: 429, retryAfter: '60' }, 1, policy, {
        ...read,
        elapsedMs: 100_000,
      }),
    ).toMatchObject({ retry: false, reason: matching(/deadline/) });
  });

  it('does not retry client errors', () => {
    for (const status of [400, 401, 403, 404, 409])
      expect(decideRetry({ type: 'status', status }, 1, policy, read).retry).toBe(false);
  });

  it('reads Retry-After as an HTTP date too', () => {
    expect(serverWaitMs({ retryAfter: 'Thu, 01 Jan 2026 10:00:05 GMT' }, read.now)).toBe(5000);
  });
});
