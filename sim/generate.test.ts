import { describe, expect, it } from 'vitest';
import { generateState, hashState } from './generate.ts';
import { countState } from './control.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('generateState', () => {
  it('is deterministic at 200k users and fast', () => {
    const started = performance.now();
    const first = generateState({ users: 200_000, seed: 42, now: NOW });
    const elapsed = performance.now() - started;
    expect(first.accounts.size).toBe(200_000);
    expect(elapsed).toBeLessThan(10_000);
    const firstHash = hashState(first);
    const again = hashState(generateState({ users: 200_000, seed: 42, now: NOW }));
    expect(again).toBe(firstHash);
  }, 60_000);

  it('changes with the seed', () => {
    const a = hashState(generateState({ users: 500, seed: 1, now: NOW }));
    const b = hashState(generateState({ users: 500, seed: 2, now: NOW }));
    expect(a).not.toBe(b);
  });

  it('rejects sizes outside 10..200000', () => {
    expect(() => generateState({ users: 9, seed: 1 })).toThrow(RangeError);
    expect(() => generateState({ users: 200_001, seed: 1 })).toThrow(RangeError);
  });

  it('has the realistic mix of accounts, groups, projects and seats', () => {
    const state = generateState({ users: 10_000, seed: 7, now: NOW });
    const accounts = [...state.accounts.values()];
    const counts = countState(state);
    const share = (n: number) => n / accounts.length;
    expect(share(counts.accounts.byType.app ?? 0)).toBeGreaterThan(0.02);
    expect(share(counts.accounts.byType.app ?? 0)).toBeLessThan(0.04);
    expect(share(counts.accounts.byType.customer ?? 0)).toBeGreaterThan(0.04);
    expect(share(counts.accounts.byType.customer ?? 0)).toBeLessThan(0.06);
    const external = accounts.filter((a) => a.accountType === 'atlassian' && !a.managed);
    expect(share(external.length)).toBeGreaterThan(0.08);
    expect(share(external.length)).toBeLessThan(0.12);
    expect(external.every((a) => a.directoryId !== null)).toBe(true);
    expect(
      accounts
        .filter((a) => a.accountType !== 'atlassian')
        .every((a) => a.directoryId === null && !a.managed),
    ).toBe(true);
    const withEmail = accounts.filter((a) => a.email !== null);
    expect(withEmail.filter((a) => !a.emailVisibleInJira).length / withEmail.length).toBeGreaterThan(0.15);
    expect(share(accounts.filter((a) => a.lastActive === null).length)).toBeGreaterThan(0.05);
    expect(share(accounts.filter((a) => a.lastActive === null).length)).toBeLessThan(0.15);
    expect(counts.accounts.byStatus.inactive).toBeGreaterThan(0);
    expect(counts.accounts.byStatus.suspended).toBeGreaterThan(0);
    expect(counts.accounts.byStatus.closed).toBeGreaterThan(0);
    expect(accounts.filter((a) => a.orgAdmin).length).toBeGreaterThan(2);
    expect(accounts.some((a) => a.managementSource === 'synced')).toBe(true);
    expect(accounts.some((a) => a.appType === 'agent') && accounts.some((a) => a.appType === 'service')).toBe(
      true,
    );
    expect(accounts.every((a) => /^[a-zA-Z0-9_|:-]{1,128}$/.test(a.accountId))).toBe(true);
    expect(accounts.some((a) => a.accountId.startsWith('557058:'))).toBe(true);
    expect(accounts.some((a) => a.accountId.startsWith('712020:'))).toBe(true);
    expect(accounts.some((a) => a.accountId.startsWith('qm:'))).toBe(true);
    expect(accounts.some((a) => a.displayName.includes('<'))).toBe(true);
    expect(accounts.some((a) => /[^ -~]/u.test(a.displayName))).toBe(true);
    expect(
      accounts.filter((a) => a.billable).every((a) => a.accountType === 'atlassian' && a.products.length > 0),
    ).toBe(true);
    // Product dates never postdate the account-wide date.
    for (const a of accounts) {
      for (const p of a.products)
        if (p.lastActive && a.lastActive) expect(p.lastActive <= a.lastActive).toBe(true);
    }

    expect(state.groups.size).toBe(Math.floor(10_000 / 25) + 10);
    const sizes = [...state.groups.values()].map((g) => g.members.size).sort((x, y) => y - x);
    expect(sizes[0]).toBeGreaterThan(20 * (sizes[Math.floor(sizes.length / 2)] ?? 1));
    expect([...state.groups.values()].some((g) => g.idpManaged)).toBe(true);
    const perUser = new Map<string, number>();
    for (const g of state.groups.values())
      for (const id of g.members) perUser.set(id, (perUser.get(id) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(8);

    expect(state.projects.size).toBe(Math.floor(10_000 / 50) + 3);
    const leads = [...state.projects.values()].map((p) => state.accounts.get(p.leadAccountId));
    expect(leads.every((l) => l?.accountType === 'atlassian')).toBe(true);
    const inactiveLeads = leads.filter((l) => l?.jiraActive === false).length / leads.length;
    expect(inactiveLeads).toBeGreaterThan(0.04);
    expect(inactiveLeads).toBeLessThan(0.2);
    expect(
      [...state.projects.values()].some((p) => [...p.roles.values()].some((r) => r.groups.size > 0)),
    ).toBe(true);

    const jsm = state.applicationRoles.find((r) => r.key === 'jira-servicedesk');
    expect(jsm?.productKey).toBe('jira-service-desk');
    expect(state.products.find((p) => p.key === 'confluence')?.ari).toBe(
      `ari:cloud:confluence::site/${state.cloudId}`,
    );
    expect(state.products.find((p) => p.key === 'jira-software')?.ari).toBe(
      `ari:cloud:jira::site/${state.cloudId}`,
    );
  });
});
