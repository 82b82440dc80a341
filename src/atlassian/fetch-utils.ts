// Small fetch helpers shared by the client and cloudId discovery.
import { AtlassianError, classify } from './errors.ts';
import { ENDPOINTS, type EndpointId } from './endpoints.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** `GET {site}/_edge/tenant_info` (no auth) → `{ cloudId }`. */
export async function discoverCloudId(
  siteUrl: string,
  options: { timeoutMs?: number } = {},
): Promise<string> {
  const endpoint: EndpointId = 'site.tenantInfo';
  const url = `${trimSlash(siteUrl)}${ENDPOINTS[endpoint].path}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    const code = networkCode(error);
    throw new AtlassianError(`${endpoint} could not reach ${new URL(url).host}: ${code}`, {
      kind: 'network',
      code,
      endpoint,
      retryable: true,
      cause: error,
    });
  }
  if (!response.ok) throw classify(response.status, text, endpoint);
  const parsed = parseJson(text);
  const cloudId = parsed.ok && isRecord(parsed.value) ? parsed.value.cloudId : undefined;
  if (typeof cloudId !== 'string' || cloudId === '') {
    throw new AtlassianError(`${endpoint} did not return a cloudId`, {
      kind: 'invalid',
      endpoint,
      retryable: false,
    });
  }
  return cloudId;
}

/** Finds the system error code (ECONNRESET, ENOTFOUND, CERT_HAS_EXPIRED…) inside fetch's TypeError. */
export function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    if (current.name === 'TimeoutError') return 'ETIMEDOUT';
    if (typeof current.code === 'string' && current.code !== '') return current.code;
    current = current.cause;
  }
  return 'UNKNOWN_NETWORK_ERROR';
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
