// Who may see what, mirroring PERMISSIONS in src/http/auth/permissions.ts (the server enforces it;
// the UI only hides what a role cannot use).
import type { Role } from '../api/types.ts';

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
  | 'requests:own'
  | 'requests:decide'
  | 'requests:admin';

const READS: Permission[] = ['integrations:read', 'inventory:read', 'licenses:read', 'runs:read'];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    ...READS,
    'integrations:write',
    'sync:run',
    'settings:write',
    'users:manage',
    'tokens:own',
    'requests:own',
    'requests:decide',
    'requests:admin',
  ],
  auditor: READS,
  approver: ['inventory:read', 'licenses:read', 'tokens:own', 'requests:own', 'requests:decide'],
  requester: ['tokens:own', 'requests:own'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
