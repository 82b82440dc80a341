// Fidelity: every simulator endpoint, for success and error cases, answers what Atlassian's
// published OpenAPI documents say (shapes, statuses, error bodies), and accepts request bodies the
// specs declare valid. Departures from the published specs live in sim/fidelity/overrides.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FidelityClient, nonConformance, type Exchange } from './fidelity/client.ts';
import { SpecValidator } from './fidelity/openapi.ts';
import { SPEC_SOURCES } from './fidelity/overrides.ts';
import type { SimAccount, SimGroup } from './model.ts';
import { startSimulator, type Simulator } from './server.ts';

let sim: Simulator;
let client: FidelityClient;
const validator = new SpecValidator(SPEC_SOURCES);

function accounts(predicate: (a: SimAccount) => boolean): SimAccount[] {
  return [...sim.state.accounts.values()].filter(predicate);
}
function firstAccount(predicate: (a: SimAccount) => boolean): SimAccount {
  const found = accounts(predicate)[0];
  if (!found) throw new Error('the generated org has no such account');
  return found;
}
function firstGroup(predicate: (g: SimGroup) => boolean): SimGroup {
  const found = [...sim.state.groups.values()].find(predicate);
  if (!found) throw new Error('the generated org has no such group');
  return found;
}

/** Call, then require the status and spec conformance of both directions. */
async function expectCall(
  status: number,
  method: string,
  path: string,
  options: Parameters<FidelityClient['call']>[2] = {},
): Promise<Exchange> {
  const exchange = await client.call(method, path, options);
  expect({ status: exchange.status, body: exchange.body }).toMatchObject({ status });
  expect(nonConformance(exchange)).toBeNull();
  return exchange;
}

beforeAll(async () => {
  sim = await startSimulator({ users: 300, seed: 20240 });
  client = new FidelityClient(sim, validator);
});

afterAll(async () => {
  await sim.stop();
});

const enc = encodeURIComponent;

