// The one HTTP path to Atlassian: base URL and auth per API, token buckets, retries, classification,
// events and counters. Secrets live only in the closure that builds headers; they never reach an
// error, an event or the stats.
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_TIMEOUT_MS, discoverCloudId, networkCode, parseJson, trimSlash } from './fetch-utils.ts';
import { AtlassianError, classify } from './errors.ts';
import { ENDPOINTS, type Api, type BucketName, type EndpointId, type EndpointSpec } from './endpoints.ts';
import { DEFAULT_BUDGETS, RateLimiter, type BucketBudget } from './rate-limit.ts';
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  parseResetAt,
  serverWaitMs,
  type AttemptOutcome,
  type RetryPolicy,
} from './retry.ts';

export const DEFAULT_GATEWAY_URL = 'https://api.atlassian.com';
export const DEFAULT_ADMIN_API_URL = 'https://api.atlassian.com';

export interface ConnectorConfig {
  siteUrl: string;
  email: string;
  apiToken: string;
  /** Scoped API tokens only work through the gateway: `${gatewayUrl}/ex/jira/${cloudId}`. */
  useGateway?: boolean;
  gatewayUrl?: string;
  /** Discovered from `{site}/_edge/tenant_info` when the gateway is used and this is absent. */
  cloudId?: string;
  orgId?: string;
  orgApiKey?: string;
  adminApiUrl?: string;
  budgets?: Partial<Record<BucketName, Partial<BucketBudget>>>;
  retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  timeoutMs?: number;
  onEvent?: (event: ClientEvent) => void;
  /** Share one limiter between clients that talk to the same site or org. */
  rateLimiter?: RateLimiter;
}

export type ClientEvent =
  | {
      type: 'call';
      endpoint: EndpointId;
      method: string;
      status?: number;
      errorCode?: string;
      ms: number;
      attempt: number;
    }
  | { type: 'retry'; endpoint: EndpointId; attempt: number; reason: string; waitMs: number }
  | { type: 'rateLimited'; endpoint: EndpointId; bucket: string; waitMs: number; reason?: string };

