// Behaviour of the Organizations and User management APIs over real HTTP: each write shows on the
// next read (through Jira too), Atlassian's refusals are reproduced, and every paged list returns
// each seeded object exactly once at any page size.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimAccount } from '../model.ts';
import { V1_USERS_PAGE_SIZE } from '../routes/admin/index.ts';
import { inOrgDirectory } from '../routes/admin/search.ts';
import { startSimulator, type Simulator } from '../server.ts';
import { FidelityClient } from './client.ts';
import { SpecValidator } from './openapi.ts';
import { SPEC_SOURCES } from './overrides.ts';

const validator = new SpecValidator(SPEC_SOURCES);
let sim: Simulator;
let http: FidelityClient;

beforeEach(async () => {
  sim = await startSimulator({ users: 300, seed: 77 });
  http = new FidelityClient(sim, validator);
});
afterEach(async () => {
  await sim.stop();
});

const enc = encodeURIComponent;
const v2 = () => `/admin/v2/orgs/${sim.orgId}`;
const mainDir = () => sim.state.directories[0]?.directoryId ?? '';

function pick(predicate: (a: SimAccount) => boolean): SimAccount {
  const found = [...sim.state.accounts.values()].find(predicate);
  if (!found) throw new Error('the generated org has no such account');
  return found;
}
const plainMember = (a: SimAccount) =>
  a.directoryId === mainDir() &&
  a.accountType === 'atlassian' &&
  !a.orgAdmin &&
  a.membershipStatus === 'active' &&
  a.accountStatus === 'active' &&
  a.managementSource === 'invited' &&
  a.managed;

async function jiraUser(accountId: string): Promise<{ active: boolean }> {
  return (await http.call('GET', `/rest/api/3/user?accountId=${enc(accountId)}`)).body as { active: boolean };
}
async function jiraGroupIds(accountId: string): Promise<string[]> {
  const body = (await http.call('GET', `/rest/api/3/user/groups?accountId=${enc(accountId)}`)).body as {
    groupId: string;
  }[];
  return body.map((g) => g.groupId);
}
async function v2Detail(accountId: string): Promise<Record<string, unknown>> {
  const res = await http.call('GET', `${v2()}/directories/-/users/${enc(accountId)}`);
  return (res.body as { data: Record<string, unknown> }).data;
}

