// One error type for every Atlassian failure, classified into a small set of kinds that callers
// (sync, actions, diagnose) can act on without knowing which of Atlassian's many error bodies came back.

export type ErrorKind =
  'auth' | 'permission' | 'not_found' | 'rate_limited' | 'transient' | 'conflict' | 'invalid' | 'network';

export interface AtlassianErrorInit {
  kind: ErrorKind;
  endpoint: string;
  retryable: boolean;
  status?: number;
  code?: string;
  atlassianMessage?: string;
  cause?: unknown;
}

export class AtlassianError extends Error {
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly atlassianMessage?: string;
  readonly endpoint: string;
  readonly retryable: boolean;

  constructor(message: string, init: AtlassianErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AtlassianError';
    this.kind = init.kind;
    this.endpoint = init.endpoint;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.atlassianMessage !== undefined) this.atlassianMessage = init.atlassianMessage;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      status: this.status,
      code: this.code,
      atlassianMessage: this.atlassianMessage,
      endpoint: this.endpoint,
      retryable: this.retryable,
    };
  }
}

export function isAtlassianError(value: unknown): value is AtlassianError {
  return value instanceof AtlassianError;
}

/** Status → kind. Anything 5xx (and 408) is worth another try; 4xx is the caller's problem. */
export function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'auth';
  if (status === 402 || status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'transient';
  return 'invalid';
}

export function isRetryableKind(kind: ErrorKind): boolean {
  return kind === 'rate_limited' || kind === 'transient' || kind === 'network';
}

interface ParsedBody {
  code?: string;
  message?: string;
}

const MAX_MESSAGE_CHARS = 500;

/**
 * Builds an AtlassianError from an HTTP error response. `body` is the raw text or an already
 * parsed value. Every error shape Atlassian documents is recognised and its message and code kept.
 */
export function classify(status: number, body: unknown, endpoint: string): AtlassianError {
  const parsed = parseErrorBody(body);
  const kind = kindForStatus(status);
  const detail = parsed.message ? `: ${parsed.message}` : '';
  const code = parsed.code ? ` [${parsed.code}]` : '';
  return new AtlassianError(`${endpoint} failed with HTTP ${status} (${kind})${code}${detail}`, {
    kind,
    status,
    endpoint,
    retryable: isRetryableKind(kind),
    ...(parsed.code === undefined ? {} : { code: parsed.code }),
    ...(parsed.message === undefined ? {} : { atlassianMessage: parsed.message }),
  });
}

export function parseErrorBody(body: unknown): ParsedBody {
  if (typeof body === 'string') {
    const text = body.trim();
    if (text === '') return {};
    try {
      return parseErrorBody(JSON.parse(text) as unknown);
    } catch {
      return { message: truncate(stripTags(text)) };
    }
  }
  if (!isRecord(body)) return {};
  for (const parser of SHAPES) {
    const result = parser(body);
    if (result) return result;
  }
  return {};
}

type ShapeParser = (body: Record<string, unknown>) => ParsedBody | undefined;

// Order matters: the most specific shapes first.
const SHAPES: ShapeParser[] = [
  // Jira ErrorCollection: { errorMessages: string[], errors: { field: message } }
  (b) => {
    if (!Array.isArray(b.errorMessages) && !isRecord(b.errors)) return undefined;
    const messages = strings(b.errorMessages);
    if (isRecord(b.errors)) {
      for (const [field, msg] of Object.entries(b.errors)) {
        if (typeof msg === 'string') messages.push(`${field}: ${msg}`);
      }
    }
    return messages.length ? { message: truncate(messages.join('; ')) } : {};
  },
  // Admin JSON:API: { errors: [{ id, status, code, title, detail }] }
  (b) => {
    if (!Array.isArray(b.errors)) return undefined;
    const errors = b.errors.filter(isRecord);
    const first = errors[0];
    const code = first ? str(first.code) : undefined;
    const messages = errors
      .map((e) => str(e.detail) ?? str(e.title))
      .filter((m): m is string => m !== undefined);
    return {
      ...(code === undefined ? {} : { code }),
      ...(messages.length ? { message: truncate(messages.join('; ')) } : {}),
    };
  },
  // User management: { key: 'forbidden.action', context: { message?, errorCodes? } }
  (b) => {
    const key = str(b.key);
    if (key === undefined) return undefined;
    const context = isRecord(b.context) ? b.context : {};
    const codes = Array.isArray(context.errorCodes)
      ? context.errorCodes.filter(isRecord).map((c) => str(c.message) ?? str(c.code))
      : [];
    const message = [str(context.message), ...codes].filter((m): m is string => !!m).join('; ');
    return { code: key, message: truncate(message || key) };
  },
  // Spring-style: { timestamp, path, status, error: 'Forbidden', message }
  (b) => {
    if (b.timestamp === undefined || typeof b.error !== 'string') return undefined;
    const message = str(b.message) ?? b.error;
    return { code: b.error, message: truncate(message) };
  },
  // Gateway ProxyError: { code: 401, message } — and anything else with a message.
  (b) => {
    const message = str(b.message) ?? str(b.error) ?? str(b.detail);
    if (message === undefined) return undefined;
    const code = typeof b.code === 'number' || typeof b.code === 'string' ? String(b.code) : undefined;
    return { ...(code === undefined ? {} : { code }), message: truncate(message) };
  },
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function stripTags(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}
