// User management API (`https://api.atlassian.com/users/{account_id}/manage/...`): what an admin
// may do to a managed account, its profile, and its lifecycle (deactivate, delete, undo both).
// Works only with an org API key without scopes and only on managed accounts, as Atlassian's does.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROXY_UNAUTHORIZED } from '../auth.ts';
import { isBillable } from '../licensing.ts';
import type { SimAccount } from '../model.ts';
import type { SimRuntime } from '../runtime.ts';

export const PRIVILEGES = [
  'profile',
  'profile.write',
  'profile.read',
  'email.set',
  'lifecycle.enablement',
  'lifecycle.delete',
  'apiToken.read',
  'apiToken.delete',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

type RestrictionKey = 'administrative' | 'externalDirectory.scim';
type Rule = { allowed: true } | { allowed: false; reason: { key: RestrictionKey } };

/** Profile fields an admin may write, as JSON paths of the profile object. */
const PROFILE_FIELDS = [
  'name',
  'nickname',
  'zoneinfo',
  'locale',
  'extended_profile.job_title',
  'extended_profile.department',
];
/** Fields an identity provider owns for a synced account. */
const IDP_OWNED_FIELDS = new Set([
  'name',
  'nickname',
  'extended_profile.job_title',
  'extended_profile.department',
]);

/** Why a privilege is refused for this account, or null when it is allowed. */
function restriction(account: SimAccount, privilege: Privilege): RestrictionKey | null {
  const synced = account.managementSource === 'synced';
  switch (privilege) {
    case 'lifecycle.enablement':
    case 'lifecycle.delete':
      if (account.orgAdmin) return 'administrative';
      return synced ? 'externalDirectory.scim' : null;
    case 'email.set':
      return synced ? 'externalDirectory.scim' : null;
    default:
      return null;
  }
}

function rule(reason: RestrictionKey | null): Rule {
  return reason === null ? { allowed: true } : { allowed: false, reason: { key: reason } };
}

function privilegeView(account: SimAccount, privilege: Privilege): unknown {
  if (privilege === 'profile' || privilege === 'profile.write') {
    const synced = account.managementSource === 'synced';
    return Object.fromEntries(
      PROFILE_FIELDS.map((field) => [
        field,
        rule(synced && IDP_OWNED_FIELDS.has(field) ? 'externalDirectory.scim' : null),
      ]),
    );
  }
  return rule(restriction(account, privilege));
}

class UmError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.key));
  }
}

function conflict(account: SimAccount, code: string, message: string): UmError {
  return new UmError(409, {
    key: 'conflict.lifecycleErrors',
    context: { message, accountId: account.accountId, errorCodes: [{ code, message }] },
  });
}

/** The managed account the path names, after the checks every operation shares. */
function target(sim: SimRuntime, request: FastifyRequest): SimAccount {
  const principal = request.principal;
  if (principal?.kind !== 'orgKey') throw new UmError(401, { ...PROXY_UNAUTHORIZED });
  // The user management API accepts only keys without scopes.
  if (principal.scoped) throw new UmError(403, { key: 'forbidden' });
  const { account_id: accountId } = request.params as { account_id: string };
  const account = sim.state.accounts.get(accountId);
  if (!account) throw new UmError(404, { key: 'accountNotFound' });
  if (!account.managed || account.accountType !== 'atlassian')
    throw new UmError(403, { key: 'forbidden.targetUnverified' });
  return account;
}

function requirePrivilege(account: SimAccount, privilege: Privilege): void {
  const reason = restriction(account, privilege);
  if (reason !== null) {
    throw new UmError(403, { key: 'forbidden.action', context: { allowed: false, reason: { key: reason } } });
  }
}

function profile(account: SimAccount): Record<string, unknown> {
  return {
    account_id: account.accountId,
    account_type: account.accountType,
    account_status: account.accountStatus,
    name: account.displayName,
    nickname: account.nickname,
    email: account.email ?? '',
    picture: `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${encodeURIComponent(account.accountId)}/128`,
    zoneinfo: account.timeZone,
    locale: account.locale.replace('_', '-'),
    extended_profile: {},
    characteristics: { not_mentionable: false },
  };
}