describe('admin writes are visible on the next read, through Jira too', () => {
  it('group create, add and remove member, delete', async () => {
    const user = pick(plainMember);
    const created = await http.call('POST', `${v2()}/directories/${mainDir()}/groups`, {
      body: { name: 'readers' },
    });
    const groupId = (created.body as { id: string }).id;
    const bulk = await http.call('GET', `/rest/api/3/group/bulk?groupId=${groupId}`);
    expect(bulk.body).toMatchObject({ values: [{ groupId, name: 'readers' }] });

    expect(
      (
        await http.call('POST', `${v2()}/directories/${mainDir()}/groups/${groupId}/memberships`, {
          body: { accountId: user.accountId },
        })
      ).status,
    ).toBe(204);
    const members = await http.call('GET', `/rest/api/3/group/member?groupId=${groupId}`);
    expect((members.body as { values: { accountId: string }[] }).values.map((v) => v.accountId)).toEqual([
      user.accountId,
    ]);
    const search = await http.call('POST', `${v2()}/directories/-/users/search`, {
      body: { accountIds: [user.accountId], expand: ['groups'] },
    });
    expect(JSON.stringify(search.body)).toContain(`ari:cloud:identity::group/${groupId}`);

    await http.call(
      'DELETE',
      `${v2()}/directories/${mainDir()}/groups/${groupId}/memberships/${enc(user.accountId)}`,
    );
    expect(await jiraGroupIds(user.accountId)).not.toContain(groupId);
    await http.call('DELETE', `${v2()}/directories/${mainDir()}/groups/${groupId}`);
    expect((await http.call('GET', `${v2()}/directories/-/groups/${groupId}`)).body).toMatchObject({
      errors: [{ code: 'ADMIN-404-10' }],
    });
  });

  it('suspend and restore change the Jira active flag and the v2 status', async () => {
    const user = pick(plainMember);
    await http.call('POST', `${v2()}/directories/${mainDir()}/users/${enc(user.accountId)}/suspend`);
    expect(await v2Detail(user.accountId)).toMatchObject({
      membershipStatus: 'suspended',
      status: 'suspended',
    });
    expect(await jiraUser(user.accountId)).toMatchObject({ active: false });
    await http.call('POST', `${v2()}/directories/${mainDir()}/users/${enc(user.accountId)}/restore`);
    expect(await v2Detail(user.accountId)).toMatchObject({ membershipStatus: 'active', status: 'active' });
    expect(await jiraUser(user.accountId)).toMatchObject({ active: true });
  });

  it('removing a user from the directory drops groups, roles and the v1 listing', async () => {
    const user = pick(
      (a) => plainMember(a) && [...sim.state.groups.values()].some((g) => g.members.has(a.accountId)),
    );
    expect(await jiraGroupIds(user.accountId)).not.toEqual([]);
    expect(
      (await http.call('DELETE', `${v2()}/directories/${mainDir()}/users/${enc(user.accountId)}`)).status,
    ).toBe(204);
    expect(await jiraGroupIds(user.accountId)).toEqual([]);
    for (const project of sim.state.projects.values()) {
      for (const actors of project.roles.values()) expect(actors.users.has(user.accountId)).toBe(false);
    }
    const listed = await collectV1Users();
    expect(listed).not.toContain(user.accountId);
  });

  it('role assign and revoke change product access and the Jira seat count', async () => {
    const jsm = sim.state.products.find((p) => p.key === 'jira-service-desk');
    const user = pick((a) => plainMember(a) && !a.products.some((p) => p.key === 'jira-service-desk'));
    const seats = async () => {
      const roles = (await http.call('GET', '/rest/api/3/applicationrole')).body as {
        key: string;
        userCount: number;
      }[];
      return roles.find((r) => r.key === 'jira-servicedesk')?.userCount;
    };
    const before = await seats();
    const resource = `ari:cloud:jira-servicedesk::site/${sim.cloudId}`;
    sim.state.products.forEach((p) => {
      if (p === jsm) p.capacity += 1;
    });
    const assign = await http.call(
      'POST',
      `/admin/v1/orgs/${sim.orgId}/users/${enc(user.accountId)}/roles/assign`,
      { body: { role: 'atlassian/user', resource } },
    );
    expect(assign.status).toBe(204);
    expect(await seats()).toBe((before ?? 0) + 1);
    const v1 = await http.call(
      'GET',
      `/admin/v1/orgs/${sim.orgId}/directory/users/${enc(user.accountId)}/last-active-dates`,
    );
    expect(v1.status).toBe(200);
    const search = await http.call('POST', `${v2()}/directories/-/users/search`, {
      body: { accountIds: [user.accountId], expand: ['productAccess'] },
    });
    expect(JSON.stringify(search.body)).toContain('"key":"jira-service-desk"');
    await http.call('POST', `/admin/v1/orgs/${sim.orgId}/users/${enc(user.accountId)}/roles/revoke`, {
      body: { role: 'atlassian/user', resource },
    });
    expect(await seats()).toBe(before);
  });

  it('user-management lifecycle shows in Jira and in the directory', async () => {
    const user = pick(plainMember);
    const base = `/users/${enc(user.accountId)}/manage/lifecycle`;
    await http.call('POST', `${base}/disable`, { body: {} });
    expect(await jiraUser(user.accountId)).toMatchObject({ active: false });
    expect(await v2Detail(user.accountId)).toMatchObject({
      accountStatus: 'inactive',
      status: 'deactivated',
    });
    await http.call('POST', `${base}/enable`);
    expect(await jiraUser(user.accountId)).toMatchObject({ active: true });
    await http.call('POST', `${base}/delete`);
    expect(await v2Detail(user.accountId)).toMatchObject({ status: 'for_deletion' });
    expect(await jiraUser(user.accountId)).toMatchObject({ active: false });
    await http.call('POST', `${base}/cancel-delete`);
    expect(await v2Detail(user.accountId)).toMatchObject({ status: 'active', accountStatus: 'active' });
  });
});

