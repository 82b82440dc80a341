// Mutation ops, called directly over SimState and through POST /__sim/mutate.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateState } from './generate.ts';
import { indexesFor } from './indexes.ts';
import {
  addMembership,
  addRoleActor,
  applyMutation,
  MutationError,
  removeUser,
  setProjectLead,
  updateUser,
} from './mutate.ts';
import { startSimulator, type Simulator } from './server.ts';
import { control, jira, type PageBean } from './testing.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('mutate functions over SimState', () => {
  it('removeUser takes the account out of every group and role', () => {
    const state = generateState({ users: 200, seed: 9, now: NOW });
    const project = [...state.projects.values()][0];
    const victim = [...(project?.roles.get(10002)?.users ?? [])][0] ?? '';
    const group = [...state.groups.values()][0];
    if (!group || !project) throw new Error('empty state');
    addMembership(state, group.groupId, victim);
    expect(indexesFor(state).groupMembers(group.groupId, true)).toContain(victim);
    const result = removeUser(state, victim);
    expect(result.changed).toBe(true);
    expect(state.accounts.has(victim)).toBe(false);
    expect([...state.groups.values()].some((g) => g.members.has(victim))).toBe(false);
    expect(
      [...state.projects.values()].some((p) => [...p.roles.values()].some((r) => r.users.has(victim))),
    ).toBe(false);
    // Indexes were invalidated: paging views no longer show the account.
    expect(indexesFor(state).groupMembers(group.groupId, true)).not.toContain(victim);
    expect(
      indexesFor(state)
        .accounts()
        .some((a) => a.accountId === victim),
    ).toBe(false);
    expect(() => removeUser(state, victim)).toThrow(MutationError);
  });

  it('updateUser changes status, products and billability', () => {
    const state = generateState({ users: 100, seed: 9, now: NOW });
    const account = [...state.accounts.values()].find((a) => a.billable);
    if (!account) throw new Error('no billable account');
    expect(
      updateUser(state, { op: 'updateUser', accountId: account.accountId, status: 'suspended' }).changed,
    ).toBe(true);
    expect(account.membershipStatus).toBe('suspended');
    expect(account.jiraActive).toBe(false);
    expect(account.billable).toBe(false);
    updateUser(state, { op: 'updateUser', accountId: account.accountId, status: 'active', products: [] });
    expect(account.jiraActive).toBe(true);
    expect(account.billable).toBe(false);
    expect(updateUser(state, { op: 'updateUser', accountId: account.accountId, products: [] }).changed).toBe(
      false,
    );
  });

  it('role actors, leads and memberships report whether anything changed', () => {
    const state = generateState({ users: 100, seed: 9, now: NOW });
    const project = [...state.projects.values()][0];
    const person = [...state.accounts.values()].find((a) => a.accountType === 'atlassian' && a.jiraActive);
    if (!project || !person) throw new Error('empty state');
    const users = project.roles.get(10004)?.users;
    const wasThere = users?.has(person.accountId) ?? false;
    expect(addRoleActor(state, project.key, 10004, { accountId: person.accountId })).toBe(!wasThere);
    expect(addRoleActor(state, project.key, 10004, { accountId: person.accountId })).toBe(false);
    expect(() => addRoleActor(state, project.key, 99999, { accountId: person.accountId })).toThrow(
      MutationError,
    );
    const result = setProjectLead(state, project.id, person.accountId);
    expect(result.detail).toHaveProperty('previous');
    expect(project.leadAccountId).toBe(person.accountId);
    const added = applyMutation(
      state,
      {
        op: 'addUser',
        displayName: 'Zoë Ångström',
        email: 'zoe@acme.example',
        accountType: 'atlassian',
        managed: true,
        emailVisibleInJira: true,
        products: [],
        lastActive: null,
      },
      NOW,
    );
    expect(state.accounts.get(added.accountId ?? '')?.displayName).toBe('Zoë Ångström');
    expect(() =>
      applyMutation(
        state,
        {
          op: 'addUser',
          displayName: 'Dup',
          email: 'ZOE@acme.example',
          accountType: 'atlassian',
          managed: true,
          emailVisibleInJira: true,
          products: [],
          lastActive: null,
        },
        NOW,
      ),
    ).toThrow(MutationError);
  });
});

describe('POST /__sim/mutate', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ users: 150, seed: 31 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('applies a batch whose effects show in Jira reads', async () => {
    const group = [...sim.state.groups.values()].find((g) => g.name.startsWith('team-'));
    if (!group) throw new Error('no team group');
    const res = await control<{ results: { op: string; changed: boolean; accountId?: string }[] }>(
      sim,
      'mutate',
      {
        ops: [
          {
            op: 'addUser',
            displayName: '<img src=x onerror=alert(1)>',
            email: 'evil@partner.example',
            managed: false,
          },
        ],
      },
    );
    expect(res.status).toBe(200);
    const accountId = res.body.results[0]?.accountId ?? '';
    const batch = await control<{ results: { changed: boolean }[] }>(sim, 'mutate', [
      { op: 'addMembership', groupId: group.groupId, accountId },
      { op: 'addMembership', groupId: group.groupId, accountId },
      { op: 'updateUser', accountId, status: 'inactive' },
    ]);
    expect(batch.body.results.map((r) => r.changed)).toEqual([true, false, true]);
    const members = await jira<PageBean<{ accountId: string; displayName: string; active: boolean }>>(
      sim,
      `/rest/api/3/group/member?groupId=${group.groupId}&includeInactiveUsers=true&startAt=0&maxResults=50`,
    );
    const everyone = [...members.body.values];
    let next = members.body.nextPage;
    while (next) {
      const page = await jira<PageBean<{ accountId: string; displayName: string; active: boolean }>>(
        sim,
        next.slice(sim.siteUrl.length),
      );
      everyone.push(...page.body.values);
      next = page.body.nextPage;
    }
    const found = everyone.find((m) => m.accountId === accountId);
    expect(found).toMatchObject({ displayName: '<img src=x onerror=alert(1)>', active: false });

    const removed = await control(sim, 'mutate', { op: 'removeUser', accountId });
    expect(removed.status).toBe(200);
    expect((await jira(sim, `/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`)).status).toBe(404);
  });

  it('answers 400 for invalid ops and 404 for unknown targets', async () => {
    expect((await control(sim, 'mutate', { op: 'explode' })).status).toBe(400);
    expect((await control(sim, 'mutate', { op: 'removeUser', accountId: 'bad id with spaces' })).status).toBe(
      400,
    );
    expect((await control(sim, 'mutate', { op: 'removeUser', accountId: '557058:nobody' })).status).toBe(404);
    expect(
      (
        await control(sim, 'mutate', {
          op: 'setProjectLead',
          projectKey: 'NOPE',
          accountId: sim.state.adminAccountId,
        })
      ).status,
    ).toBe(404);
  });
});
