// Lazily built, cached views over SimState so list endpoints page in O(page), not O(N) per call.
// Any code that changes state outside sim/mutate.ts must call `indexesFor(state).invalidate()`.

import type { SimAccount, SimGroup, SimProject, SimState } from './model.ts';

export interface SimIndexes {
  /** Accounts in insertion order (the order of every Jira user list). */
  accounts(): readonly SimAccount[];
  groups(): readonly SimGroup[];
  projects(): readonly SimProject[];
  /** Member account ids of a group sorted by accountId; inactive Jira users dropped unless asked. */
  groupMembers(groupId: string, includeInactive: boolean): readonly string[];
  groupByName(name: string): SimGroup | undefined;
  accountByEmail(email: string): SimAccount | undefined;
  projectByKeyOrId(keyOrId: string): SimProject | undefined;
  /** Drop every cached view; the next read rebuilds what it needs. */
  invalidate(): void;
}

class LazyIndexes implements SimIndexes {
  private accountList: SimAccount[] | null = null;
  private groupList: SimGroup[] | null = null;
  private projectList: SimProject[] | null = null;
  private members = new Map<string, string[]>();
  private groupNames: Map<string, SimGroup> | null = null;
  private emails: Map<string, SimAccount> | null = null;
  private projectKeys: Map<string, SimProject> | null = null;

  constructor(private readonly state: SimState) {}

  accounts(): readonly SimAccount[] {
    this.accountList ??= [...this.state.accounts.values()];
    return this.accountList;
  }

  groups(): readonly SimGroup[] {
    this.groupList ??= [...this.state.groups.values()];
    return this.groupList;
  }

  projects(): readonly SimProject[] {
    this.projectList ??= [...this.state.projects.values()];
    return this.projectList;
  }

  groupMembers(groupId: string, includeInactive: boolean): readonly string[] {
    const cacheKey = `${includeInactive ? 'all' : 'active'}:${groupId}`;
    const cached = this.members.get(cacheKey);
    if (cached) return cached;
    const group = this.state.groups.get(groupId);
    if (!group) return [];
    const ids = [...group.members].filter((id) => {
      if (includeInactive) return true;
      return this.state.accounts.get(id)?.jiraActive === true;
    });
    ids.sort();
    this.members.set(cacheKey, ids);
    return ids;
  }

  groupByName(name: string): SimGroup | undefined {
    if (!this.groupNames) {
      this.groupNames = new Map();
      for (const group of this.state.groups.values()) this.groupNames.set(group.name.toLowerCase(), group);
    }
    return this.groupNames.get(name.toLowerCase());
  }

  accountByEmail(email: string): SimAccount | undefined {
    if (!this.emails) {
      this.emails = new Map();
      for (const account of this.state.accounts.values()) {
        if (account.email) this.emails.set(account.email.toLowerCase(), account);
      }
    }
    return this.emails.get(email.toLowerCase());
  }

  projectByKeyOrId(keyOrId: string): SimProject | undefined {
    if (!this.projectKeys) {
      this.projectKeys = new Map();
      for (const project of this.state.projects.values()) {
        this.projectKeys.set(project.key.toUpperCase(), project);
        this.projectKeys.set(project.id, project);
      }
    }
    return this.projectKeys.get(keyOrId.toUpperCase());
  }

  invalidate(): void {
    this.accountList = null;
    this.groupList = null;
    this.projectList = null;
    this.members.clear();
    this.groupNames = null;
    this.emails = null;
    this.projectKeys = null;
  }
}

const registry = new WeakMap<SimState, SimIndexes>();

/** The one index set of a state object (shared by every API and by sim/mutate.ts). */
export function indexesFor(state: SimState): SimIndexes {
  let indexes = registry.get(state);
  if (!indexes) {
    indexes = new LazyIndexes(state);
    registry.set(state, indexes);
  }
  return indexes;
}
