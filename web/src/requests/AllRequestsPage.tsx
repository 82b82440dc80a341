// Admin view of every request: filter by status and integration (kept in the URL), retry failed
// provisioning, and invite approvers who have no Seatwarden account yet.
import { Button, Group, Select, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AccessRequest, RequestStatus } from '../api/types.ts';
import { IntegrationSelect } from '../components/IntegrationSelect.tsx';
import { Pager } from '../components/Pager.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { setSearch, useLocation } from '../router.tsx';
import { useAllRequests, useRequestCommand } from './api.ts';
import { REQUEST_STATUSES } from './labels.tsx';
import { RequestsTable } from './RequestsTable.tsx';
import { InviteButton } from './RequestSteps.tsx';

const DEFAULT_LIMIT = 50;

const parseStatus = (value: string | null): RequestStatus | undefined =>
  REQUEST_STATUSES.find((status) => status === value);

/** Approvers of the pending step who cannot sign in yet. */
function uninvited(request: AccessRequest) {
  if (request.status !== 'pending') return [];
  return request.steps
    .filter((step) => step.status === 'pending')
    .flatMap((step) => step.approvers)
    .filter((a) => !a.isSeatwardenUser && a.accountId !== null);
}

function RowActions(props: { request: AccessRequest }): ReactNode {
  const run = useRequestCommand();
  const { request } = props;
  return (
    <Group gap="xs" wrap="nowrap">
      {request.status === 'failed' && (
        <Button
          size="xs"
          variant="light"
          loading={run.isPending}
          onClick={() => run.mutate({ requestId: request.id, command: 'retry' })}
        >
          Retry provisioning
        </Button>
      )}
      {uninvited(request).map((approver) => (
        <InviteButton
          key={approver.accountId}
          requestId={request.id}
          accountId={approver.accountId ?? ''}
          label={`Invite ${approver.displayName ?? approver.email ?? 'approver'}`}
        />
      ))}
    </Group>
  );
}

export function AllRequestsPage(): ReactNode {
  const { pathname, search } = useLocation();
  const status = parseStatus(search.get('status'));
  const integrationId = search.get('integrationId') ?? undefined;
  const limit = Number(search.get('limit')) || DEFAULT_LIMIT;
  const offset = Math.max(0, Number(search.get('offset')) || 0);
  const write = (next: {
    status?: string | undefined;
    integrationId?: string | undefined;
    limit?: number;
    offset?: number;
  }) => {
    const merged = { status, integrationId, limit, offset, ...next };
    setSearch(pathname, {
      status: merged.status,
      integrationId: merged.integrationId,
      limit: merged.limit === DEFAULT_LIMIT ? undefined : String(merged.limit),
      offset: merged.offset === 0 ? undefined : String(merged.offset),
    });
  };
  const list = useAllRequests({ status, integrationId, limit, offset });
  return (
    <Stack>
      <Title order={2}>All requests</Title>
      <Group align="flex-end">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={REQUEST_STATUSES}
          value={status ?? null}
          onChange={(value) => write({ status: value ?? undefined, offset: 0 })}
          w={180}
        />
        <IntegrationSelect value={integrationId} onChange={(id) => write({ integrationId: id, offset: 0 })} />
      </Group>
      <QueryState query={list}>
        {(page) => (
          <Stack>
            <RequestsTable
              label="All requests"
              requests={page.requests}
              columns={['item', 'kind', 'requester', 'status', 'createdAt', 'expiresAt']}
              empty="No request matches."
              actions={(request) => <RowActions request={request} />}
            />
            <Pager total={page.total} limit={limit} offset={offset} onChange={write} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