describe('Jira platform v3 endpoints conform to the Jira spec', () => {
  it('users: myself, list, one, groups', async () => {
    const user = firstAccount(
      (a) => a.accountType === 'atlassian' && a.jiraActive && a.accountId !== sim.state.adminAccountId,
    );
    await expectCall(200, 'GET', '/rest/api/3/myself?expand=groups,applicationRoles');
    await expectCall(200, 'GET', '/rest/api/3/myself', { host: 'gateway', as: 'scopedToken' });
    await expectCall(401, 'GET', '/rest/api/3/myself', { as: 'scopedToken' });
    await expectCall(401, 'GET', '/rest/api/3/myself', { as: 'none' });
    await expectCall(200, 'GET', '/rest/api/3/users/search?startAt=0&maxResults=1000');
    await expectCall(200, 'GET', '/rest/api/3/users?maxResults=5');
    await expectCall(
      200,
      'GET',
      `/rest/api/3/user?accountId=${enc(user.accountId)}&expand=groups,applicationRoles`,
    );
    await expectCall(404, 'GET', '/rest/api/3/user?accountId=557058:does-not-exist');
    await expectCall(200, 'GET', `/rest/api/3/user/groups?accountId=${enc(user.accountId)}`);
  });

  it('user create and delete', async () => {
    const created = await expectCall(201, 'POST', '/rest/api/3/user', {
      body: { emailAddress: 'fidelity.new@acme.example', products: ['jira-software'] },
    });
    const accountId = (created.body as { accountId: string }).accountId;
    await expectCall(400, 'POST', '/rest/api/3/user', {
      body: { emailAddress: 'no.products@acme.example' },
      invalidRequest: true,
    });
    await expectCall(403, 'POST', '/rest/api/3/user', {
      as: 'user',
      body: { emailAddress: 'x@acme.example', products: [] },
    });
    await expectCall(204, 'DELETE', `/rest/api/3/user?accountId=${enc(accountId)}`);
  });

  it('groups: bulk, create, members, add, remove, delete', async () => {
    const member = firstAccount((a) => a.accountType === 'atlassian' && a.jiraActive && !a.orgAdmin);
    await expectCall(200, 'GET', '/rest/api/3/group/bulk?maxResults=50');
    const created = await expectCall(201, 'POST', '/rest/api/3/group', {
      body: { name: 'fidelity-jira-group' },
    });
    const groupId = (created.body as { groupId: string }).groupId;
    await expectCall(400, 'POST', '/rest/api/3/group', { body: { name: 'fidelity-jira-group' } });
    await expectCall(201, 'POST', `/rest/api/3/group/user?groupId=${groupId}`, {
      body: { accountId: member.accountId },
    });
    await expectCall(200, 'GET', `/rest/api/3/group/member?groupId=${groupId}&maxResults=50`);
    await expectCall(404, 'GET', '/rest/api/3/group/member?groupId=00000000-0000-4000-8000-000000000000');
    await expectCall(
      200,
      'DELETE',
      `/rest/api/3/group/user?groupId=${groupId}&accountId=${enc(member.accountId)}`,
    );
    await expectCall(200, 'DELETE', `/rest/api/3/group?groupId=${groupId}`);
  });

  it('projects, roles and application roles', async () => {
    const project = [...sim.state.projects.values()][0];
    const actor = firstAccount((a) => a.accountType === 'atlassian' && a.jiraActive);
    if (!project) throw new Error('no project');
    await expectCall(200, 'GET', '/rest/api/3/project/search?expand=lead&maxResults=100');
    await expectCall(200, 'GET', `/rest/api/3/project/${project.key}`);
    await expectCall(404, 'GET', '/rest/api/3/project/NOPE404');
    await expectCall(200, 'GET', `/rest/api/3/project/${project.key}/role`);
    await expectCall(200, 'GET', `/rest/api/3/project/${project.key}/role/10001`);
    await expectCall(200, 'POST', `/rest/api/3/project/${project.key}/role/10001`, {
      body: { user: [actor.accountId] },
    });
    await expectCall(
      204,
      'DELETE',
      `/rest/api/3/project/${project.key}/role/10001?user=${enc(actor.accountId)}`,
    );
    await expectCall(200, 'GET', '/rest/api/3/role');
    await expectCall(200, 'GET', '/rest/api/3/applicationrole');
  });
});

