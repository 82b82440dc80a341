// After saving: start the first sync and show its progress until it ends.
import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { IntegrationSummary } from '../api/types.ts';
import { Link, navigate } from '../router.tsx';
import { useRuns, useStartSync } from './queries.ts';
import { SyncProgress } from './SyncProgress.tsx';

export function FirstSync(props: { integration: IntegrationSummary }): ReactNode {
  const { integration } = props;
  const start = useStartSync();
  const started = useRef(false);
  const runs = useRuns(integration.id, { limit: 1, awaitRun: start.isSuccess });
  const run = runs.data?.[0];
  const finished = run !== undefined && run.status !== 'running';

  useEffect(() => {
    // StrictMode mounts effects twice in development; one sync is enough.
    if (started.current) return;
    started.current = true;
    start.mutate(integration.id);
  }, [integration.id, start]);

  return (
    <Stack maw={720}>
      <Title order={2}>{integration.label} is connected</Title>
      <Text>First sync: reading accounts, groups, projects and products.</Text>
      {start.isError && (
        <Alert color="red" title="Could not start the sync" role="alert">
          {errorMessage(start.error)}
        </Alert>
      )}
      {run !== undefined ? <SyncProgress run={run} /> : start.isPending && <Text size="sm">Starting…</Text>}
      <Group>
        {finished && (
          <Button onClick={() => navigate(`/accounts?integrationId=${encodeURIComponent(integration.id)}`)}>
            See accounts
          </Button>
        )}
        <Link to="/integrations">Back to integrations</Link>
      </Group>
    </Stack>
  );
}
