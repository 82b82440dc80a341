// The two plans as data: which phases run, in which waves, and what a complete run may sweep.
// Phases in one wave are independent and run concurrently.
import type { SyncPlanKind } from '../domain/sync-plan.ts';
import type { SeenEntity } from '../storage/inventory-engine.ts';
import type { Phase } from './context.ts';
import {
  jiraApplicationRolesPhase,
  jiraGroupsPhase,
  jiraProjectsPhase,
  jiraUsersPhase,
} from './phases-jira.ts';
import { directoryGroupsPhase, directoryUsersPhase, workspacesPhase } from './phases-org.ts';

export interface PlanDefinition {
  kind: SyncPlanKind;
  waves: Phase[][];
  /** Only what the plan reads completely may be marked removed when it is missing. */
  sweeps: SeenEntity[];
}

export const PLANS: Record<SyncPlanKind, PlanDefinition> = {
  org: {
    kind: 'org',
    waves: [
      [directoryUsersPhase, jiraUsersPhase('org'), directoryGroupsPhase, jiraProjectsPhase],
      [jiraApplicationRolesPhase, workspacesPhase],
    ],
    sweeps: ['accounts', 'groups', 'memberships', 'projects', 'role_actors', 'products', 'product_access'],
  },
  jira: {
    kind: 'jira',
    waves: [[jiraUsersPhase('jira'), jiraGroupsPhase, jiraProjectsPhase], [jiraApplicationRolesPhase]],
    // Jira has no bulk source of per-product access, so the Jira-only plan neither writes nor sweeps it.
    sweeps: ['accounts', 'groups', 'memberships', 'projects', 'role_actors', 'products'],
  },
};

export function planFor(integration: { orgId: string | null; hasOrgKey: boolean }): SyncPlanKind {
  return integration.orgId && integration.hasOrgKey ? 'org' : 'jira';
}