describe('refusals Atlassian makes are reproduced', () => {
  it('IdP-synced groups refuse membership changes and deletion', async () => {
    const group = [...sim.state.groups.values()].find((g) => g.idpManaged);
    if (!group) throw new Error('no IdP group');
    const user = pick((a) => a.directoryId === group.directoryId && !group.members.has(a.accountId));
    const add = await http.call(
      'POST',
      `${v2()}/directories/${group.directoryId}/groups/${group.groupId}/memberships`,
      { body: { accountId: user.accountId } },
    );
    expect(add).toMatchObject({ status: 403, body: { errors: [{ code: 'ADMIN-403-5' }] } });
    expect(
      (await http.call('DELETE', `${v2()}/directories/${group.directoryId}/groups/${group.groupId}`)).status,
    ).toBe(403);
    expect(group.members.has(user.accountId)).toBe(false);
  });

  it('org admins cannot be suspended or removed', async () => {
    const admin = sim.state.adminAccountId;
    const dir = sim.state.accounts.get(admin)?.directoryId ?? '';
    expect((await http.call('POST', `${v2()}/directories/${dir}/users/${enc(admin)}/suspend`)).status).toBe(
      403,
    );
    expect((await http.call('DELETE', `${v2()}/directories/${dir}/users/${enc(admin)}`)).status).toBe(403);
    expect(await v2Detail(admin)).toMatchObject({ status: 'active' });
  });

  it('a full product refuses another seat (role assign 409, group add 409, restore 400)', async () => {
    const jsw = sim.state.products.find((p) => p.key === 'jira-software');
    if (!jsw) throw new Error('no Jira product');
    const seated = [...sim.state.accounts.values()].filter(
      (a) => a.billable && a.products.some((p) => p.key === 'jira-software'),
    ).length;
    jsw.capacity = seated;
    const outsider = pick((a) => plainMember(a) && !a.products.some((p) => p.key === 'jira-software'));
    const assign = await http.call(
      'POST',
      `/admin/v1/orgs/${sim.orgId}/users/${enc(outsider.accountId)}/roles/assign`,
      {
        body: { role: 'atlassian/user', resource: jsw.ari },
      },
    );
    expect(assign).toMatchObject({ status: 409, body: { errors: [{ code: 'ADMIN-UAM-409-3' }] } });
    const grantingGroup =
      sim.state.applicationRoles.find((r) => r.productKey === 'jira-software')?.defaultGroupIds[0] ?? '';
    const add = await http.call(
      'POST',
      `${v2()}/directories/${mainDir()}/groups/${grantingGroup}/memberships`,
      { body: { accountId: outsider.accountId } },
    );
    expect(add).toMatchObject({ status: 409, body: { errors: [{ code: 'ADMIN-409-3' }] } });
    const holder = pick(
      (a) => plainMember(a) && a.billable && a.products.some((p) => p.key === 'jira-software'),
    );
    await http.call('POST', `${v2()}/directories/${mainDir()}/users/${enc(holder.accountId)}/suspend`);
    jsw.capacity -= 1;
    const restore = await http.call(
      'POST',
      `${v2()}/directories/${mainDir()}/users/${enc(holder.accountId)}/restore`,
    );
    expect(restore).toMatchObject({ status: 400, body: { errors: [{ code: 'ADMIN-400-32' }] } });
  });

  it('a scoped org key reads but cannot write or use user management', async () => {
    const user = pick(plainMember);
    const read = await http.call('POST', `${v2()}/directories/-/users/search`, {
      as: 'scopedOrgKey',
      body: { limit: 1 },
    });
    expect(read.status).toBe(200);
    const suspend = await http.call(
      'POST',
      `${v2()}/directories/${mainDir()}/users/${enc(user.accountId)}/suspend`,
      { as: 'scopedOrgKey' },
    );
    expect(suspend.status).toBe(403);
    const manage = await http.call('GET', `/users/${enc(user.accountId)}/manage`, { as: 'scopedOrgKey' });
    expect(manage).toMatchObject({ status: 403, body: { key: 'forbidden' } });
    expect(user.membershipStatus).toBe('active');
  });

  it('user management refuses unmanaged, IdP-synced and admin accounts the way /manage predicts', async () => {
    const unmanaged = pick((a) => !a.managed && a.accountType === 'atlassian');
    const synced = pick((a) => a.managed && a.managementSource === 'synced' && !a.orgAdmin);
    expect(
      (await http.call('POST', `/users/${enc(unmanaged.accountId)}/manage/lifecycle/disable`, { body: {} }))
        .body,
    ).toEqual({ key: 'forbidden.targetUnverified' });
    const privileges = await http.call(
      'GET',
      `/users/${enc(synced.accountId)}/manage?privileges=lifecycle.enablement`,
    );
    expect(privileges.body).toEqual({
      'lifecycle.enablement': { allowed: false, reason: { key: 'externalDirectory.scim' } },
    });
    const disable = await http.call('POST', `/users/${enc(synced.accountId)}/manage/lifecycle/disable`, {
      body: {},
    });
    expect(disable).toMatchObject({
      status: 403,
      body: { key: 'forbidden.action', context: { reason: { key: 'externalDirectory.scim' } } },
    });
    const admin = await http.call('POST', `/users/${enc(sim.state.adminAccountId)}/manage/lifecycle/delete`);
    expect(admin).toMatchObject({ status: 403, body: { context: { reason: { key: 'administrative' } } } });
    expect(synced.accountStatus).toBe('active');
  });
});

