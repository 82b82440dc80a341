// Organizations API v2 directory reads: directories, user search and detail, group search and detail.

import { z } from 'zod';
import type { SimAccount, SimDirectory, SimGroup } from '../../model.ts';
import type { SimRuntime } from '../../runtime.ts';
import { decodeCursor, encodeCursor, scanPage, type ScanPosition, type ScannedPage } from './cursor.ts';
import { AdminError } from './errors.ts';
import { parseBody, queryList, queryOne, type AdminRoute } from './route.ts';
import {
  checkGroupFilter,
  checkUserFilter,
  groupCandidates,
  groupMatcher,
  groupSearchBodySchema,
  groupSearchFilterSchema,
  stripGroupAri,
  userCandidates,
  userMatcher,
  userSearchBodySchema,
  userSearchFilterSchema,
} from './search.ts';
import { v2Group, v2User, type GroupExpand, type UserExpand } from './views.ts';

const USERS_SEARCH_DEFAULT_LIMIT = 50;
const GROUPS_SEARCH_DEFAULT_LIMIT = 20;
const DIRECTORIES_DEFAULT_LIMIT = 20;

const position = { next: z.number().int().nonnegative(), afterId: z.string().nullable() };
const userCursorSchema = z.object({
  v: z.literal('users'),
  dir: z.string(),
  q: userSearchFilterSchema,
  ...position,
});
const groupCursorSchema = z.object({
  v: z.literal('groups'),
  dir: z.string(),
  q: groupSearchFilterSchema,
  ...position,
});
const directoryFilterSchema = z.object({
  accountId: z.string().optional(),
  directoryIds: z.array(z.string()).max(10).optional(),
  searchTerm: z.string().optional(),
  limit: z.number().int().min(1).max(100),
});
const directoryCursorSchema = z.object({
  v: z.literal('directories'),
  q: directoryFilterSchema,
  ...position,
});

const START: ScanPosition = { next: 0, afterId: null };

/** `-` means every directory the key may manage (reads and searches only). */
export function requireDirectory(sim: SimRuntime, directoryId: string, allowAll: boolean): void {
  if (allowAll && directoryId === '-') return;
  if (!sim.state.directories.some((d) => d.directoryId === directoryId)) {
    throw new AdminError('unknownResource', `Directory ${directoryId} was not found.`);
  }
}

/** v2 links carry cursors: `self` is the cursor that fetched this page (absent on the first page). */
function links(
  self: string | undefined,
  page: ScannedPage<unknown>,
  nextCursor: () => string,
): Record<string, string> {
  return { ...(self === undefined ? {} : { self }), ...(page.resume ? { next: nextCursor() } : {}) };
}

function parseLimit(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new AdminError('badBody', '`limit` must be an integer from 1 to 100.');
  }
  return limit;
}

function directoryMatcher(
  sim: SimRuntime,
  q: z.infer<typeof directoryFilterSchema>,
): (d: SimDirectory) => boolean {
  const memberOf =
    q.accountId === undefined ? undefined : (sim.state.accounts.get(q.accountId)?.directoryId ?? null);
  return (directory) => {
    if (memberOf !== undefined && directory.directoryId !== memberOf) return false;
    if (q.directoryIds && !q.directoryIds.includes(directory.directoryId)) return false;
    if (q.searchTerm !== undefined && !directory.name.toLowerCase().includes(q.searchTerm.toLowerCase()))
      return false;
    return true;
  };
}

