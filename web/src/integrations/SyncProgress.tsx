// A sync's progress while it runs (phase, items, API calls), polled every second, and its
// outcome when it ends.
import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { SyncRun } from '../api/types.ts';
import { RunStatusBadge } from '../components/badges.tsx';
import { formatCount } from '../format.ts';

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

export function SyncProgress(props: { run: SyncRun }): ReactNode {
  const { run } = props;
  const running = run.status === 'running';
  const items = run.progress?.items ?? total(run.counts);
  const calls = run.progress?.calls ?? run.apiCalls;
  return (
    <Stack gap="xs" data-testid="sync-progress" data-status={run.status}>
      <Group gap="xs">
        <RunStatusBadge status={run.status} complete={run.complete} />
        <Text size="sm">
          {running ? `Phase: ${run.progress?.phase ?? 'starting'}` : 'Finished'} · {formatCount(items)} items
          · {formatCount(calls)} API calls
        </Text>
      </Group>
      {/* The total is unknown until the source says it is done, so a running sync animates. */}
      <Progress
        value={100}
        animated={running}
        striped={running}
        color={running ? 'blue' : run.status === 'succeeded' ? 'green' : 'red'}
        aria-label="Sync progress"
      />
      {run.errors.length > 0 && (
        <Alert color={run.status === 'failed' ? 'red' : 'yellow'} title={`${run.errors.length} error(s)`}>
          {run.errors.slice(0, 5).map((error, i) => (
            <Text key={i} size="sm">
              {error.phase ? `${error.phase}: ` : ''}
              {error.message ?? JSON.stringify(error)}
            </Text>
          ))}
        </Alert>
      )}
    </Stack>
  );
}
