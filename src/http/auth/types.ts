// The caller, as every handler sees it: `request.user` (null when anonymous), and the
// per-route `config.permission` declaration.
import type { Role } from '../../storage/auth-schema.ts';
import type { RoutePermission } from './permissions.ts';

export interface AuthUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

/** How the caller proved who they are; CSRF applies to 'session' only. */
export type AuthMethod = 'session' | 'token';

export interface AuthContext {
  method: AuthMethod;
  /** The sessions row id (sha256 of the cookie token), for logout. */
  sessionId: string | null;
  /** The session's CSRF token; null for API tokens. */
  csrfToken: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    auth: AuthContext | null;
  }
}
