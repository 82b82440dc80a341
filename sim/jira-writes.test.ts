// Every Jira write is visible on the next read, and refused where Atlassian refuses it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimGroup, SimProject } from './model.ts';
import { startSimulator, type Simulator } from './server.ts';
import { jira, type PageBean } from './testing.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ users: 300, seed: 23 });
});
afterAll(async () => {
  await sim.stop();
});

const errorBody = { errorMessages: expect.any(Array) as unknown, errors: expect.any(Object) as unknown };

function activePerson(exclude: Set<string> = new Set()): string {
  const account = [...sim.state.accounts.values()].find(
    (a) => a.accountType === 'atlassian' && a.jiraActive && !a.siteAdmin && !exclude.has(a.accountId),
  );
  if (!account) throw new Error('no active person');
  return account.accountId;
}

function editableGroup(): SimGroup {
  const group = [...sim.state.groups.values()].find((g) => !g.idpManaged && g.name.startsWith('team-'));
  if (!group) throw new Error('no editable group');
  return group;
}

async function members(groupId: string): Promise<string[]> {
  const res = await jira<PageBean<{ accountId: string }>>(
    sim,
    `/rest/api/3/group/member?groupId=${groupId}&includeInactiveUsers=true&maxResults=50`,
  );
  const all = res.body.values.map((v) => v.accountId);
  let next = res.body.nextPage;
  while (next) {
    const page = await jira<PageBean<{ accountId: string }>>(sim, next.slice(sim.siteUrl.length));
    all.push(...page.body.values.map((v) => v.accountId));
    next = page.body.nextPage;
  }
  return all;
}

