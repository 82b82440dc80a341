// Sync runs per integration, with the health of each integration's credentials on top.
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import type { SyncRun } from '../api/types.ts';
import { RunStatusBadge } from '../components/badges.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { IntegrationSelect } from '../components/IntegrationSelect.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatCount, formatDate } from '../format.ts';
import { CredentialBadge, OrgKeyExpiryBadge } from '../integrations/IntegrationsPage.tsx';
import { useIntegrations, useRuns } from '../integrations/queries.ts';
import { SyncProgress } from '../integrations/SyncProgress.tsx';
import { setSearch, useLocation } from '../router.tsx';

const column = createColumnHelper<SyncRun>();

function duration(run: SyncRun): string {
  if (run.finishedAt === null) return 'running';
  const seconds = Math.round((new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) / 1000);
  return seconds < 120 ? `${seconds}s` : `${Math.round(seconds / 60)} min`;
}

const COLUMNS = [
  column.accessor('startedAt', { header: 'Started', cell: (c) => formatDate(c.getValue()) }),
  column.accessor('status', {
    header: 'Status',
    cell: (c) => <RunStatusBadge status={c.getValue()} complete={c.row.original.complete} />,
  }),
  column.accessor('plan', { header: 'Plan' }),
  column.display({ id: 'duration', header: 'Duration', cell: (c) => duration(c.row.original) }),
  column.accessor('apiCalls', { header: 'API calls', cell: (c) => formatCount(c.getValue()) }),
  column.accessor('retries', { header: 'Retries' }),
  column.accessor('rateLimitWaits', { header: 'Rate-limit waits' }),
  column.display({
    id: 'counts',
    header: 'Counts',
    cell: (c) => (
      <Text size="xs">
        {Object.entries(c.row.original.counts)
          // Only what changed: "unchanged: 0" rows would drown the rest.
          .filter(([, v]) => v !== 0)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')}
      </Text>
    ),
  }),
  column.display({
    id: 'errors',
    header: 'Errors',
    cell: (c) =>
      c.row.original.errors.map((e, i) => (
        <Text key={i} size="xs" c="red">
          {e.phase ? `${e.phase}: ` : ''}
          {e.message ?? ''}
        </Text>
      )),
  }),
];

function Runs(props: { integrationId: string }): ReactNode {
  const runs = useRuns(props.integrationId, { limit: 50 });
  return (
    <QueryState query={runs}>
      {(items) => {
        const running = items.find((run) => run.status === 'running');
        return (
          <Stack>
            {running && <SyncProgress run={running} />}
            <DataTable
              label="Sync runs"
              data={items}
              columns={COLUMNS}
              getRowId={(run) => run.id}
              empty="No runs yet."
            />
          </Stack>
        );
      }}
    </QueryState>
  );
}

export function RunsPage(): ReactNode {
  const { pathname, search } = useLocation();
  const integrations = useIntegrations();
  const selected = search.get('integrationId') ?? integrations.data?.[0]?.id;
  return (
    <Stack>
      <Title order={2}>Sync runs and health</Title>
      <QueryState query={integrations}>
        {(items) => (
          <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
            {items.map((integration) => (
              <Card key={integration.id} withBorder>
                <Text fw={600}>{integration.label}</Text>
                <Text size="xs" c="dimmed" mb="xs">
                  {integration.siteUrl}
                </Text>
                <Group gap={4}>
                  <CredentialBadge
                    label="site"
                    health={integration.health.site}
                    configured={integration.hasApiToken}
                  />
                  <CredentialBadge
                    label="org"
                    health={integration.health.org}
                    configured={integration.hasOrgKey}
                  />
                  <OrgKeyExpiryBadge expiresAt={integration.orgKeyExpiresAt} />
                </Group>
                {[integration.health.site.lastError, integration.health.org.lastError]
                  .filter((error): error is string => error !== null)
                  .map((error) => (
                    <Text key={error} size="xs" c="red" mt={4}>
                      {error}
                    </Text>
                  ))}
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
      <IntegrationSelect
        value={selected}
        allowAll={false}
        onChange={(id) => setSearch(pathname, { integrationId: id })}
      />
      {selected !== undefined && <Runs integrationId={selected} />}
    </Stack>
  );
}
