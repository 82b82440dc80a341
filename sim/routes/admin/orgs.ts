// Organizations API v1 reads: the org itself, managed accounts, last-active dates per product.

import { z } from 'zod';
import type { SimAccount } from '../../model.ts';
import type { SimRuntime } from '../../runtime.ts';
import { decodeCursor, encodeCursor, scanPage } from './cursor.ts';
import { AdminError } from './errors.ts';
import { queryOne, type AdminRoute } from './route.ts';
import { productByKey, v1User } from './views.ts';

/** `GET /v1/orgs/{orgId}/users` has no `limit`: the server fixes the page size. */
export const V1_USERS_PAGE_SIZE = 100;

const v1CursorSchema = z.object({
  v: z.literal(1),
  next: z.number().int().nonnegative(),
  afterId: z.string().nullable(),
});

/** Managed accounts: on a verified domain and still in the org directory. */
function isListedManaged(account: SimAccount): boolean {
  return account.managed && account.directoryId !== null;
}

const managedTotals = new WeakMap<readonly SimAccount[], number>();

function managedTotal(sim: SimRuntime): number {
  const accounts = sim.indexes.accounts();
  let total = managedTotals.get(accounts);
  if (total === undefined) {
    total = accounts.filter(isListedManaged).length;
    managedTotals.set(accounts, total);
  }
  return total;
}

function orgModel(sim: SimRuntime): Record<string, unknown> {
  const self = `${sim.urls.api}/admin/v1/orgs/${sim.state.orgId}`;
  return {
    id: sim.state.orgId,
    type: 'orgs',
    attributes: { name: sim.state.orgName },
    relationships: {
      domains: { links: { related: `${self}/domains` } },
      users: { links: { related: `${self}/users` } },
    },
    links: { self },
  };
}

function findAccountInOrg(sim: SimRuntime, accountId: string): SimAccount {
  const account = sim.state.accounts.get(accountId);
  if (!account || account.directoryId === null) {
    throw new AdminError('userNotFound', `User ${accountId} was not found in the organization.`);
  }
  return account;
}

function dateOnly(iso: string): string {
  return iso.slice(0, 10);
}

export const orgRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    url: '/admin/v1/orgs',
    scope: 'read:orgs:admin',
    handle: ({ sim, query }) => {
      // One org per key: any cursor other than none is past the end.
      if (queryOne(query.cursor) !== undefined) throw new AdminError('badCursor', 'The cursor is not valid.');
      return {
        status: 200,
        body: { data: [orgModel(sim)], links: { self: `${sim.urls.api}/admin/v1/orgs` } },
      };
    },
  },
  {
    method: 'GET',
    url: '/admin/v1/orgs/:orgId',
    scope: 'read:orgs:admin',
    handle: ({ sim }) => ({ status: 200, body: { data: orgModel(sim) } }),
  },
  {
    method: 'GET',
    url: '/admin/v1/orgs/:orgId/users',
    scope: 'read:accounts:admin',
    handle: ({ sim, query }) => {
      const cursor = queryOne(query.cursor);
      const from = cursor === undefined ? { next: 0, afterId: null } : decodeCursor(v1CursorSchema, cursor);
      const page = scanPage(
        sim.indexes.accounts(),
        (a) => a.accountId,
        from,
        V1_USERS_PAGE_SIZE,
        isListedManaged,
      );
      const base = `${sim.urls.api}/admin/v1/orgs/${sim.state.orgId}/users`;
      const links: Record<string, string> = {
        self: cursor === undefined ? base : `${base}?cursor=${cursor}`,
      };
      if (page.resume) links.next = `${base}?cursor=${encodeCursor({ v: 1, ...page.resume })}`;
      return {
        status: 200,
        body: {
          data: page.items.map((account) => v1User(sim, account)),
          links,
          meta: { total: managedTotal(sim) },
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/admin/v1/orgs/:orgId/directory/users/:accountId/last-active-dates',
    scope: null,
    handle: ({ sim, params, query }) => {
      const account = findAccountInOrg(sim, params.accountId ?? '');
      // All products fit on one page, so no cursor is ever issued and none is accepted.
      if (queryOne(query.cursor) !== undefined) throw new AdminError('badCursor', 'The cursor is not valid.');
      const used = account.products.filter((access) => access.lastActive !== null);
      return {
        status: 200,
        body: {
          data: {
            product_access: used.map((access) => ({
              id: productByKey(sim.state, access.key)?.ari ?? access.key,
              key: access.key,
              last_active: dateOnly(access.lastActive ?? ''),
              last_active_timestamp: access.lastActive,
            })),
            added_to_org: dateOnly(account.addedToOrg),
            added_to_org_timestamp: account.addedToOrg,
          },
          links: {},
        },
      };
    },
  },
];
