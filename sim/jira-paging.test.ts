// Paging through every Jira list endpoint returns every seeded object exactly once, at the
// smallest, a middle, the largest and an over-the-cap page size (clamped, not rejected).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server.ts';
import { jira, type JsonResponse, type PageBean } from './testing.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ users: 400, seed: 11 });
});
afterAll(async () => {
  await sim.stop();
});

/** Follow `nextPage` links from the first page; asserts the PageBean contract on the way. */
async function collectPageBean<T>(firstPath: string, expectedPageSize: number): Promise<T[]> {
  const items: T[] = [];
  let url: string | undefined = `${sim.siteUrl}${firstPath}`;
  let pages = 0;
  while (url) {
    const res: JsonResponse<PageBean<T>> = await jira<PageBean<T>>(sim, url.slice(sim.siteUrl.length));
    expect(res.status).toBe(200);
    const page: PageBean<T> = res.body;
    expect(page.maxResults).toBe(expectedPageSize);
    expect(page.startAt).toBe(items.length);
    expect(page.self).toContain(`startAt=${page.startAt}`);
    items.push(...page.values);
    expect(page.isLast).toBe(page.nextPage === undefined);
    if (!page.isLast) expect(page.values).toHaveLength(expectedPageSize);
    url = page.nextPage;
    if (++pages > 5000) throw new Error('paging did not end');
  }
  return items;
}

/** Bare-array paging (users/search): stop at the first empty page. */
async function collectArray(
  path: string,
  pageSize: number,
  expectedServerSize: number,
): Promise<{ accountId: string }[]> {
  const items: { accountId: string }[] = [];
  for (;;) {
    const res = await jira<{ accountId: string }[]>(
      sim,
      `${path}?startAt=${items.length}&maxResults=${pageSize}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.length).toBeLessThanOrEqual(expectedServerSize);
    if (res.body.length === 0) return items;
    items.push(...res.body);
  }
}

function expectExactlyOnce(seen: string[], expected: string[]): void {
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...expected].sort());
}

describe('Jira list endpoints page completely', () => {
  const allAccounts = () => [...sim.state.accounts.keys()];

  it.each([
    [1, 1],
    [37, 37],
    [1000, 1000],
    [5000, 1000],
  ])('users/search and /users at maxResults=%i', async (size, served) => {
    for (const path of ['/rest/api/3/users/search', '/rest/api/3/users']) {
      const users = await collectArray(path, size, served);
      expectExactlyOnce(
        users.map((u) => u.accountId),
        allAccounts(),
      );
    }
  });

  it('users/search defaults to 50 and includes every account type, inactive ones too', async () => {
    const res = await jira<{ accountType: string; active: boolean }[]>(sim, '/rest/api/3/users/search');
    expect(res.body).toHaveLength(50);
    const every = await collectArray('/rest/api/3/users/search', 1000, 1000);
    const types = new Set(every.map((u) => (u as unknown as { accountType: string }).accountType));
    expect(types).toEqual(new Set(['atlassian', 'app', 'customer']));
    expect(every.some((u) => !(u as unknown as { active: boolean }).active)).toBe(true);
  });

  it('hides emails the profile does not share', async () => {
    const users = await collectArray('/rest/api/3/users/search', 1000, 1000);
    for (const user of users as unknown as { accountId: string; emailAddress?: string }[]) {
      const account = sim.state.accounts.get(user.accountId);
      if (!account) throw new Error('unknown account in listing');
      const visible = account.email !== null && account.emailVisibleInJira;
      expect(user.emailAddress).toBe(visible ? account.email : undefined);
    }
  });

  it.each([
    [1, 1],
    [7, 7],
    [50, 50],
    [500, 50],
  ])('group/bulk at maxResults=%i', async (size, served) => {
    const groups = await collectPageBean<{ groupId: string }>(
      `/rest/api/3/group/bulk?maxResults=${size}`,
      served,
    );
    expectExactlyOnce(
      groups.map((g) => g.groupId),
      [...sim.state.groups.keys()],
    );
  });

  it.each([
    [1, 1],
    [13, 13],
    [50, 50],
    [51, 50],
    [1000, 50],
  ])('group/member at maxResults=%i, with and without inactive users', async (size, served) => {
    const group = [...sim.state.groups.values()].sort((a, b) => b.members.size - a.members.size)[0];
    if (!group) throw new Error('no groups');
    const all = [...group.members];
    const active = all.filter((id) => sim.state.accounts.get(id)?.jiraActive === true);
    expect(active.length).toBeLessThan(all.length);
    const base = `/rest/api/3/group/member?groupId=${group.groupId}&maxResults=${size}`;
    const defaults = await collectPageBean<{ accountId: string }>(base, served);
    expectExactlyOnce(
      defaults.map((m) => m.accountId),
      active,
    );
    const everyone = await collectPageBean<{ accountId: string }>(
      `${base}&includeInactiveUsers=true`,
      served,
    );
    expectExactlyOnce(
      everyone.map((m) => m.accountId),
      all,
    );
  });

  it.each([
    [1, 1],
    [4, 4],
    [100, 100],
    [101, 100],
  ])('project/search at maxResults=%i', async (size, served) => {
    const projects = await collectPageBean<{ id: string; lead?: unknown }>(
      `/rest/api/3/project/search?maxResults=${size}&expand=lead`,
      served,
    );
    const live = [...sim.state.projects.values()].filter((p) => !p.archived).map((p) => p.id);
    expectExactlyOnce(
      projects.map((p) => p.id),
      live,
    );
    expect(projects.every((p) => p.lead !== undefined)).toBe(true);
  });

  it('project/search includes archived projects only when asked, and the lead only with expand', async () => {
    const all = await collectPageBean<{ id: string; lead?: unknown }>(
      '/rest/api/3/project/search?maxResults=100&status=live&status=archived',
      100,
    );
    expectExactlyOnce(
      all.map((p) => p.id),
      [...sim.state.projects.keys()],
    );
    expect(all.every((p) => p.lead === undefined)).toBe(true);
  });

  it('rejects a non-numeric startAt with a Jira error body', async () => {
    const res = await jira(sim, '/rest/api/3/users/search?startAt=abc');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
  });
});
