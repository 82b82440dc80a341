// Whether to try a request again, and how long to wait first. Pure: the caller supplies the clock
// and the randomness, so every branch is testable. Returns a reason for logs and events.

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Give up when the next attempt would start after this much time since the first. */
  deadlineMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  deadlineMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

export type AttemptOutcome =
  | {
      type: 'status';
      status: number;
      /** Raw `Retry-After` header (seconds or an HTTP date). */
      retryAfter?: string | null;
      /** Raw `X-RateLimit-Reset` header (ISO 8601). */
      rateLimitReset?: string | null;
    }
  /** Connection failure. `maybeSent`: the request may have reached the server (reset, timeout). */
  | { type: 'network'; code: string; maybeSent: boolean }
  /** A 2xx whose body is not the JSON we expected, e.g. a truncated page. */
  | { type: 'malformed' };

export interface RetryContext {
  idempotent: boolean;
  /** Time since the first attempt started. */
  elapsedMs: number;
  now?: number;
  random?: () => number;
}

export interface RetryDecision {
  retry: boolean;
  reason: string;
  waitMs: number;
  /** The failure may have changed state on the server: re-read before acting again. */
  ambiguous?: boolean;
}

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

export function decideRetry(
  outcome: AttemptOutcome,
  attempt: number,
  policy: RetryPolicy,
  context: RetryContext,
): RetryDecision {
  const proposal = propose(outcome, attempt, policy, context);
  if (!proposal.retry) return proposal;
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: `${proposal.reason}; gave up after ${attempt} attempts`, waitMs: 0 };
  }
  if (context.elapsedMs + proposal.waitMs > policy.deadlineMs) {
    return {
      retry: false,
      reason: `${proposal.reason}; waiting ${proposal.waitMs} ms would pass the ${policy.deadlineMs} ms deadline`,
      waitMs: 0,
    };
  }
  return proposal;
}

function propose(
  outcome: AttemptOutcome,
  attempt: number,
  policy: RetryPolicy,
  context: RetryContext,
): RetryDecision {
  const backoff = () => backoffMs(attempt, policy, context.random ?? Math.random);
  const now = context.now ?? Date.now();

  if (outcome.type === 'network') {
    if (!outcome.maybeSent) {
      return { retry: true, reason: `network error ${outcome.code} before sending`, waitMs: backoff() };
    }
    if (!context.idempotent) {
      return {
        retry: false,
        reason: `network error ${outcome.code} after sending a non-idempotent request`,
        waitMs: 0,
        ambiguous: true,
      };
    }
    return { retry: true, reason: `network error ${outcome.code}`, waitMs: backoff() };
  }

  if (outcome.type === 'malformed') {
    if (!context.idempotent) {
      return {
        retry: false,
        reason: 'malformed response to a non-idempotent request',
        waitMs: 0,
        ambiguous: true,
      };
    }
    return { retry: true, reason: 'malformed response body', waitMs: backoff() };
  }

  const { status } = outcome;
  const serverWait = serverWaitMs(outcome, now);
  // 429 and a 503 that names a wait are refusals: the request did nothing, so even a POST is safe.
  if (status === 429 || (status === 503 && serverWait !== undefined)) {
    return {
      retry: true,
      reason:
        serverWait === undefined ? `HTTP ${status}, backing off` : `HTTP ${status}, server asked to wait`,
      waitMs: serverWait ?? backoff(),
    };
  }
  if (TRANSIENT_STATUSES.has(status)) {
    if (!context.idempotent) {
      return {
        retry: false,
        reason: `HTTP ${status} on a non-idempotent request`,
        waitMs: 0,
        ambiguous: true,
      };
    }
    return { retry: true, reason: `HTTP ${status}`, waitMs: backoff() };
  }
  return { retry: false, reason: `HTTP ${status} is not retryable`, waitMs: 0 };
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base × 2^(attempt-1))]. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/** The wait the server asked for: `Retry-After` (seconds or HTTP date), else `X-RateLimit-Reset`. */
export function serverWaitMs(
  headers: { retryAfter?: string | null; rateLimitReset?: string | null },
  now: number,
): number | undefined {
  const retryAfter = headers.retryAfter?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = parseResetAt(headers.rateLimitReset);
  return reset === undefined ? undefined : Math.max(0, reset - now);
}

/** `X-RateLimit-Reset` is ISO 8601 (`yyyy-MM-ddTHH:mmZ`); returns epoch ms. */
export function parseResetAt(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const at = Date.parse(value.trim());
  return Number.isNaN(at) ? undefined : at;
}
