// Jira user endpoints: myself, users/search (+ /users), user GET/POST/DELETE, user/groups.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimAccount } from '../../model.ts';
import { indexesFor } from '../../indexes.ts';
import { isBillable, productIsFull } from '../../licensing.ts';
import { addUser, detachEverywhere } from '../../mutate.ts';
import type { SimRuntime } from '../../runtime.ts';
import { renderApplicationRole, rolesOfAccount } from './application-roles.ts';
import {
  expandSet,
  groupName,
  intParam,
  jiraBase,
  jiraError,
  queryOf,
  requireSiteAdmin,
  single,
  userJson,
} from './render.ts';

/** Jira application key → Organizations product key. */
const APP_TO_PRODUCT: Record<string, string | null> = {
  'jira-software': 'jira-software',
  'jira-servicedesk': 'jira-service-desk',
  'jira-product-discovery': 'jira-product-discovery',
  'jira-core': null,
};

const USER_NOT_FOUND = 'Specified user does not exist or you do not have required permissions';

export function groupsOfAccount(sim: SimRuntime, accountId: string) {
  return indexesFor(sim.state)
    .groups()
    .filter((g) => g.members.has(accountId));
}

/** `User` with the `groups` and `applicationRoles` wrappers Jira adds on single-user reads. */
function fullUser(sim: SimRuntime, request: FastifyRequest, account: SimAccount): Record<string, unknown> {
  const base = jiraBase(sim, request);
  const expand = expandSet(queryOf(request));
  const groups = groupsOfAccount(sim, account.accountId);
  const roles = rolesOfAccount(sim, account);
  return {
    ...userJson(base, account),
    groups: { size: groups.length, items: expand.has('groups') ? groups.map((g) => groupName(base, g)) : [] },
    applicationRoles: {
      size: roles.length,
      items: expand.has('applicationRoles') ? roles.map((r) => renderApplicationRole(sim, base, r)) : [],
    },
    expand: 'groups,applicationRoles',
  };
}

export function registerUserRoutes(app: FastifyInstance, sim: SimRuntime): void {
  app.get('/rest/api/3/myself', (request, reply) => {
    const principal = request.principal;
    const account = principal?.kind === 'site' ? sim.state.accounts.get(principal.accountId) : undefined;
    if (!account) return jiraError(reply, 404, USER_NOT_FOUND);
    return fullUser(sim, request, account);
  });

  // Every account type, active or not, in insertion order; a bare array, not a PageBean.
  const listUsers = (request: FastifyRequest) => {
    const query = queryOf(request);
    const startAt = intParam(query, 'startAt', 0, 0, Number.MAX_SAFE_INTEGER);
    const maxResults = intParam(query, 'maxResults', 50, 0, 1000);
    const base = jiraBase(sim, request);
    return sim.indexes
      .accounts()
      .slice(startAt, startAt + maxResults)
      .map((a) => userJson(base, a));
  };
  app.get('/rest/api/3/users/search', listUsers);
  app.get('/rest/api/3/users', listUsers);

  app.get('/rest/api/3/user', (request, reply) => {
    const accountId = single(queryOf(request), 'accountId');
    const account = accountId ? sim.state.accounts.get(accountId) : undefined;
    if (!account) return jiraError(reply, 404, USER_NOT_FOUND);
    return fullUser(sim, request, account);
  });

  app.get('/rest/api/3/user/groups', (request, reply) => {
    const accountId = single(queryOf(request), 'accountId');
    if (!accountId || !sim.state.accounts.has(accountId)) return jiraError(reply, 404, USER_NOT_FOUND);
    const base = jiraBase(sim, request);
    return groupsOfAccount(sim, accountId).map((g) => groupName(base, g));
  });

  app.post('/rest/api/3/user', (request, reply) => {
    if (!requireSiteAdmin(request, reply)) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = body.emailAddress;
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      return jiraError(reply, 400, '', { emailAddress: 'You must specify a valid email address.' });
    }
    const products = body.products;
    if (!Array.isArray(products))
      return jiraError(reply, 400, 'You must specify the products that user can access.');
    const appKeys = products.filter((p): p is string => typeof p === 'string');
    const unknown = appKeys.find((k) => !(k in APP_TO_PRODUCT));
    if (unknown !== undefined || appKeys.length !== products.length) {
      return jiraError(reply, 400, '', { products: 'The products list contains an unknown product key.' });
    }
    if (indexesFor(sim.state).accountByEmail(email)) {
      return jiraError(reply, 400, 'User already exists with this email address.');
    }
    const productKeys = appKeys
      .map((k) => APP_TO_PRODUCT[k])
      .filter((k): k is string => typeof k === 'string');
    if (productKeys.some((k) => productIsFull(sim.state, k))) {
      return jiraError(reply, 400, 'The number of licensed users is exceeded for the requested products.');
    }
    const adminDomain = sim.state.credentials.adminEmail.split('@')[1] ?? '';
    const account = addUser(
      sim.state,
      {
        op: 'addUser',
        displayName: email.split('@')[0] ?? email,
        email,
        accountType: 'atlassian',
        managed: email.toLowerCase().endsWith(`@${adminDomain}`),
        emailVisibleInJira: true,
        products: [...new Set(productKeys)].map((key) => ({ key, lastActive: null })),
        lastActive: null,
      },
      sim.now(),
    );
    // Jira grants product access through the application roles' default groups.
    for (const role of sim.state.applicationRoles) {
      if (!productKeys.includes(role.productKey)) continue;
      for (const groupId of role.defaultGroupIds)
        sim.state.groups.get(groupId)?.members.add(account.accountId);
    }
    sim.indexes.invalidate();
    const base = jiraBase(sim, request);
    return reply
      .code(201)
      .header('Location', `${base}/rest/api/3/user?accountId=${account.accountId}`)
      .send(userJson(base, account));
  });

  app.delete('/rest/api/3/user', (request, reply) => {
    if (!requireSiteAdmin(request, reply)) return reply;
    const accountId = single(queryOf(request), 'accountId');
    if (!accountId) return jiraError(reply, 400, 'The accountId query parameter is required.');
    const account = sim.state.accounts.get(accountId);
    if (!account) return jiraError(reply, 404, USER_NOT_FOUND);
    const principal = request.principal;
    if (principal?.kind === 'site' && principal.accountId === accountId) {
      return jiraError(reply, 400, 'You cannot remove yourself from the site.');
    }
    // Removes the user from this Jira site only: the Atlassian account remains.
    detachEverywhere(sim.state, accountId);
    account.products = account.products.filter((p) => !p.key.startsWith('jira-'));
    account.jiraActive = false;
    account.billable = isBillable(account);
    sim.indexes.invalidate();
    return reply.code(204).send();
  });
}
