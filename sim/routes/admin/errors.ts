// Error bodies of the Organizations API, declared as data. Handlers throw `AdminError`; the route
// wrapper (./route.ts) turns it into the JSON:API-style `Errors` body the spec documents.

export const ADMIN_ERRORS = {
  badCursor: { status: 400, code: 'ADMIN-400-1', title: 'Invalid page cursor' },
  badResource: { status: 400, code: 'ADMIN-400-4', title: 'Invalid resource' },
  badBody: { status: 400, code: 'ADMIN-400-24', title: 'Invalid request body' },
  licenceBreaches: { status: 400, code: 'ADMIN-400-32', title: 'Too many license breaches' },
  cannotManageOrg: { status: 403, code: 'ADMIN-403-3', title: 'Not allowed to manage the org' },
  cannotManageGroup: { status: 403, code: 'ADMIN-403-5', title: 'Not allowed to manage the group' },
  defaultGroup: {
    status: 403,
    code: 'ADMIN-403-6',
    title: 'Not allowed to delete group with default-role attribute',
  },
  unknownResource: { status: 404, code: 'ADMIN-404-1', title: 'Unknown resource' },
  orgNotFound: { status: 404, code: 'ADMIN-404-2', title: 'Organization not found' },
  userNotFound: { status: 404, code: 'ADMIN-404-8', title: 'User not found' },
  groupNotFound: { status: 404, code: 'ADMIN-404-10', title: 'Group not found' },
  licenceLimit: { status: 409, code: 'ADMIN-409-3', title: 'License limit exceeded' },
  conflict: { status: 409, code: 'ADMIN-409-28', title: 'Conflict' },
  // User role assignment (`/v1/orgs/{orgId}/users/{userId}/roles/*`) uses its own ADMIN-UAM codes.
  roleBadRequest: { status: 400, code: 'ADMIN-UAM-400-1', title: 'Bad request' },
  roleForbidden: { status: 403, code: 'ADMIN-UAM-403-1', title: 'Forbidden' },
  roleNotFound: { status: 404, code: 'ADMIN-UAM-404-3', title: 'Resource not found' },
  roleLicenceLimit: { status: 409, code: 'ADMIN-UAM-409-3', title: 'Product License Limit Exceeded' },
} as const;

export type AdminErrorKind = keyof typeof ADMIN_ERRORS;

export class AdminError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;

  constructor(
    readonly kind: AdminErrorKind,
    readonly detail: string,
  ) {
    super(detail);
    const spec = ADMIN_ERRORS[kind];
    this.status = spec.status;
    this.code = spec.code;
    this.title = spec.title;
  }
}

export interface AdminErrorBody {
  errors: { id: string; status: string; code: string; title: string; detail: string }[];
}

export function adminErrorBody(error: AdminError, id: string): AdminErrorBody {
  return {
    errors: [
      { id, status: String(error.status), code: error.code, title: error.title, detail: error.detail },
    ],
  };
}
