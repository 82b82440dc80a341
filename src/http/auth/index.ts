// The auth layer's public surface.
export { registerAuth, type AuthDeps } from './register.ts';
export { ensureFirstAdmin, DEFAULT_ADMIN_EMAIL, type FirstAdminResult } from './first-admin.ts';
export {
  ROLES,
  PERMISSIONS,
  allowed,
  type Permission,
  type Role,
  type RoutePermission,
} from './permissions.ts';
export { AuthError } from './errors.ts';
export { SESSION_COOKIE, CSRF_HEADER, callerOf } from './guard.ts';
export type { AuthUser, AuthContext, AuthMethod } from './types.ts';
export { createUser, findUserByEmail, type User } from '../../storage/users.ts';
export { deleteExpiredSessions } from '../../storage/sessions.ts';
export { deleteStaleLoginAttempts } from '../../storage/login-attempts.ts';
export { LOGIN_THROTTLE } from './routes-session.ts';