/** Jira sign-in follows the account: active, in the directory and not suspended. */
function refreshAccess(account: SimAccount): void {
  account.jiraActive =
    account.accountStatus === 'active' &&
    account.directoryId !== null &&
    account.membershipStatus === 'active';
  account.billable = isBillable(account);
}

type Handler = (
  account: SimAccount,
  request: FastifyRequest,
  sim: SimRuntime,
) => { status: number; body?: unknown };

const lifecycle: Record<'disable' | 'enable' | 'delete' | 'cancel-delete', Handler> = {
  disable: (account, request) => {
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      throw new UmError(400, { key: 'badRequest.bodyParseFailure' });
    }
    requirePrivilege(account, 'lifecycle.enablement');
    if (account.pendingDeletionSince !== null)
      throw conflict(account, 'PENDING_DELETION', 'The account is scheduled for deletion.');
    if (account.accountStatus === 'closed')
      throw conflict(account, 'ACCOUNT_CLOSED', 'The account is closed.');
    account.accountStatus = 'inactive';
    refreshAccess(account);
    return { status: 204 };
  },
  enable: (account) => {
    requirePrivilege(account, 'lifecycle.enablement');
    if (account.pendingDeletionSince !== null) {
      throw conflict(
        account,
        'PENDING_DELETION',
        'Cancel the scheduled deletion before reactivating the account.',
      );
    }
    if (account.accountStatus === 'closed')
      throw conflict(account, 'ACCOUNT_CLOSED', 'The account is closed.');
    account.accountStatus = 'active';
    refreshAccess(account);
    return { status: 204 };
  },
  delete: (account, _request, sim) => {
    requirePrivilege(account, 'lifecycle.delete');
    if (account.pendingDeletionSince !== null)
      throw conflict(account, 'PENDING_DELETION', 'The account is already scheduled for deletion.');
    // During the 14-day grace period the account shows as deactivated.
    account.pendingDeletionSince = sim.now().toISOString();
    account.accountStatus = 'inactive';
    refreshAccess(account);
    return { status: 200, body: { message: 'Success' } };
  },
  'cancel-delete': (account) => {
    requirePrivilege(account, 'lifecycle.delete');
    // The spec documents no 409 here: an account that is not pending deletion is refused as 403.
    if (account.pendingDeletionSince === null) throw new UmError(403, { key: 'forbidden' });
    account.pendingDeletionSince = null;
    account.accountStatus = 'active';
    refreshAccess(account);
    return { status: 200, body: { message: 'Success' } };
  },
};

export function registerUserManagementRoutes(app: FastifyInstance, sim: SimRuntime): void {
  const mount = (method: 'GET' | 'POST', url: string, handler: Handler, writes: boolean): void => {
    app.route({
      method,
      url,
      handler: (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const result = handler(target(sim, request), request, sim);
          if (writes) sim.indexes.invalidate();
          return result.body === undefined
            ? reply.code(result.status).send()
            : reply.code(result.status).send(result.body);
        } catch (error) {
          if (!(error instanceof UmError)) throw error;
          return reply.code(error.status).send(error.body);
        }
      },
    });
  };

  mount(
    'GET',
    '/users/:account_id/manage',
    (account, request) => {
      const { privileges } = request.query as { privileges?: string | string[] };
      const asked = privileges === undefined ? [...PRIVILEGES] : [privileges].flat();
      const known = PRIVILEGES.filter((p) => asked.includes(p));
      return { status: 200, body: Object.fromEntries(known.map((p) => [p, privilegeView(account, p)])) };
    },
    false,
  );
  mount(
    'GET',
    '/users/:account_id/manage/profile',
    (account) => ({ status: 200, body: { account: profile(account) } }),
    false,
  );
  for (const [action, handler] of Object.entries(lifecycle)) {
    mount('POST', `/users/:account_id/manage/lifecycle/${action}`, handler, true);
  }
}