describe('Organizations API endpoints conform to the org spec', () => {
  const org = () => `/admin/v1/orgs/${sim.orgId}`;
  const v2 = () => `/admin/v2/orgs/${sim.orgId}`;

  it('v1 orgs, users, last-active dates', async () => {
    const managed = firstAccount((a) => a.managed && a.directoryId !== null);
    await expectCall(200, 'GET', '/admin/v1/orgs');
    await expectCall(401, 'GET', '/admin/v1/orgs', { as: 'none' });
    await expectCall(200, 'GET', org());
    await expectCall(404, 'GET', '/admin/v1/orgs/not-my-org');
    const page = await expectCall(200, 'GET', `${org()}/users`);
    const next = (page.body as { links: { next?: string } }).links.next;
    expect(next).toMatch(/\?cursor=/);
    await expectCall(200, 'GET', new URL(next ?? '').pathname + new URL(next ?? '').search);
    const bad = await expectCall(400, 'GET', `${org()}/users?cursor=not-a-cursor`);
    expect(bad.body).toMatchObject({ errors: [{ code: 'ADMIN-400-1' }] });
    await expectCall(404, 'GET', '/admin/v1/orgs/not-my-org/users');
    await expectCall(200, 'GET', `${org()}/directory/users/${enc(managed.accountId)}/last-active-dates`);
    await expectCall(404, 'GET', `${org()}/directory/users/557058:nobody/last-active-dates`);
    await expectCall(403, 'GET', `${org()}/directory/users/${enc(managed.accountId)}/last-active-dates`, {
      as: 'scopedOrgKey',
    });
  });

  it('v2 directories, user search and detail, group search and detail, workspaces', async () => {
    const user = firstAccount((a) => a.accountType === 'atlassian' && a.directoryId !== null);
    const group = firstGroup(() => true);
    await expectCall(200, 'GET', `${v2()}/directories?limit=1`);
    await expectCall(200, 'GET', `${v2()}/directories?accountId=${enc(user.accountId)}`);
    const search = await expectCall(200, 'POST', `${v2()}/directories/-/users/search`, {
      body: {
        limit: 5,
        expand: ['productAccess', 'groups', 'platformRoles', 'counts.resources'],
        accountStatus: ['active'],
      },
      as: 'scopedOrgKey',
    });
    const cursor = (search.body as { links: { next?: string } }).links.next;
    await expectCall(200, 'POST', `${v2()}/directories/-/users/search`, { body: { cursor } });
    await expectCall(400, 'POST', `${v2()}/directories/-/users/search`, { body: { cursor: 'garbage' } });
    await expectCall(400, 'POST', `${v2()}/directories/-/users/search`, {
      body: { emails: ['a@b.c'], searchTerm: 'a' },
    });
    await expectCall(404, 'POST', `${v2()}/directories/not-a-directory/users/search`, { body: {} });
    await expectCall(
      200,
      'GET',
      `${v2()}/directories/${user.directoryId ?? ''}/users/${enc(user.accountId)}`,
    );
    await expectCall(404, 'GET', `${v2()}/directories/-/users/557058:nobody`);
    await expectCall(200, 'POST', `${v2()}/directories/-/groups/search`, {
      body: { limit: 3, expand: ['counts.users', 'counts.resources'] },
    });
    await expectCall(400, 'POST', `${v2()}/directories/-/groups/search`, {
      body: { groupIds: [group.groupId], groupNames: ['x'] },
    });
    await expectCall(200, 'GET', `${v2()}/directories/${group.directoryId}/groups/${group.groupId}`);
    await expectCall(404, 'GET', `${v2()}/directories/-/groups/00000000-0000-4000-8000-000000000000`);
    await expectCall(200, 'POST', `${v2()}/workspaces`, { body: { limit: 2 } });
    await expectCall(404, 'POST', '/admin/v2/orgs/not-my-org/workspaces', { body: {} });
  });

  it('v2 group and user writes, v1 role assignment', async () => {
    const dir = sim.state.directories[0]?.directoryId ?? '';
    const member = firstAccount(
      (a) =>
        a.directoryId === dir &&
        a.membershipStatus === 'active' &&
        !a.orgAdmin &&
        a.accountType === 'atlassian',
    );
    const created = await expectCall(201, 'POST', `${v2()}/directories/${dir}/groups`, {
      body: { name: 'fidelity-admin-group', description: 'x' },
    });
    const groupId = (created.body as { id: string }).id;
    await expectCall(409, 'POST', `${v2()}/directories/${dir}/groups`, {
      body: { name: 'fidelity-admin-group' },
    });
    await expectCall(403, 'POST', `${v2()}/directories/${dir}/groups`, {
      body: { name: 'scoped' },
      as: 'scopedOrgKey',
    });
    await expectCall(204, 'POST', `${v2()}/directories/${dir}/groups/${groupId}/memberships`, {
      body: { accountId: member.accountId },
    });
    await expectCall(409, 'POST', `${v2()}/directories/${dir}/groups/${groupId}/memberships`, {
      body: { accountId: member.accountId },
    });
    await expectCall(
      204,
      'DELETE',
      `${v2()}/directories/${dir}/groups/${groupId}/memberships/${enc(member.accountId)}`,
    );
    await expectCall(204, 'DELETE', `${v2()}/directories/${dir}/groups/${groupId}`);
    await expectCall(404, 'DELETE', `${v2()}/directories/${dir}/groups/${groupId}`);
    await expectCall(204, 'POST', `${v2()}/directories/${dir}/users/${enc(member.accountId)}/suspend`);
    await expectCall(204, 'POST', `${v2()}/directories/${dir}/users/${enc(member.accountId)}/restore`);
    await expectCall(404, 'POST', `${v2()}/directories/${dir}/users/557058:nobody/suspend`);
    const jira = sim.state.products.find((p) => p.key === 'jira-software');
    const role = { role: 'atlassian/user', resource: jira?.ari ?? '' };
    await expectCall(204, 'POST', `${org()}/users/${enc(member.accountId)}/roles/revoke`, { body: role });
    await expectCall(204, 'POST', `${org()}/users/${enc(member.accountId)}/roles/assign`, { body: role });
    await expectCall(404, 'POST', `${org()}/users/557058:nobody/roles/assign`, { body: role });
    await expectCall(400, 'POST', `${org()}/users/${enc(member.accountId)}/roles/assign`, {
      body: { role: 'atlassian/user' },
    });
    await expectCall(403, 'POST', `${org()}/users/${enc(member.accountId)}/roles/assign`, {
      body: role,
      as: 'scopedOrgKey',
    });
    const leaver = firstAccount(
      (a) =>
        a.directoryId === dir &&
        !a.orgAdmin &&
        a.accountId !== member.accountId &&
        a.accountType === 'atlassian',
    );
    await expectCall(204, 'DELETE', `${v2()}/directories/${dir}/users/${enc(leaver.accountId)}`);
    await expectCall(404, 'DELETE', `${v2()}/directories/${dir}/users/${enc(leaver.accountId)}`);
  });
});