async function collectV1Users(): Promise<string[]> {
  const ids: string[] = [];
  let path: string | undefined = `/admin/v1/orgs/${sim.orgId}/users`;
  while (path !== undefined) {
    const page = (await http.call('GET', path)).body as {
      data: { account_id: string }[];
      links: { next?: string };
    };
    expect(page.data.length).toBeLessThanOrEqual(V1_USERS_PAGE_SIZE);
    ids.push(...page.data.map((u) => u.account_id));
    const next: string | undefined = page.links.next;
    path = next === undefined ? undefined : new URL(next).pathname + new URL(next).search;
  }
  return ids;
}

async function collectSearch(kind: 'users' | 'groups', limit: number): Promise<string[]> {
  const ids: string[] = [];
  let body: Record<string, unknown> = { limit };
  for (;;) {
    const page = (await http.call('POST', `${v2()}/directories/-/${kind}/search`, { body })).body as {
      data: { accountId?: string; id?: string }[];
      links: { next?: string };
    };
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((item) => item.accountId ?? item.id ?? ''));
    if (page.links.next === undefined) return ids;
    body = { cursor: page.links.next };
  }
}

describe('paging returns every seeded object exactly once', () => {
  it('v1 users (server page size) lists exactly the managed directory accounts', async () => {
    const expected = [...sim.state.accounts.values()]
      .filter((a) => a.managed && a.directoryId !== null)
      .map((a) => a.accountId);
    expect(expected.length).toBeGreaterThan(V1_USERS_PAGE_SIZE);
    const listed = await collectV1Users();
    expect(listed.length).toBe(new Set(listed).size);
    expect(listed.sort()).toEqual(expected.sort());
  });

  it.each([1, 37, 100])('v2 users/search and groups/search at limit %i', async (limit) => {
    const users = [...sim.state.accounts.values()]
      .filter((a) => inOrgDirectory(a, '-'))
      .map((a) => a.accountId);
    const listedUsers = await collectSearch('users', limit);
    expect(listedUsers.length).toBe(new Set(listedUsers).size);
    expect(listedUsers.sort()).toEqual(users.sort());
    const groups = [...sim.state.groups.keys()];
    const listedGroups = await collectSearch('groups', limit);
    expect(listedGroups.length).toBe(new Set(listedGroups).size);
    expect(listedGroups.sort()).toEqual(groups.sort());
  });

  it('a cursor survives writes between pages', async () => {
    const first = (await http.call('POST', `${v2()}/directories/-/users/search`, { body: { limit: 10 } }))
      .body as {
      data: { accountId: string }[];
      links: { next: string };
    };
    const seen = first.data.map((u) => u.accountId);
    // A user seen on page one leaves the directory before page two is fetched.
    const leaver = sim.state.accounts.get(seen[3] ?? '');
    if (leaver && !leaver.orgAdmin && leaver.directoryId !== null) {
      await http.call('DELETE', `${v2()}/directories/${leaver.directoryId}/users/${enc(leaver.accountId)}`);
    }
    const second = (
      await http.call('POST', `${v2()}/directories/-/users/search`, { body: { cursor: first.links.next } })
    ).body as {
      data: { accountId: string }[];
    };
    expect(second.data.length).toBe(10);
    expect(second.data.filter((u) => seen.includes(u.accountId))).toEqual([]);
  });
});
