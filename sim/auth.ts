// Authentication as the real services do it, applied by an onRequest hook before any handler.
// Handlers read `request.principal`; it is set on every authenticated route (null only on the
// open routes: `/_edge/tenant_info` and `/__sim/*`).

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimState } from './model.ts';
import { indexesFor } from './indexes.ts';

export type Principal =
  { kind: 'site'; accountId: string; admin: boolean } | { kind: 'orgKey'; scoped: boolean };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Jira's body for a missing or rejected credential. */
export const JIRA_UNAUTHENTICATED = {
  errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
  errors: {},
} as const;

/** api.atlassian.com gateway `ProxyError` for a missing or rejected Bearer key. */
export const PROXY_UNAUTHORIZED = { code: 401, message: 'Unauthorized' } as const;

export type SiteCredentialKind = 'classic' | 'scoped';

/** Resolve `Authorization: Basic base64(email:token)` to an account, or null when rejected. */
export function resolveBasic(
  state: SimState,
  header: string | undefined,
): { accountId: string; admin: boolean; tokenKind: SiteCredentialKind } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const email = decoded.slice(0, colon).toLowerCase();
  const token = decoded.slice(colon + 1);
  const c = state.credentials;
  const tokens: { email: string; token: string; kind: SiteCredentialKind }[] = [
    { email: c.adminEmail, token: c.apiToken, kind: 'classic' },
    { email: c.userEmail, token: c.userApiToken, kind: 'classic' },
    { email: c.scopedEmail, token: c.scopedApiToken, kind: 'scoped' },
  ];
  const match = tokens.find((row) => row.email.toLowerCase() === email && row.token === token);
  if (!match) return null;
  const account = indexesFor(state).accountByEmail(match.email);
  // A deactivated or removed account's token stops working, as on the real site.
  if (account?.jiraActive !== true) return null;
  return { accountId: account.accountId, admin: account.siteAdmin, tokenKind: match.kind };
}

/** Resolve `Authorization: Bearer <org API key>`, or null when rejected. */
export function resolveBearer(state: SimState, header: string | undefined): Principal | null {
  if (!header?.startsWith('Bearer ')) return null;
  const key = header.slice(7).trim();
  if (key === state.credentials.orgApiKey) return { kind: 'orgKey', scoped: false };
  if (key === state.credentials.scopedOrgApiKey) return { kind: 'orgKey', scoped: true };
  return null;
}

/**
 * Site host: Jira needs a classic token. Gateway (`/ex/jira/{cloudId}`): classic or scoped.
 * Returns false (after answering 401) when the request must stop.
 */
export function authenticateJira(
  state: SimState,
  request: FastifyRequest,
  reply: FastifyReply,
  viaGateway: boolean,
): boolean {
  const resolved = resolveBasic(state, request.headers.authorization);
  if (!resolved || (resolved.tokenKind === 'scoped' && !viaGateway)) {
    void reply
      .code(401)
      .header('WWW-Authenticate', 'Basic realm="protected-area"')
      .send(JIRA_UNAUTHENTICATED);
    return false;
  }
  request.principal = { kind: 'site', accountId: resolved.accountId, admin: resolved.admin };
  void reply.header('X-AAccountId', resolved.accountId);
  return true;
}

/** Admin and user-management APIs: an org API key as Bearer. */
export function authenticateOrgKey(state: SimState, request: FastifyRequest, reply: FastifyReply): boolean {
  const principal = resolveBearer(state, request.headers.authorization);
  if (!principal) {
    void reply.code(401).send(PROXY_UNAUTHORIZED);
    return false;
  }
  request.principal = principal;
  return true;
}
