// How request statuses, item kinds and approval rules read in the UI, declared as data.
import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ItemKind, RequestStatus, StepRule, StepStatus } from '../api/types.ts';

export const STATUS_COLORS: Record<RequestStatus, string> = {
  pending: 'blue',
  flagged: 'orange',
  denied: 'red',
  cancelled: 'gray',
  approved: 'teal',
  provisioned: 'green',
  failed: 'red',
  revoked: 'gray',
  expired: 'gray',
};

export const REQUEST_STATUSES = Object.keys(STATUS_COLORS) as RequestStatus[];

const NO_SHRINK = { minWidth: 'max-content' } as const;

export function RequestStatusBadge(props: { status: RequestStatus }): ReactNode {
  return (
    <Badge
      color={STATUS_COLORS[props.status]}
      style={NO_SHRINK}
      data-testid="request-status"
      data-status={props.status}
    >
      {props.status}
    </Badge>
  );
}

const STEP_COLORS: Record<StepStatus, string> = {
  waiting: 'gray',
  pending: 'blue',
  approved: 'green',
  denied: 'red',
  skipped: 'gray',
};

export function StepStatusBadge(props: { status: StepStatus }): ReactNode {
  return (
    <Badge variant="light" color={STEP_COLORS[props.status]} style={NO_SHRINK}>
      {props.status}
    </Badge>
  );
}

export const KIND_LABELS: Record<ItemKind, string> = {
  group: 'Group',
  projectRole: 'Project role',
  product: 'Product',
};

export const ITEM_KINDS = Object.keys(KIND_LABELS) as ItemKind[];

export function KindBadge(props: { kind: ItemKind }): ReactNode {
  return (
    <Badge variant="outline" style={NO_SHRINK}>
      {KIND_LABELS[props.kind]}
    </Badge>
  );
}

export const RULE_LABELS: Record<StepRule['kind'], string> = {
  projectLead: "The project's lead",
  projectAdmins: "The project's administrators",
  groupOwners: "The group's owners",
  integrationOwners: "The integration's owners",
  users: 'Named users',
};

export const RULE_KINDS = Object.keys(RULE_LABELS) as StepRule['kind'][];

/** Rules that make sense for an item kind (a group has no project lead), as the server checks. */
export const RULES_FOR_KIND: Record<ItemKind, readonly StepRule['kind'][]> = {
  projectRole: ['projectLead', 'projectAdmins', 'users', 'integrationOwners'],
  group: ['groupOwners', 'users', 'integrationOwners'],
  product: ['users', 'integrationOwners'],
};

/** The route each kind takes when neither the item nor the integration overrides it. */
export const DEFAULT_ROUTES: Record<ItemKind, StepRule[]> = {
  projectRole: [{ kind: 'projectLead' }],
  group: [{ kind: 'groupOwners' }],
  product: [{ kind: 'integrationOwners' }],
};

/** "The project's lead → Named users (2)". */
export function describeRoute(steps: readonly StepRule[]): string {
  return steps
    .map((rule) =>
      rule.kind === 'users' ? `${RULE_LABELS.users} (${rule.userIds.length})` : RULE_LABELS[rule.kind],
    )
    .join(' → ');
}

export const REQUESTER_ROLES = ['admin', 'approver', 'requester'] as const;