export interface ClientStats {
  calls: number;
  retries: number;
  rateLimited: number;
  rateLimitWaitMs: number;
  callsByEndpoint: Partial<Record<EndpointId, number>>;
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

export interface RequestOptions {
  pathParams?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface AtlassianResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body (204). */
  body: unknown;
  headers: Headers;
}

export interface AtlassianClient {
  request(endpoint: EndpointId, options?: RequestOptions): Promise<AtlassianResponse>;
  stats(): ClientStats;
  /** Non-secret facts about the connection, e.g. for reports. */
  readonly siteUrl: string;
  readonly orgId: string | undefined;
  cloudId(): Promise<string>;
}

// Errors raised before a byte reaches the server: safe to retry even for a POST.
const NOT_SENT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function createAtlassianClient(config: ConnectorConfig): AtlassianClient {
  const siteUrl = trimSlash(config.siteUrl);
  const siteHost = new URL(siteUrl).host;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limiter = config.rateLimiter ?? new RateLimiter();
  const budgets = resolveBudgets(config.budgets);
  const stats: ClientStats = {
    calls: 0,
    retries: 0,
    rateLimited: 0,
    rateLimitWaitMs: 0,
    callsByEndpoint: {},
  };
  let cloudIdPromise: Promise<string> | undefined = config.cloudId
    ? Promise.resolve(config.cloudId)
    : undefined;

  const emit = (event: ClientEvent): void => {
    try {
      config.onEvent?.(event);
    } catch {
      // A faulty listener must not break a sync.
    }
  };

  const cloudId = (): Promise<string> => {
    cloudIdPromise ??= discoverCloudId(siteUrl, { timeoutMs }).catch((error: unknown) => {
      cloudIdPromise = undefined;
      throw error;
    });
    return cloudIdPromise;
  };

  const baseUrl = async (api: Api): Promise<string> => {
    switch (api) {
      case 'site':
        return siteUrl;
      case 'jira':
        return config.useGateway
          ? `${trimSlash(config.gatewayUrl ?? DEFAULT_GATEWAY_URL)}/ex/jira/${encodeURIComponent(await cloudId())}`
          : siteUrl;
      case 'admin':
      case 'userManagement':
        return trimSlash(config.adminApiUrl ?? DEFAULT_ADMIN_API_URL);
    }
  };

  const authHeader = (api: Api, endpoint: EndpointId): string | undefined => {
    if (api === 'site') return undefined;
    if (api === 'jira')
      return `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString('base64')}`;
    if (!config.orgApiKey) {
      throw new AtlassianError(`${endpoint} needs an organization API key, and none is configured`, {
        kind: 'auth',
        endpoint,
        retryable: false,
      });
    }
    return `Bearer ${config.orgApiKey}`;
  };

  const bucketKey = (spec: EndpointSpec, options: RequestOptions): string => {
    if (spec.bucket === 'site') return `site:${siteHost}`;
    const orgId = options.pathParams?.orgId ?? config.orgId ?? 'unknown';
    return spec.bucket === 'orgLastActive' ? `org:${orgId}:last-active` : `org:${orgId}`;
  };

  async function request(endpoint: EndpointId, options: RequestOptions = {}): Promise<AtlassianResponse> {
    const spec: EndpointSpec = ENDPOINTS[endpoint];
    const url = buildUrl(await baseUrl(spec.api), spec, options, endpoint);
    const auth = authHeader(spec.api, endpoint);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (auth) headers.Authorization = auth;
    const hasBody = options.body !== undefined;
    if (hasBody) headers['Content-Type'] = 'application/json';
    const bucket = bucketKey(spec, options);
    const budget = budgets[spec.bucket];
    const started = Date.now();

    for (let attempt = 1; ; attempt++) {
      const release = await limiter.acquire(bucket, budget, options.signal);
      const attemptStarted = Date.now();
      let outcome: AttemptOutcome;
      let failure: AtlassianError;
      try {
        stats.calls += 1;
        stats.callsByEndpoint[endpoint] = (stats.callsByEndpoint[endpoint] ?? 0) + 1;
        const signal = options.signal
          ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
          : AbortSignal.timeout(timeoutMs);
        const response = await fetch(url, {
          method: spec.method,
          headers,
          ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
          signal,
        });
        const text = await response.text();
        // A refusal's own wait (Retry-After) rules; its X-RateLimit-Reset is only minute-precise.
        if (response.status !== 429 && response.status !== 503)
          observeRateHeaders(response.headers, bucket, budget);
        emit({
          type: 'call',
          endpoint,
          method: spec.method,
          status: response.status,
          ms: Date.now() - attemptStarted,
          attempt,
        });
        if (response.ok) {
          const parsed = parseJson(text);
          if (parsed.ok) return { status: response.status, body: parsed.value, headers: response.headers };
          outcome = { type: 'malformed' };
          failure = new AtlassianError(
            `${endpoint} returned HTTP ${response.status} with a body that is not valid JSON`,
            {
              kind: 'transient',
              status: response.status,
              endpoint,
              retryable: true,
            },
          );
        } else {
          outcome = {
            type: 'status',
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
            rateLimitReset: response.headers.get('x-ratelimit-reset'),
          };
          failure = classify(response.status, text, endpoint);
          pauseOnRefusal(response, outcome, bucket, budget, endpoint);
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        const code = networkCode(error);
        emit({
          type: 'call',
          endpoint,
          method: spec.method,
          errorCode: code,
          ms: Date.now() - attemptStarted,
          attempt,
        });
        outcome = { type: 'network', code, maybeSent: !NOT_SENT_CODES.has(code) };
        failure = new AtlassianError(`${endpoint} could not reach ${new URL(url).host}: ${code}`, {
          kind: 'network',
          code,
          endpoint,
          retryable: true,
          cause: error,
        });
      } finally {
        release();
      }

      const decision = decideRetry(outcome, attempt, policy, {
        idempotent: spec.idempotent,
        elapsedMs: Date.now() - started,
      });
      if (!decision.retry) {
        if (decision.ambiguous) {
          // The server may have acted: the caller must re-read state instead of repeating the call.
          throw new AtlassianError(
            `${failure.message} (the request may have been applied; re-read before retrying)`,
            {
              kind: 'transient',
              endpoint,
              retryable: false,
              ...(failure.status === undefined ? {} : { status: failure.status }),
              ...(failure.code === undefined ? {} : { code: failure.code }),
              ...(failure.atlassianMessage === undefined
                ? {}
                : { atlassianMessage: failure.atlassianMessage }),
              cause: failure,
            },
          );
        }
        throw failure;
      }
      stats.retries += 1;
      emit({ type: 'retry', endpoint, attempt, reason: decision.reason, waitMs: decision.waitMs });
      await sleep(decision.waitMs, options.signal);
    }
  }

  function observeRateHeaders(headers: Headers, bucket: string, budget: BucketBudget): void {
    const remaining = headers.get('x-ratelimit-remaining');
    if (remaining === null || !/^\d+$/.test(remaining.trim())) return;
    limiter.observeRemaining(
      bucket,
      budget,
      Number(remaining),
      parseResetAt(headers.get('x-ratelimit-reset')),
    );
  }

  function pauseOnRefusal(
    response: Response,
    outcome: Extract<AttemptOutcome, { type: 'status' }>,
    bucket: string,
    budget: BucketBudget,
    endpoint: EndpointId,
  ): void {
    if (outcome.status !== 429 && outcome.status !== 503) return;
    const waitMs = serverWaitMs(outcome, Date.now());
    if (outcome.status === 503 && waitMs === undefined) return;
    // Without a server hint, hold the bucket for one token's worth so the herd does not stampede.
    const pauseMs = waitMs ?? Math.ceil(1000 / budget.ratePerSecond);
    limiter.pause(bucket, budget, Date.now() + pauseMs);
    if (outcome.status === 429) limiter.throttle(bucket, budget);
    stats.rateLimited += 1;
    stats.rateLimitWaitMs += pauseMs;
    const reason =
      response.headers.get('ratelimit-reason') ?? response.headers.get('x-ratelimit-reason') ?? undefined;
    emit({ type: 'rateLimited', endpoint, bucket, waitMs: pauseMs, ...(reason ? { reason } : {}) });
  }

  return {
    request,
    stats: () => ({ ...stats, callsByEndpoint: { ...stats.callsByEndpoint } }),
    siteUrl,
    orgId: config.orgId,
    cloudId,
  };
}

function buildUrl(base: string, spec: EndpointSpec, options: RequestOptions, endpoint: EndpointId): string {
  const path = spec.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = options.pathParams?.[name];
    if (value === undefined || value === '') {
      throw new AtlassianError(`${endpoint} needs path parameter ${name}`, {
        kind: 'invalid',
        endpoint,
        retryable: false,
      });
    }
    return encodeURIComponent(value);
  });
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries({ ...spec.defaultQuery, ...options.query })) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  return url.toString();
}

function resolveBudgets(overrides: ConnectorConfig['budgets']): Record<BucketName, BucketBudget> {
  return {
    site: { ...DEFAULT_BUDGETS.site, ...overrides?.site },
    org: { ...DEFAULT_BUDGETS.org, ...overrides?.org },
    orgLastActive: { ...DEFAULT_BUDGETS.orgLastActive, ...overrides?.orgLastActive },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return ms <= 0 ? Promise.resolve() : delay(ms, undefined, signal ? { signal } : {});
}
