import { afterEach, describe, expect, it } from 'vitest';
import { matching } from './support/matchers.ts';
import {
  AtlassianError,
  adminGroupSearchPages,
  adminOrgs,
  adminUserSearchPages,
  jiraGroupMemberPages,
  jiraProjectPages,
  jiraUsersPages,
  paginate,
  type Page,
} from '../../src/atlassian/index.ts';
import { testClient } from './support/client.ts';
import { startScriptedServer, type Handler, type ScriptedServer } from './support/scripted-server.ts';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<ReturnType<typeof testClient>> {
  server = await startScriptedServer(handler);
  return testClient(server.url);
}

async function all<T>(pages: AsyncIterable<Page<T>>): Promise<Page<T>[]> {
  const out: Page<T>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const user = (n: number) => ({
  accountId: `acc-${n}`,
  accountType: 'atlassian',
  active: true,
  displayName: `User ${n}`,
});
const range = (from: number, count: number) => Array.from({ length: Math.max(0, count) }, (_, i) => from + i);

describe('array style (users/search)', () => {
  it('asks for 1000, keeps going past short pages, advances by what came back and stops on an empty array', async () => {
    // 2,300 users; the server lowers maxResults to 700 and privacy filtering drops one user per page.
    const total = 2300;
    const { client } = await serve((req) => {
      const startAt = Number(req.url.searchParams.get('startAt'));
      const size = Math.min(700, Number(req.url.searchParams.get('maxResults')));
      const ids = range(startAt, Math.min(size, total - startAt)).filter((n) => n !== startAt + 1);
      return { json: ids.map(user) };
    });
    const pages = await all(jiraUsersPages(client));
    expect(server?.requests[0]?.url.searchParams.get('maxResults')).toBe('1000');
    const starts = server?.requests.map((r) => Number(r.url.searchParams.get('startAt')));
    // 699 items per page: each next page starts where the returned count ends.
    expect(starts?.slice(0, 3)).toEqual([0, 699, 1398]);
    expect(pages.every((p) => p.items.length > 0)).toBe(true);
    const last = server?.requests.at(-1);
    expect(Number(last?.url.searchParams.get('startAt'))).toBeGreaterThanOrEqual(total);
    const ids = new Set(pages.flatMap((p) => p.items.map((u) => u.accountId)));
    expect(ids.has('acc-2299')).toBe(true);
  });

  it('retries a 409 (search took over 10 s) with a smaller maxResults', async () => {
    const { client } = await serve((req) => {
      const size = Number(req.url.searchParams.get('maxResults'));
      const startAt = Number(req.url.searchParams.get('startAt'));
      if (size > 250) return { status: 409, json: { errorMessages: ['Request took too long'], errors: {} } };
      return { json: range(startAt, Math.min(size, 600 - startAt)).map(user) };
    });
    const pages = await all(jiraUsersPages(client));
    const sizes = server?.requests.map((r) => r.url.searchParams.get('maxResults'));
    expect(sizes?.slice(0, 3)).toEqual(['1000', '500', '250']);
    expect(pages.flatMap((p) => p.items)).toHaveLength(600);
    expect(pages[0]?.resumeToken?.pageSize).toBe(250);
  });

  it('refuses a server that keeps returning the first page', async () => {
    const { client } = await serve(() => ({ json: range(0, 10).map(user) }));
    const error = await all(jiraUsersPages(client)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlassianError);
    expect((error as AtlassianError).kind).toBe('invalid');
    expect((error as AtlassianError).message).toMatch(/identical to an earlier page/);
  });
});

describe('PageBean style', () => {
  it('requests the cap, follows isLast and sends includeInactiveUsers=true for group members', async () => {
    const { client } = await serve((req) => {
      const startAt = Number(req.url.searchParams.get('startAt'));
      const size = Number(req.url.searchParams.get('maxResults'));
      const values = range(startAt, Math.min(size, 120 - startAt)).map(user);
      return { json: { startAt, maxResults: size, total: 120, isLast: startAt + size >= 120, values } };
    });
    const pages = await all(jiraGroupMemberPages(client, 'group-uuid'));
    expect(pages.map((p) => p.items.length)).toEqual([50, 50, 20]);
    expect(pages.at(-1)?.resumeToken).toBeUndefined();
    const first = server?.requests[0]?.url.searchParams;
    expect(first?.get('maxResults')).toBe('50');
    expect(first?.get('includeInactiveUsers')).toBe('true');
    expect(first?.get('groupId')).toBe('group-uuid');
    expect(server?.requests).toHaveLength(3);
  });

  it('adapts when the server lowers maxResults and ends on an empty page when isLast is missing', async () => {
    const { client } = await serve((req) => {
      const startAt = Number(req.url.searchParams.get('startAt'));
      return {
        json: {
          startAt,
          maxResults: 30,
          values: range(startAt, Math.min(30, 75 - startAt)).map((n) => ({
            id: String(n),
            key: `P${n}`,
            name: `Project ${n}`,
          })),
        },
      };
    });
    const pages = await all(jiraProjectPages(client));
    expect(server?.requests[0]?.url.searchParams.get('maxResults')).toBe('100');
    expect(server?.requests[0]?.url.searchParams.get('expand')).toBe('lead');
    expect(server?.requests.map((r) => r.url.searchParams.get('startAt'))).toEqual(['0', '30', '60', '75']);
    expect(pages.flatMap((p) => p.items)).toHaveLength(75);
  });

  it('refuses a page that jumps back', async () => {
    const { client } = await serve((req) => {
      const startAt = Number(req.url.searchParams.get('startAt'));
      return {
        json: {
          startAt: startAt > 0 ? 0 : 0,
          maxResults: 50,
          isLast: false,
          values: range(startAt, 50).map(user),
        },
      };
    });
    await expect(all(jiraGroupMemberPages(client, 'g'))).rejects.toMatchObject({
      kind: 'invalid',
      message: matching(/jumped/),
    });
  });

  it('refuses isLast=false on an empty page and an impossible total', async () => {
    let { client } = await serve(() => ({ json: { startAt: 0, maxResults: 50, isLast: false, values: [] } }));
    await expect(all(jiraGroupMemberPages(client, 'g'))).rejects.toMatchObject({
      kind: 'invalid',
      message: matching(/isLast=false/),
    });
    await server?.close();
    ({ client } = await serve(() => ({
      json: { startAt: 0, maxResults: 50, total: -4, isLast: true, values: [user(1)] },
    })));
    await expect(all(jiraGroupMemberPages(client, 'g'))).rejects.toMatchObject({
      kind: 'invalid',
      message: matching(/impossible total/),
    });
  });

  it('stops a never-ending server at maxPages (derived from total by default)', async () => {
    const { client } = await serve((req) => {
      const startAt = Number(req.url.searchParams.get('startAt'));
      return {
        json: { startAt, maxResults: 50, total: 100, isLast: false, values: range(startAt, 50).map(user) },
      };
    });
    await expect(all(jiraGroupMemberPages(client, 'g'))).rejects.toMatchObject({
      kind: 'invalid',
      message: matching(/more than 14 pages/),
    });
    expect(server?.requests).toHaveLength(14);
  });

  it('resumes from a saved token', async () => {
    const { client } = await serve((req) => {
      const startAt = Number(req.url.searchParams.get('startAt'));
      return {
        json: {
          startAt,
          maxResults: 50,
          total: 150,
          isLast: startAt + 50 >= 150,
          values: range(startAt, 50).map(user),
        },
      };
    });
    const first = await jiraGroupMemberPages(client, 'g').next();
    const token = first.done ? undefined : first.value.resumeToken;
    expect(token).toEqual({
      endpoint: 'jira.group.members',
      style: 'pagebean',
      pageNumber: 1,
      startAt: 50,
      pageSize: 50,
    });
    const saved = JSON.parse(JSON.stringify(token)) as typeof token;
    const rest = await all(jiraGroupMemberPages(client, 'g', saved));
    expect(rest.map((p) => p.items[0]?.accountId)).toEqual(['acc-50', 'acc-100']);
    expect(rest.map((p) => p.pageNumber)).toEqual([1, 2]);
  });
});

describe('cursor styles', () => {
  it('v1: takes the cursor from a links.next URL and stops when next is absent', async () => {
    const { client } = await serve((req) => {
      const cursor = req.url.searchParams.get('cursor');
      if (!cursor)
        return {
          json: {
            data: [{ id: 'org-1', type: 'orgs', attributes: { name: 'Acme' } }],
            links: { next: `https://api.atlassian.com/admin/v1/orgs?cursor=c2` },
          },
        };
      if (cursor === 'c2')
        return {
          json: {
            data: [{ id: 'org-2', type: 'orgs', attributes: { name: 'Beta' } }],
            links: { next: 'c3' },
          },
        };
      return { json: { data: [{ id: 'org-3', type: 'orgs' }], links: {} } };
    });
    const orgs = await adminOrgs(client);
    expect(orgs.map((o) => o.id)).toEqual(['org-1', 'org-2', 'org-3']);
    expect(server?.requests.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'c2', 'c3']);
    expect(server?.requests[0]?.headers.authorization).toMatch(/^Bearer /);
  });

  it('v2 body: sends limit 100, the cursor in the body, expand, and normalises group ARIs', async () => {
    const { client } = await serve((req) => {
      const body = req.json as { cursor?: string };
      const next = body.cursor === undefined ? 'tok-1' : body.cursor === 'tok-1' ? 'tok-2' : undefined;
      return {
        json: {
          data: [
            {
              accountId: `a-${body.cursor ?? 0}`,
              groups: [{ id: 'ari:cloud:identity::group/1234-uuid', name: 'devs' }],
            },
          ],
          links: next ? { self: 'x', next } : { self: 'x' },
        },
      };
    });
    const pages = await all(adminUserSearchPages(client, 'org-1', { expand: ['productAccess', 'groups'] }));
    expect(pages.map((p) => p.items[0]?.accountId)).toEqual(['a-0', 'a-tok-1', 'a-tok-2']);
    expect(pages[0]?.items[0]?.groups?.[0]?.id).toBe('1234-uuid');
    const first = server?.requests[0];
    expect(first?.method).toBe('POST');
    expect(first?.url.pathname).toBe('/admin/v2/orgs/org-1/directories/-/users/search');
    expect(first?.json).toEqual({ expand: ['productAccess', 'groups'], limit: 100 });
    expect((server?.requests[1]?.json as { cursor?: string }).cursor).toBe('tok-1');
  });

  it('refuses a repeated cursor', async () => {
    const { client } = await serve((req) => {
      const cursor = (req.json as { cursor?: string }).cursor;
      return {
        json: {
          data: [{ id: `g-${cursor ?? 'first'}`, name: 'g' }],
          links: { next: cursor === 'A' ? 'B' : 'A' },
        },
      };
    });
    await expect(all(adminGroupSearchPages(client, 'org-1'))).rejects.toMatchObject({
      kind: 'invalid',
      message: matching(/repeated a cursor/),
    });
    expect(server?.requests).toHaveLength(3);
  });

  it('v2 query style sends limit and cursor as query parameters', async () => {
    const { client } = await serve((req) => {
      const cursor = req.url.searchParams.get('cursor');
      return { json: { data: [{ directoryId: `d-${cursor ?? 0}` }], links: cursor ? {} : { next: 'n1' } } };
    });
    const pages = await all(paginate(client, 'admin.directories', { pathParams: { orgId: 'org-1' } }));
    expect(pages).toHaveLength(2);
    expect(server?.requests[0]?.url.searchParams.get('limit')).toBe('100');
    expect(server?.requests[1]?.url.searchParams.get('cursor')).toBe('n1');
  });
});
