// A plan (dry run) or an outcome, item by item: the checks made, the exact Atlassian calls, or why
// nothing will happen (refused, already done). Every Atlassian string is rendered as plain text.
import { Badge, Code, Group, List, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Operation, OperationItem, OperationItemStatus } from '../api/types.ts';
import { readItemResult } from './api.ts';

const STATUS_COLORS: Record<OperationItemStatus, string> = {
  pending: 'gray',
  running: 'blue',
  succeeded: 'green',
  skipped: 'gray',
  failed: 'red',
  refused: 'orange',
};

const DECISION_LABELS: Record<string, string> = {
  run: 'will run',
  done: 'already done',
  refuse: 'refused',
  error: 'could not plan',
};

function statusLabel(item: OperationItem, dryRun: boolean, decision: string | undefined): string {
  if (dryRun) return DECISION_LABELS[decision ?? ''] ?? item.status;
  if (item.status === 'skipped') return 'already done';
  return item.status;
}

function ItemView(props: { item: OperationItem; dryRun: boolean }): ReactNode {
  const { item, dryRun } = props;
  const result = readItemResult(item);
  const label = statusLabel(item, dryRun, result.decision);
  const color = dryRun && result.decision === 'run' ? 'blue' : STATUS_COLORS[item.status];
  return (
    <Stack gap={4} data-testid="operation-item" data-status={item.status} data-decision={result.decision}>
      <Group gap="xs">
        <Badge color={color}>{label}</Badge>
        <Text fw={500}>{item.action}</Text>
        {result.target !== undefined && <Text c="dimmed">{result.target}</Text>}
      </Group>
      {result.reason !== undefined && <Text size="sm">{result.reason}</Text>}
      {result.error !== undefined && (
        <Text size="sm" c="red">
          {result.error.atlassianMessage ?? result.error.message}
        </Text>
      )}
      {result.calls.length > 0 && (
        <Stack gap={2} aria-label="Planned calls">
          {result.calls.map((call, index) => (
            <Code key={index} data-testid="planned-call">
              {call.method} {call.path}
            </Code>
          ))}
        </Stack>
      )}
      {result.checks.length > 0 && (
        <List size="xs" aria-label="Checks">
          {result.checks.map((check, index) => (
            <List.Item key={index} data-ok={check.ok}>
              {check.ok ? '✓' : '✗'} {check.name}: {check.detail}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

export function OperationView(props: { operation: Operation }): ReactNode {
  const { operation } = props;
  return (
    <Stack
      gap="sm"
      data-testid={operation.dryRun ? 'operation-plan' : 'operation-result'}
      data-status={operation.status}
    >
      <Text size="sm">
        {operation.dryRun ? 'Plan (nothing changed yet)' : `Result: ${operation.status}`} ·{' '}
        {operation.items.length} {operation.items.length === 1 ? 'step' : 'steps'}
      </Text>
      {operation.items.map((item) => (
        <ItemView key={item.seq} item={item} dryRun={operation.dryRun} />
      ))}
      {operation.items.length === 0 && <Text c="dimmed">Nothing to do.</Text>}
    </Stack>
  );
}
