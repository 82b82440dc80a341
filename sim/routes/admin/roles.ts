// `POST /v1/orgs/{orgId}/users/{userId}/roles/assign|revoke`: product access and admin roles.
// This API answers with its own ADMIN-UAM codes.

import { z } from 'zod';
import { isBillable, productIsFull } from '../../licensing.ts';
import type { SimAccount, SimProduct } from '../../model.ts';
import type { SimRuntime } from '../../runtime.ts';
import { AdminError } from './errors.ts';
import { productForResource } from './views.ts';
import { parseBody, type AdminRoute, type AdminRequest, type AdminResponse } from './route.ts';

const ROLES = [
  'atlassian/user',
  'atlassian/user-access-admin',
  'atlassian/admin',
  'atlassian/guest',
  'atlassian/contributor',
  'atlassian/customer',
  'atlassian/basic',
  'atlassian/stakeholder',
  'atlassian/site-admin',
  'atlassian/org-admin',
] as const;
type Role = (typeof ROLES)[number];

/** Roles that only grant administration, never a product seat. */
const NO_SEAT_ROLES: ReadonlySet<Role> = new Set(['atlassian/user-access-admin']);

const roleRequestSchema = z.object({ role: z.enum(ROLES), resource: z.string().min(1).optional() });

function findUser(sim: SimRuntime, userId: string): SimAccount {
  const account = sim.state.accounts.get(userId);
  if (account?.directoryId == null) throw new AdminError('roleNotFound', `User ${userId} was not found.`);
  return account;
}

function findResource(sim: SimRuntime, resource: string | undefined): SimProduct {
  if (resource === undefined) throw new AdminError('roleBadRequest', '`resource` is required for this role.');
  const product = productForResource(sim.state, resource);
  if (!product) throw new AdminError('roleNotFound', `Resource ${resource} was not found.`);
  return product;
}

function change(assign: boolean): (request: AdminRequest) => AdminResponse {
  return ({ sim, params, body }) => {
    const input = parseBody(roleRequestSchema, body, 'roleBadRequest');
    const account = findUser(sim, params.userId ?? '');
    if (input.role === 'atlassian/org-admin') {
      // "Any resource passed for org-admin shall be ignored".
      account.orgAdmin = assign;
    } else {
      const product = findResource(sim, input.resource);
      if (input.role === 'atlassian/site-admin') account.siteAdmin = assign;
      else if (!NO_SEAT_ROLES.has(input.role)) setProductAccess(sim, account, product, assign);
    }
    sim.indexes.invalidate();
    return { status: 204 };
  };
}

function setProductAccess(sim: SimRuntime, account: SimAccount, product: SimProduct, grant: boolean): void {
  const has = account.products.some((p) => p.key === product.key);
  if (grant && !has) {
    if (productIsFull(sim.state, product.key)) {
      throw new AdminError('roleLicenceLimit', `The user limit for ${product.name} is reached.`);
    }
    account.products.push({ key: product.key, lastActive: null });
  }
  if (!grant && has) account.products = account.products.filter((p) => p.key !== product.key);
  account.billable = isBillable(account);
}

export const roleRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    url: '/admin/v1/orgs/:orgId/users/:userId/roles/assign',
    scope: null,
    scopedKeyError: 'roleForbidden',
    handle: change(true),
  },
  {
    method: 'POST',
    url: '/admin/v1/orgs/:orgId/users/:userId/roles/revoke',
    scope: null,
    scopedKeyError: 'roleForbidden',
    handle: change(false),
  },
];
