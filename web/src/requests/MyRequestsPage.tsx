// "My requests": everything the caller asked for, newest first, kept live while any is moving.
import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { QueryState } from '../components/QueryState.tsx';
import { Link } from '../router.tsx';
import { isMoving, useMyRequests } from './api.ts';
import { RequestsTable } from './RequestsTable.tsx';

export function MyRequestsPage(): ReactNode {
  const mine = useMyRequests();
  const live = (mine.data ?? []).some(isMoving);
  return (
    <Stack maw={1200}>
      <Group justify="space-between">
        <Title order={2}>My requests</Title>
        <Link to="/requests/new">Request access</Link>
      </Group>
      {live && (
        <Text size="xs" c="dimmed">
          Statuses update by themselves while a request is waiting or being provisioned.
        </Text>
      )}
      <QueryState query={mine}>
        {(requests) => (
          <RequestsTable
            label="My requests"
            requests={requests}
            columns={['item', 'kind', 'status', 'createdAt', 'expiresAt']}
            empty="You have not requested anything yet."
          />
        )}
      </QueryState>
    </Stack>
  );
}