describe('groups', () => {
  it('creates a group (201) that the next read lists, and refuses a duplicate name', async () => {
    const created = await jira<{ groupId: string; name: string }>(sim, '/rest/api/3/group', {
      method: 'POST',
      body: { name: 'power-users' },
    });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('power-users');
    const listed = await jira<PageBean<{ groupId: string }>>(
      sim,
      `/rest/api/3/group/bulk?groupName=power-users`,
    );
    expect(listed.body.values.map((g) => g.groupId)).toEqual([created.body.groupId]);
    const duplicate = await jira(sim, '/rest/api/3/group', { method: 'POST', body: { name: 'Power-Users' } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toMatchObject(errorBody);
    expect((await jira(sim, '/rest/api/3/group', { method: 'POST', body: {} })).status).toBe(400);
  });

  it('adds and removes members, refusing duplicates, unknown users and IdP-managed groups', async () => {
    const group = editableGroup();
    const accountId = activePerson(group.members);
    const added = await jira(sim, `/rest/api/3/group/user?groupId=${group.groupId}`, {
      method: 'POST',
      body: { accountId },
    });
    expect(added.status).toBe(201);
    expect(await members(group.groupId)).toContain(accountId);
    const groups = await jira<{ groupId: string }[]>(
      sim,
      `/rest/api/3/user/groups?accountId=${encodeURIComponent(accountId)}`,
    );
    expect(groups.body.map((g) => g.groupId)).toContain(group.groupId);

    const again = await jira(sim, `/rest/api/3/group/user?groupId=${group.groupId}`, {
      method: 'POST',
      body: { accountId },
    });
    expect(again.status).toBe(400);
    const ghost = await jira(sim, `/rest/api/3/group/user?groupId=${group.groupId}`, {
      method: 'POST',
      body: { accountId: '557058:ghost' },
    });
    expect(ghost.status).toBe(404);
    const noGroup = await jira(sim, `/rest/api/3/group/user?groupId=nope`, {
      method: 'POST',
      body: { accountId },
    });
    expect(noGroup.status).toBe(404);
    const missing = await jira(sim, `/rest/api/3/group/user?groupId=${group.groupId}`, {
      method: 'POST',
      body: {},
    });
    expect(missing.status).toBe(400);

    const removed = await jira(
      sim,
      `/rest/api/3/group/user?groupId=${group.groupId}&accountId=${encodeURIComponent(accountId)}`,
      { method: 'DELETE' },
    );
    expect(removed.status).toBe(200);
    expect(await members(group.groupId)).not.toContain(accountId);
    const notMember = await jira(
      sim,
      `/rest/api/3/group/user?groupId=${group.groupId}&accountId=${encodeURIComponent(accountId)}`,
      { method: 'DELETE' },
    );
    expect(notMember.status).toBe(400);

    const idp = [...sim.state.groups.values()].find((g) => g.idpManaged && !g.members.has(accountId));
    if (!idp) throw new Error('no IdP group');
    const refused = await jira(sim, `/rest/api/3/group/user?groupId=${idp.groupId}`, {
      method: 'POST',
      body: { accountId },
    });
    expect(refused.status).toBe(400);
    expect(idp.members.has(accountId)).toBe(false);
    expect((await jira(sim, `/rest/api/3/group?groupId=${idp.groupId}`, { method: 'DELETE' })).status).toBe(
      400,
    );
  });

  it('deletes a group, which disappears from lists and role actors', async () => {
    const created = await jira<{ groupId: string }>(sim, '/rest/api/3/group', {
      method: 'POST',
      body: { name: 'short-lived' },
    });
    const project = [...sim.state.projects.values()][0] as SimProject;
    const actor = await jira(sim, `/rest/api/3/project/${project.key}/role/10001`, {
      method: 'POST',
      body: { groupId: [created.body.groupId] },
    });
    expect(actor.status).toBe(200);
    const deleted = await jira(sim, `/rest/api/3/group?groupId=${created.body.groupId}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);
    const listed = await jira<PageBean<unknown>>(
      sim,
      `/rest/api/3/group/bulk?groupId=${created.body.groupId}`,
    );
    expect(listed.body.values).toEqual([]);
    const role = await jira<{ actors: { actorGroup?: { groupId: string } }[] }>(
      sim,
      `/rest/api/3/project/${project.key}/role/10001`,
    );
    expect(role.body.actors.some((a) => a.actorGroup?.groupId === created.body.groupId)).toBe(false);
    expect(
      (await jira(sim, `/rest/api/3/group?groupId=${created.body.groupId}`, { method: 'DELETE' })).status,
    ).toBe(404);
    expect((await jira(sim, `/rest/api/3/group`, { method: 'DELETE' })).status).toBe(400);
  });
});

describe('project roles', () => {
  it('adds and removes user and group actors; inactive users are refused with 404', async () => {
    const project = [...sim.state.projects.values()][1] as SimProject;
    const roleUrl = `/rest/api/3/project/${project.key}/role/10004`;
    const accountId = activePerson(project.roles.get(10004)?.users);
    const added = await jira<{ actors: { actorUser?: { accountId: string } }[] }>(sim, roleUrl, {
      method: 'POST',
      body: { user: [accountId] },
    });
    expect(added.status).toBe(200);
    expect(added.body.actors.some((a) => a.actorUser?.accountId === accountId)).toBe(true);
    const read = await jira<{ actors: { actorUser?: { accountId: string } }[] }>(sim, roleUrl);
    expect(read.body.actors.some((a) => a.actorUser?.accountId === accountId)).toBe(true);

    const inactive = [...sim.state.accounts.values()].find(
      (a) => a.accountType === 'atlassian' && !a.jiraActive,
    );
    const refused = await jira(sim, roleUrl, { method: 'POST', body: { user: [inactive?.accountId] } });
    expect(refused.status).toBe(404);
    expect(project.roles.get(10004)?.users.has(inactive?.accountId ?? '')).toBe(false);
    const both = await jira(sim, roleUrl, { method: 'POST', body: { group: ['x'], groupId: ['y'] } });
    expect(both.status).toBe(400);

    const removed = await jira(sim, `${roleUrl}?user=${encodeURIComponent(accountId)}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    const after = await jira<{ actors: { actorUser?: { accountId: string } }[] }>(sim, roleUrl);
    expect(after.body.actors.some((a) => a.actorUser?.accountId === accountId)).toBe(false);

    const group = editableGroup();
    expect((await jira(sim, roleUrl, { method: 'POST', body: { groupId: [group.groupId] } })).status).toBe(
      200,
    );
    expect((await jira(sim, `${roleUrl}?groupId=${group.groupId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await jira(sim, `${roleUrl}?groupId=${group.groupId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('lists roles as a name → URL map and role definitions for admins', async () => {
    const project = [...sim.state.projects.values()][0] as SimProject;
    const map = await jira<Record<string, string>>(sim, `/rest/api/3/project/${project.key}/role`);
    expect(map.body.Administrators).toMatch(/\/role\/10002$/);
    const roles = await jira<{ id: number; name: string }[]>(sim, '/rest/api/3/role');
    expect(roles.body.map((r) => r.id)).toContain(10002);
    const single = await jira<{ lead: { accountId: string }; key: string }>(
      sim,
      `/rest/api/3/project/${project.id}`,
    );
    expect(single.body.key).toBe(project.key);
    expect(single.body.lead.accountId).toBe(project.leadAccountId);
    expect((await jira(sim, '/rest/api/3/project/NOPE')).status).toBe(404);
  });
});

describe('users', () => {
  it('creates a user with products (201) visible in users/search, group membership and seat counts', async () => {
    const before = await jira<{ key: string; userCount: number }[]>(sim, '/rest/api/3/applicationrole');
    const res = await jira<{ accountId: string; emailAddress: string }>(sim, '/rest/api/3/user', {
      method: 'POST',
      body: { emailAddress: 'new.person@acme.example', products: ['jira-software'] },
    });
    expect(res.status).toBe(201);
    expect(res.body.emailAddress).toBe('new.person@acme.example');
    const user = await jira<{ accountId: string; groups: { items: { name: string }[] } }>(
      sim,
      `/rest/api/3/user?accountId=${encodeURIComponent(res.body.accountId)}&expand=groups`,
    );
    expect(user.status).toBe(200);
    expect(user.body.groups.items.map((g) => g.name)).toContain('jira-software-users');
    const after = await jira<{ key: string; userCount: number }[]>(sim, '/rest/api/3/applicationrole');
    const count = (list: { key: string; userCount: number }[]) =>
      list.find((r) => r.key === 'jira-software')?.userCount ?? 0;
    expect(count(after.body)).toBe(count(before.body) + 1);
    const all = await jira<{ accountId: string }[]>(
      sim,
      `/rest/api/3/users/search?startAt=${sim.state.accounts.size - 1}`,
    );
    expect(all.body.map((u) => u.accountId)).toEqual([res.body.accountId]);
  });

  it('refuses create without products, without email, for an existing email, and beyond the licence', async () => {
    const noProducts = await jira<{ errorMessages: string[] }>(sim, '/rest/api/3/user', {
      method: 'POST',
      body: { emailAddress: 'a@acme.example' },
    });
    expect(noProducts.status).toBe(400);
    expect(noProducts.body.errorMessages).toEqual(['You must specify the products that user can access.']);
    expect((await jira(sim, '/rest/api/3/user', { method: 'POST', body: { products: [] } })).status).toBe(
      400,
    );
    expect(
      (
        await jira(sim, '/rest/api/3/user', {
          method: 'POST',
          body: { emailAddress: sim.credentials.userEmail, products: [] },
        })
      ).status,
    ).toBe(400);
    // The generator leaves Jira Service Management exactly full.
    const full = await jira(sim, '/rest/api/3/user', {
      method: 'POST',
      body: { emailAddress: 'agent@acme.example', products: ['jira-servicedesk'] },
    });
    expect(full.status).toBe(400);
    expect(
      (
        await jira(sim, '/rest/api/3/user', {
          method: 'POST',
          body: { emailAddress: 'b@acme.example', products: ['bogus'] },
        })
      ).status,
    ).toBe(400);
  });

  it('removes a user from the site (204): gone from groups and roles, still listed as inactive', async () => {
    const project = [...sim.state.projects.values()][0] as SimProject;
    const accountId = [...(project.roles.get(10002)?.users ?? [])].find(
      (id) => id !== sim.state.adminAccountId && sim.state.accounts.get(id)?.jiraActive,
    );
    if (!accountId) throw new Error('no removable actor');
    const res = await jira(sim, `/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`, {
      method: 'DELETE',
    });
    expect(res.status).toBe(204);
    const user = await jira<{ active: boolean; groups: { size: number } }>(
      sim,
      `/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    );
    expect(user.body.active).toBe(false);
    expect(user.body.groups.size).toBe(0);
    const role = await jira<{ actors: { actorUser?: { accountId: string } }[] }>(
      sim,
      `/rest/api/3/project/${project.key}/role/10002`,
    );
    expect(role.body.actors.some((a) => a.actorUser?.accountId === accountId)).toBe(false);
    expect((await jira(sim, '/rest/api/3/user?accountId=557058:ghost', { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await jira(sim, '/rest/api/3/user?accountId=557058:ghost')).status).toBe(404);
  });
});
