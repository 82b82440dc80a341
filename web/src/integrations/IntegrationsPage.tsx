// Connected sites with the health of their credentials, their last run, and what can be done.
import { Alert, Badge, Button, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { CredentialHealth, IntegrationSummary } from '../api/types.ts';
import { can } from '../auth/permissions.ts';
import { useSession } from '../auth/session.ts';
import { RunStatusBadge } from '../components/badges.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatAgo, formatDate, formatDay } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { ConnectionChecks } from './ConnectionChecks.tsx';
import { orgKeyExpiry, useIntegrations, useStartSync, useTestSaved } from './queries.ts';

export function CredentialBadge(props: {
  label: string;
  health: CredentialHealth;
  configured: boolean;
}): ReactNode {
  const { health } = props;
  if (!props.configured)
    return (
      <Badge color="gray" variant="outline">
        {props.label}: not set
      </Badge>
    );
  if (health.failingSince !== null) {
    return (
      <Tooltip label={health.lastError ?? 'failing'} multiline w={320}>
        <Badge color="red">
          {props.label}: failing since {formatDay(health.failingSince)}
        </Badge>
      </Tooltip>
    );
  }
  if (health.lastOkAt === null) return <Badge color="gray">{props.label}: not checked yet</Badge>;
  return (
    <Tooltip label={`Last worked ${formatDate(health.lastOkAt)}`}>
      <Badge color="green">{props.label}: ok</Badge>
    </Tooltip>
  );
}

export function OrgKeyExpiryBadge(props: { expiresAt: string | null }): ReactNode {
  const expiry = orgKeyExpiry(props.expiresAt);
  if (expiry.state === 'none') return null;
  if (expiry.state === 'expired')
    return <Badge color="red">org key expired {formatDay(props.expiresAt)}</Badge>;
  if (expiry.state === 'soon') {
    return <Badge color="orange">org key expires in {expiry.days} day(s)</Badge>;
  }
  return (
    <Badge color="gray" variant="light">
      org key until {formatDay(props.expiresAt)}
    </Badge>
  );
}

function IntegrationRow(props: {
  integration: IntegrationSummary;
  canWrite: boolean;
  canSync: boolean;
}): ReactNode {
  const { integration } = props;
  const test = useTestSaved();
  const sync = useStartSync();
  const run = integration.lastRun ?? null;
  return (
    <>
      <Table.Tr>
        <Table.Td>
          <Text fw={600}>{integration.label}</Text>
          <Text size="xs" c="dimmed">
            {integration.siteUrl}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap={4}>
            <CredentialBadge
              label="site"
              health={integration.health.site}
              configured={integration.hasApiToken}
            />
            <CredentialBadge label="org" health={integration.health.org} configured={integration.hasOrgKey} />
            <OrgKeyExpiryBadge expiresAt={integration.orgKeyExpiresAt} />
          </Group>
        </Table.Td>
        <Table.Td>
          {run === null ? (
            <Text size="sm" c="dimmed">
              never synced
            </Text>
          ) : (
            <Group gap={4}>
              <RunStatusBadge status={run.status} complete={run.complete} />
              <Text size="sm">{formatAgo(run.finishedAt ?? run.startedAt)}</Text>
            </Group>
          )}
          {integration.syncSchedule ? (
            <Text size="xs" c="dimmed">
              schedule: {integration.syncSchedule}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>
          <Group gap="xs">
            {props.canWrite && (
              <Button
                size="xs"
                variant="default"
                onClick={() => test.mutate(integration.id)}
                loading={test.isPending}
              >
                Test
              </Button>
            )}
            {props.canSync && (
              <Button
                size="xs"
                onClick={() =>
                  sync.mutate(integration.id, {
                    onSuccess: () => navigate(`/runs?integrationId=${encodeURIComponent(integration.id)}`),
                  })
                }
                loading={sync.isPending}
              >
                Sync now
              </Button>
            )}
            <Link to={`/runs?integrationId=${encodeURIComponent(integration.id)}`} size="sm">
              Runs
            </Link>
          </Group>
        </Table.Td>
      </Table.Tr>
      {(test.data !== undefined || test.isError || sync.isError) && (
        <Table.Tr>
          <Table.Td colSpan={4}>
            {test.data !== undefined && <ConnectionChecks report={test.data} />}
            {(test.isError || sync.isError) && (
              <Alert color="red" role="alert">
                {errorMessage(test.error ?? sync.error)}
              </Alert>
            )}
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

export function IntegrationsPage(): ReactNode {
  const integrations = useIntegrations();
  const role = useSession().data?.user.role ?? 'auditor';
  const canWrite = can(role, 'integrations:write');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Integrations</Title>
        {canWrite && <Button onClick={() => navigate('/integrations/new')}>Add integration</Button>}
      </Group>
      <QueryState query={integrations}>
        {(items) =>
          items.length === 0 ? (
            <Alert title="No site connected yet">
              {canWrite
                ? 'Add an integration to start seeing accounts and licenses.'
                : 'Ask an admin to connect a site.'}
            </Alert>
          ) : (
            <Table aria-label="Integrations">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Site</Table.Th>
                  <Table.Th>Credentials</Table.Th>
                  <Table.Th>Last run</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((integration) => (
                  <IntegrationRow
                    key={integration.id}
                    integration={integration}
                    canWrite={canWrite}
                    canSync={can(role, 'sync:run')}
                  />
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </Stack>
  );
}
