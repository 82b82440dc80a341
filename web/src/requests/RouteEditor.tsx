// Editing an approval route: an ordered chain of steps, each naming who may approve it. Used for a
// catalogue item (where "inherit" means the integration's route) and for an integration's routes
// per kind (where "inherit" means the built-in default).
import { ActionIcon, Button, Checkbox, Group, MultiSelect, Select, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ItemKind, StepRule } from '../api/types.ts';
import { useUsers } from './api.ts';
import { RULES_FOR_KIND, RULE_LABELS, describeRoute } from './labels.tsx';

const MAX_STEPS = 5;

function ruleOf(kind: StepRule['kind'], previous: StepRule): StepRule {
  if (kind === 'users') return { kind, userIds: previous.kind === 'users' ? previous.userIds : [] };
  return { kind };
}

/** Users of a 'users' step: every Seatwarden user who can decide (approver or admin). */
export function UserMultiSelect(props: {
  label: string;
  value: string[];
  onChange: (ids: string[]) => void;
  description?: string;
}): ReactNode {
  const users = useUsers();
  const data = (users.data ?? [])
    .filter((u) => !u.disabled && (u.role === 'admin' || u.role === 'approver'))
    .map((u) => ({ value: u.id, label: `${u.displayName} <${u.email}>` }));
  return (
    <MultiSelect
      label={props.label}
      description={props.description}
      placeholder={users.isPending ? 'Loading…' : 'Choose users'}
      data={data}
      value={props.value}
      onChange={props.onChange}
      searchable
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function isRouteComplete(steps: readonly StepRule[] | null): boolean {
  return (
    steps === null || (steps.length > 0 && steps.every((s) => s.kind !== 'users' || s.userIds.length > 0))
  );
}

export function RouteEditor(props: {
  label: string;
  /** The item kind the route serves: it decides which rules are offered. */
  kind: ItemKind;
  /** null: take the inherited route, described by `inherited`. */
  value: StepRule[] | null;
  inherited: StepRule[];
  inheritLabel: string;
  onChange: (steps: StepRule[] | null) => void;
}): ReactNode {
  const { value, onChange } = props;
  const kinds = RULES_FOR_KIND[props.kind];
  const set = (index: number, rule: StepRule) =>
    onChange((value ?? []).map((s, i) => (i === index ? rule : s)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {props.label}
      </Text>
      <Checkbox
        label={`${props.inheritLabel}: ${describeRoute(props.inherited)}`}
        checked={value === null}
        onChange={(e) => onChange(e.currentTarget.checked ? null : [...props.inherited])}
      />
      {value !== null && (
        <Stack gap="xs" pl="md">
          {value.map((rule, index) => (
            <Group key={index} align="flex-end" wrap="nowrap">
              <Select
                label={`Step ${index + 1}`}
                data={kinds.map((kind) => ({ value: kind, label: RULE_LABELS[kind] }))}
                value={rule.kind}
                allowDeselect={false}
                onChange={(kind) => {
                  const next = kinds.find((k) => k === kind);
                  if (next !== undefined) set(index, ruleOf(next, rule));
                }}
                comboboxProps={{ withinPortal: true }}
                w={240}
              />
              {rule.kind === 'users' && (
                <UserMultiSelect
                  label="Approvers"
                  value={rule.userIds}
                  onChange={(userIds) => set(index, { kind: 'users', userIds })}
                />
              )}
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove step ${index + 1}`}
                disabled={value.length === 1}
                onClick={() => onChange(value.filter((_, i) => i !== index))}
                mb={4}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              size="xs"
              variant="default"
              disabled={value.length >= MAX_STEPS}
              onClick={() => onChange([...value, { kind: 'integrationOwners' }])}
            >
              Add step
            </Button>
          </Group>
          {!isRouteComplete(value) && (
            <Text size="xs" c="red">
              Every “Named users” step needs at least one user.
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}
