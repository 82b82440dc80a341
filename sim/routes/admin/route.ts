// Admin routes are declared as data (method, path, the scope a scoped key needs) and mounted by
// one wrapper that applies what every Organizations operation shares: the org-key principal,
// the org lookup (`ADMIN-404-2`), refusing scoped keys where no scope exists, and error bodies.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { PROXY_UNAUTHORIZED } from '../../auth.ts';
import { uuid } from '../../prng.ts';
import type { SimRuntime } from '../../runtime.ts';
import { AdminError, adminErrorBody, type AdminErrorKind } from './errors.ts';

export interface AdminRequest {
  sim: SimRuntime;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface AdminResponse {
  status: number;
  body?: unknown;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path on the API host, e.g. `/admin/v1/orgs/:orgId/users`. */
  url: string;
  /**
   * The scope the spec names for the operation. Null: the spec names none, so only a key
   * without scopes may call it (every write, last-active-dates).
   */
  scope: string | null;
  /** The error a scoped key gets where `scope` is null; ADMIN-403-3 unless the spec names another. */
  scopedKeyError?: AdminErrorKind;
  /** `list`: `{errors: [ApplicationError]}` (most operations); `single`: a bare `ApplicationError`. */
  errorShape?: 'list' | 'single';
  handle(request: AdminRequest): AdminResponse;
}

export function mountAdminRoutes(app: FastifyInstance, sim: SimRuntime, routes: readonly AdminRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: (request, reply) => runAdminRoute(sim, route, request, reply),
    });
  }
}

function runAdminRoute(
  sim: SimRuntime,
  route: AdminRoute,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const principal = request.principal;
  if (principal?.kind !== 'orgKey') return reply.code(401).send(PROXY_UNAUTHORIZED);
  const params = request.params as Record<string, string>;
  try {
    if (params.orgId !== undefined && params.orgId !== sim.state.orgId) {
      throw new AdminError('orgNotFound', `Organization ${params.orgId} was not found.`);
    }
    if (route.scope === null && principal.scoped) {
      throw new AdminError(
        route.scopedKeyError ?? 'cannotManageOrg',
        'This operation needs an API key without scopes.',
      );
    }
    const result = route.handle({
      sim,
      params,
      query: request.query as AdminRequest['query'],
      body: request.body,
    });
    if (result.body === undefined) return reply.code(result.status).send();
    return reply.code(result.status).send(result.body);
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    const body = adminErrorBody(
      error,
      uuid(() => sim.rng()),
    );
    return reply.code(error.status).send(route.errorShape === 'single' ? body.errors[0] : body);
  }
}

/** Validate a JSON body; a mismatch is `ADMIN-400-24` (invalid request body) unless told otherwise. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, kind: AdminErrorKind = 'badBody'): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body';
    throw new AdminError(kind, `The request body is not valid (${where}).`);
  }
  return parsed.data;
}

/** A query parameter that may repeat (`?x=a&x=b`), as a list. */
export function queryList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function queryOne(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
