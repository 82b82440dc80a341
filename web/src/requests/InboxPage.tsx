// The approver's inbox: requests waiting for the caller's decision (admins also see flagged ones).
// What was decided here stays listed below with its live status, so the approver sees it through
// to provisioned without leaving the page.
import { Alert, Group, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { AccessRequest } from '../api/types.ts';
import { QueryState } from '../components/QueryState.tsx';
import { Link, pathOf } from '../router.tsx';
import { useInbox, useRequest } from './api.ts';
import { DecisionButtons } from './DecisionButtons.tsx';
import { RequestStatusBadge } from './labels.tsx';
import { RequestsTable } from './RequestsTable.tsx';

function DecidedLine(props: { requestId: string }): ReactNode {
  const request = useRequest(props.requestId);
  if (request.data === undefined) return null;
  return (
    <Group gap="xs" data-testid="decided-request">
      <Link to={pathOf('requests', request.data.id)}>{request.data.item.label}</Link>
      <Text size="sm" c="dimmed">
        for {request.data.requester.email}
      </Text>
      <RequestStatusBadge status={request.data.status} />
    </Group>
  );
}

export function InboxPage(): ReactNode {
  const inbox = useInbox();
  const [decided, setDecided] = useState<string[]>([]);
  const onDecided = (request: AccessRequest) =>
    setDecided((ids) => [request.id, ...ids.filter((id) => id !== request.id)]);
  return (
    <Stack maw={1400}>
      <Title order={2}>Inbox</Title>
      <QueryState query={inbox}>
        {(requests) => (
          <RequestsTable
            label="Inbox"
            requests={requests}
            columns={['item', 'requester', 'reason', 'status', 'createdAt', 'expiresAt']}
            empty="Nothing waits for your decision."
            actions={(request) => <DecisionButtons request={request} onDecided={onDecided} />}
          />
        )}
      </QueryState>
      {decided.length > 0 && (
        <Alert color="gray" variant="light" title="Decided just now">
          <Stack gap={4}>
            {decided.map((id) => (
              <DecidedLine key={id} requestId={id} />
            ))}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
