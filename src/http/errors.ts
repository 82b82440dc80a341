// One error shape for every response: {"error": {code, message, details?}}. Domain errors carry a
// `code`; this table says which status (and which public code) each one becomes.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Domain error codes → HTTP status and the code the API shows. */
const KNOWN_ERRORS: Readonly<Record<string, { status: number; code?: string }>> = {
  invalid_input: { status: 400 },
  unauthenticated: { status: 401 },
  invalid_credentials: { status: 401 },
  forbidden: { status: 403 },
  csrf_failed: { status: 403 },
  not_found: { status: 404 },
  integration_not_found: { status: 404, code: 'not_found' },
  sync_run_not_found: { status: 404, code: 'not_found' },
  sync_already_running: { status: 409 },
  integration_label_taken: { status: 409 },
  invalid_cron: { status: 400, code: 'invalid_input' },
  connection_failed: { status: 422 },
  too_many_attempts: { status: 429 },
};

/** Fastify's own client errors (bad JSON, wrong content type, body too large…), by status. */
const FRAMEWORK_CODES: Readonly<Record<number, string>> = {
  400: 'invalid_input',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** An error raised by route code with its status and public code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, 'not_found', `${what} not found`);
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

interface Translated {
  status: number;
  body: ErrorBody;
  /** Headers the error asks for (e.g. retry-after on 429). */
  headers?: Readonly<Record<string, string>>;
}

function headersOf(error: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof error !== 'object' || error === null || !('headers' in error)) return undefined;
  const headers = error.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  return Object.fromEntries(
    Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

function detailsOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  if ('report' in error) return { report: error.report };
  if ('details' in error) return error.details;
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const message = (error: unknown): string => (error instanceof Error ? error.message : 'Request failed');

/** Maps anything thrown to a status and body; undefined status means "unexpected" (500, logged). */
export function translateError(error: unknown): Translated | undefined {
  if (hasZodFastifySchemaValidationErrors(error)) {
    // Each entry is a zod issue in Fastify's shape: code → keyword, path → instancePath.
    const validation: unknown[] = error.validation;
    const issues = validation.filter(isRecord).map((v) => ({
      code: v.keyword,
      path: [
        error.validationContext,
        ...String(v.instancePath)
          .split('/')
          .filter((p) => p !== ''),
      ],
      message: v.message,
      ...(isRecord(v.params) ? v.params : {}),
    }));
    return { status: 400, body: errorBody('invalid_input', error.message, { issues }) };
  }
  if (error instanceof ZodError) {
    return { status: 400, body: errorBody('invalid_input', 'Invalid input', { issues: error.issues }) };
  }
  if (isResponseSerializationError(error)) return undefined;
  const code = codeOf(error);
  const known = code === undefined ? undefined : KNOWN_ERRORS[code];
  if (code !== undefined && known !== undefined) {
    return {
      status: known.status,
      body: errorBody(known.code ?? code, message(error), detailsOf(error)),
      headers: headersOf(error),
    };
  }
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    // Our own HttpError (and errors from other modules that follow the same convention) keep their
    // snake_case code; framework errors (FST_…) get a stable public one.
    const publicCode =
      code !== undefined && /^[a-z][a-z0-9_]*$/.test(code)
        ? code
        : (FRAMEWORK_CODES[status] ?? 'bad_request');
    return {
      status,
      body: errorBody(publicCode, message(error), detailsOf(error)),
      headers: headersOf(error),
    };
  }
  return undefined;
}

export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const translated = translateError(error);
  if (translated) {
    if (translated.headers) void reply.headers(translated.headers);
    return reply.status(translated.status).send(translated.body);
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply.status(500).send(errorBody('internal', 'Internal server error'));
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .status(404)
    .send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`));
}