describe('User management endpoints conform to the user-management spec', () => {
  it('manage, profile and the lifecycle', async () => {
    const target = firstAccount(
      (a) =>
        a.managed &&
        !a.orgAdmin &&
        a.managementSource === 'invited' &&
        a.accountStatus === 'active' &&
        a.directoryId !== null,
    );
    const unmanaged = firstAccount((a) => !a.managed && a.accountType === 'atlassian');
    const id = enc(target.accountId);
    await expectCall(
      200,
      'GET',
      `/users/${id}/manage?privileges=lifecycle.enablement&privileges=lifecycle.delete`,
    );
    await expectCall(200, 'GET', `/users/${id}/manage`);
    await expectCall(404, 'GET', '/users/557058:nobody/manage');
    await expectCall(403, 'GET', `/users/${enc(unmanaged.accountId)}/manage`);
    await expectCall(403, 'GET', `/users/${id}/manage`, { as: 'scopedOrgKey' });
    await expectCall(200, 'GET', `/users/${id}/manage/profile`);
    await expectCall(204, 'POST', `/users/${id}/manage/lifecycle/disable`, {
      body: { message: 'On 6-month suspension' },
    });
    await expectCall(204, 'POST', `/users/${id}/manage/lifecycle/enable`);
    await expectCall(200, 'POST', `/users/${id}/manage/lifecycle/delete`);
    await expectCall(409, 'POST', `/users/${id}/manage/lifecycle/delete`);
    await expectCall(409, 'POST', `/users/${id}/manage/lifecycle/enable`);
    await expectCall(200, 'POST', `/users/${id}/manage/lifecycle/cancel-delete`);
    await expectCall(403, 'POST', `/users/${enc(sim.state.adminAccountId)}/manage/lifecycle/disable`, {
      body: {},
    });
  });
});

describe('the fidelity harness itself', () => {
  it('rejects a response that breaks the spec', () => {
    const check = validator.checkResponse('GET', '/admin/v1/orgs/x/users', 200, {
      data: [{ account_id: 1 }],
    });
    expect(check.outcome).toBe('invalid');
  });

  it('rejects a request body that breaks the spec', () => {
    const check = validator.checkRequest('POST', '/admin/v2/orgs/x/directories/-/users/search', {
      limit: 101,
    });
    expect(check.outcome).toBe('invalid');
  });

  it('validates bodies the spec leaves undescribed against the override schema', () => {
    expect(validator.checkSchema('org#/components/schemas/Errors', { errors: 'not a list' }).outcome).toBe(
      'invalid',
    );
    expect(
      validator.checkSchema('jira#/components/schemas/ErrorCollection', { errorMessages: ['x'], errors: {} })
        .outcome,
    ).toBe('valid');
  });

  it('validated every exchange of this run against a schema or a listed override', () => {
    expect(client.exchanges.length).toBeGreaterThan(60);
    expect(client.exchanges.map(nonConformance).filter((x) => x !== null)).toEqual([]);
  });
});
