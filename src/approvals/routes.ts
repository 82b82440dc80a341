// Who approves what, declared as data. A route is an ordered chain of steps; each step names a
// rule, and each rule has a fallback chain tried in order when it yields nobody eligible. When
// the whole chain yields nobody, the request is flagged to the admins (never auto-approved).
import type { ItemKind, RuleKind, StepRule } from './types.ts';

/** The route per item kind when neither the integration nor the item overrides it. */
export const DEFAULT_ROUTES: Readonly<Record<ItemKind, readonly StepRule[]>> = {
  projectRole: [{ kind: 'projectLead' }],
  group: [{ kind: 'groupOwners' }],
  product: [{ kind: 'integrationOwners' }],
};

/** What each rule falls back to, in order, when it yields nobody eligible. */
export const FALLBACKS: Readonly<Record<RuleKind, readonly RuleKind[]>> = {
  projectLead: ['projectAdmins', 'integrationOwners'],
  projectAdmins: ['integrationOwners'],
  groupOwners: ['integrationOwners'],
  users: ['integrationOwners'],
  integrationOwners: [],
};

/** Rules that only make sense for some item kinds (a group has no project lead). */
export const RULE_APPLIES_TO: Readonly<Record<RuleKind, readonly ItemKind[]>> = {
  projectLead: ['projectRole'],
  projectAdmins: ['projectRole'],
  groupOwners: ['group'],
  users: ['group', 'projectRole', 'product'],
  integrationOwners: ['group', 'projectRole', 'product'],
};

/** The route for an item: its own steps, else the integration's override, else the default. */
export function routeFor(
  kind: ItemKind,
  itemSteps: readonly StepRule[] | null,
  overrides: Partial<Record<ItemKind, StepRule[]>>,
): readonly StepRule[] {
  return itemSteps ?? overrides[kind] ?? DEFAULT_ROUTES[kind];
}