export const directoryRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    url: '/admin/v2/orgs/:orgId/directories',
    scope: 'read:directories:admin',
    handle: ({ sim, query }) => {
      const cursor = queryOne(query.cursor);
      const directoryIds = queryList(query.directoryIds);
      const { q, from } =
        cursor === undefined
          ? {
              q: {
                accountId: queryOne(query.accountId),
                directoryIds: directoryIds.length > 0 ? directoryIds : undefined,
                searchTerm: queryOne(query.searchTerm),
                limit: parseLimit(queryOne(query.limit), DIRECTORIES_DEFAULT_LIMIT),
              },
              from: START,
            }
          : (() => {
              const c = decodeCursor(directoryCursorSchema, cursor);
              return { q: c.q, from: c };
            })();
      const page = scanPage(
        sim.state.directories,
        (d) => d.directoryId,
        from,
        q.limit,
        directoryMatcher(sim, q),
      );
      return {
        status: 200,
        body: {
          data: page.items.map((d) => ({ directoryId: d.directoryId, name: d.name })),
          links: links(cursor, page, () => encodeCursor({ v: 'directories', q, ...page.resume })),
        },
      };
    },
  },
  {
    method: 'POST',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/users/search',
    scope: 'read:directories:admin',
    handle: ({ sim, params, body }) => {
      const request = parseBody(userSearchBodySchema, body);
      let dir = params.directoryId ?? '';
      let q: z.infer<typeof userSearchFilterSchema>;
      let from = START;
      if (request.cursor !== undefined) {
        const c = decodeCursor(userCursorSchema, request.cursor);
        ({ dir, q } = c);
        from = c;
      } else {
        const { cursor: _cursor, ...filter } = request;
        q = filter;
        checkUserFilter(q);
      }
      requireDirectory(sim, dir, true);
      const expand = new Set<UserExpand>(q.expand ?? []);
      const page = scanPage(
        userCandidates(sim, q),
        (a: SimAccount) => a.accountId,
        from,
        q.limit ?? USERS_SEARCH_DEFAULT_LIMIT,
        userMatcher(sim, q, dir),
      );
      const groupDirectory = dir === '-' ? null : dir;
      return {
        status: 200,
        body: {
          data: page.items.map((account) => v2User(sim, account, expand, groupDirectory)),
          links: links(request.cursor, page, () => encodeCursor({ v: 'users', dir, q, ...page.resume })),
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/users/:userId',
    scope: 'read:directories:admin',
    handle: ({ sim, params }) => {
      const dir = params.directoryId ?? '';
      requireDirectory(sim, dir, true);
      const account = sim.state.accounts.get(params.userId ?? '');
      if (!account || account.directoryId === null || (dir !== '-' && account.directoryId !== dir)) {
        throw new AdminError('userNotFound', `User ${params.userId ?? ''} was not found in the directory.`);
      }
      const expand = new Set<UserExpand>(['platformRoles', 'counts.resources']);
      return { status: 200, body: { data: v2User(sim, account, expand, null) } };
    },
  },
  {
    method: 'POST',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/groups/search',
    scope: 'read:groups:admin',
    handle: ({ sim, params, body }) => {
      const request = parseBody(groupSearchBodySchema, body);
      let dir = params.directoryId ?? '';
      let q: z.infer<typeof groupSearchFilterSchema>;
      let from = START;
      if (request.cursor !== undefined) {
        const c = decodeCursor(groupCursorSchema, request.cursor);
        ({ dir, q } = c);
        from = c;
      } else {
        const { cursor: _cursor, ...filter } = request;
        q = filter;
        checkGroupFilter(q);
      }
      requireDirectory(sim, dir, true);
      const expand = new Set<GroupExpand>(q.expand ?? []);
      const page = scanPage(
        groupCandidates(sim, q),
        (g: SimGroup) => g.groupId,
        from,
        q.limit ?? GROUPS_SEARCH_DEFAULT_LIMIT,
        groupMatcher(sim, q, dir),
      );
      return {
        status: 200,
        body: {
          data: page.items.map((group) => v2Group(sim, group, expand)),
          links: links(request.cursor, page, () => encodeCursor({ v: 'groups', dir, q, ...page.resume })),
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId',
    scope: 'read:groups:admin',
    handle: ({ sim, params }) => {
      const group = findGroup(sim, params.directoryId ?? '', params.groupId ?? '', true);
      return {
        status: 200,
        body: { data: v2Group(sim, group, new Set(['counts.users', 'counts.resources'])) },
      };
    },
  },
];

/** A group by plain id or ARI, in the given directory (`-` = any, when allowed). */
export function findGroup(
  sim: SimRuntime,
  directoryId: string,
  groupId: string,
  allowAll: boolean,
): SimGroup {
  requireDirectory(sim, directoryId, allowAll);
  const group = sim.state.groups.get(stripGroupAri(groupId));
  if (!group || (directoryId !== '-' && group.directoryId !== directoryId)) {
    throw new AdminError('groupNotFound', `Group ${groupId} was not found in the directory.`);
  }
  return group;
}
