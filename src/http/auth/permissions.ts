// Who may do what, as data. Every route declares one RoutePermission in `config.permission`;
// registerAuth refuses to start with a route that declares none.
import type { Role } from '../../storage/auth-schema.ts';

export type { Role } from '../../storage/auth-schema.ts';

export const ROLES = ['admin', 'approver', 'requester', 'auditor'] as const satisfies readonly Role[];

export type Permission =
  | 'integrations:read'
  | 'integrations:write'
  | 'sync:run'
  | 'inventory:read'
  | 'licenses:read'
  | 'settings:write'
  | 'users:manage'
  | 'tokens:own'
  | 'runs:read'
  | 'actions:run'
  | 'audit:read'
  | 'requests:own'
  | 'requests:decide'
  | 'requests:admin';

export const PERMISSIONS: Readonly<Record<Permission, readonly Role[]>> = {
  'integrations:read': ['admin', 'auditor'],
  'integrations:write': ['admin'],
  'sync:run': ['admin'],
  'inventory:read': ['admin', 'auditor', 'approver'],
  'licenses:read': ['admin', 'auditor', 'approver'],
  'settings:write': ['admin'],
  'users:manage': ['admin'],
  'tokens:own': ['admin', 'approver', 'requester'],
  'runs:read': ['admin', 'auditor'],
  'actions:run': ['admin'],
  'audit:read': ['admin', 'auditor'],
  'requests:own': ['admin', 'approver', 'requester'],
  'requests:decide': ['admin', 'approver'],
  'requests:admin': ['admin'],
};

/**
 * What a route requires: a Permission; 'authenticated' (any signed-in user, e.g. /auth/me,
 * /auth/logout); or 'public' (login, health, docs, static UI).
 */
export type RoutePermission = Permission | 'authenticated' | 'public';

export function allowed(role: Role, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(role);
}

export function isRoutePermission(value: unknown): value is RoutePermission {
  return (
    value === 'public' ||
    value === 'authenticated' ||
    (typeof value === 'string' && Object.hasOwn(PERMISSIONS, value))
  );
}
