// What the store must hold after a complete sync of a simulator, derived from the simulator's own
// state by the rules each plan can know. Tests compare the store with this, fact by fact.
import type { SimAccount, SimState } from '../../sim/index.ts';
import type { SyncPlanKind } from '../../src/domain/sync-plan.ts';

export interface ExpectedAccount {
  accountType: string;
  status: string | null;
  membershipStatus: string | null;
  email: string | null;
  billable: boolean | null;
  lastActive: string | null;
}

const latest = (dates: (string | null)[]): string | null =>
  dates.reduce<string | null>((max, d) => (d !== null && (max === null || d > max) ? d : max), null);

const iso = (date: string | null): string | null => (date === null ? null : new Date(date).toISOString());

export function expectedAccount(account: SimAccount, plan: SyncPlanKind): ExpectedAccount {
  const inDirectory = plan === 'org' && account.directoryId !== null && account.accountType === 'atlassian';
  if (inDirectory) {
    return {
      accountType: account.accountType,
      status: account.accountStatus,
      membershipStatus: account.membershipStatus,
      // The directory shows a managed account's email, and anyone else's only if they share it.
      email: account.managed || account.emailVisibleInJira ? account.email : null,
      billable: account.billable,
      lastActive: iso(latest(account.products.map((p) => p.lastActive))),
    };
  }
  const jiraAuthority = plan === 'jira' || account.accountType !== 'atlassian';
  return {
    accountType: account.accountType,
    status: jiraAuthority ? (account.jiraActive ? 'active' : 'inactive') : null,
    membershipStatus: null,
    email: account.emailVisibleInJira ? account.email : null,
    billable: null,
    lastActive: null,
  };
}

export function expectedMemberships(state: SimState): Set<string> {
  const pairs = new Set<string>();
  for (const group of state.groups.values())
    for (const member of group.members) pairs.add(`${group.groupId} ${member}`);
  return pairs;
}

export function expectedRoleActors(state: SimState): Set<string> {
  const actors = new Set<string>();
  for (const project of state.projects.values()) {
    for (const [roleId, role] of project.roles) {
      for (const user of role.users) actors.add(`${project.id} ${roleId} user ${user}`);
      for (const group of role.groups) actors.add(`${project.id} ${roleId} group ${group}`);
    }
  }
  return actors;
}

export function expectedProductAccess(state: SimState): Map<string, string | null> {
  const access = new Map<string, string | null>();
  for (const account of state.accounts.values()) {
    if (account.directoryId === null || account.accountType !== 'atlassian') continue;
    for (const p of account.products) access.set(`${account.accountId} ${p.key}`, iso(p.lastActive));
  }
  return access;
}

export function expectedLeads(state: SimState): Map<string, string> {
  return new Map([...state.projects.values()].map((p) => [p.id, p.leadAccountId]));
}
