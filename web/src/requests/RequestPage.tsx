// One request in full: what, for whom and why, its approval steps, notes, and the provisioning (and
// revoke) outcome. It polls while the server still moves it. The buttons shown depend on who looks:
// the requester can cancel or revoke, an approver of the current step can decide, an admin can
// retry failed provisioning, revoke, and decide flagged requests.
import { Alert, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { AccessRequest, OperationRef, User } from '../api/types.ts';
import { useSession } from '../auth/session.ts';
import { QueryState } from '../components/QueryState.tsx';
import { formatDate } from '../format.ts';
import { Link } from '../router.tsx';
import { isMoving, useRequest, useRequestCommand, type RequestCommand } from './api.ts';
import { DecisionButtons } from './DecisionButtons.tsx';
import { KindBadge, RequestStatusBadge } from './labels.tsx';
import { RequestSteps } from './RequestSteps.tsx';

/** Whether this user may decide now: an approver of the pending step, or an admin for a flagged one. */
export function canDecide(request: AccessRequest, user: User): boolean {
  if (request.requester.userId === user.id) return false;
  if (request.status === 'flagged') return user.role === 'admin';
  if (request.status !== 'pending') return false;
  return request.steps.some(
    (step) => step.status === 'pending' && step.approvers.some((a) => a.userId === user.id),
  );
}

interface CommandButton {
  command: RequestCommand;
  label: string;
  color: string;
  allowed: (request: AccessRequest, user: User) => boolean;
}

const COMMANDS: CommandButton[] = [
  {
    command: 'cancel',
    label: 'Cancel request',
    color: 'gray',
    allowed: (r, u) => r.requester.userId === u.id && (r.status === 'pending' || r.status === 'flagged'),
  },
  {
    command: 'revoke',
    label: 'Revoke access now',
    color: 'red',
    allowed: (r, u) => r.status === 'provisioned' && (r.requester.userId === u.id || u.role === 'admin'),
  },
  {
    command: 'retry',
    label: 'Retry provisioning',
    color: 'blue',
    allowed: (r, u) => r.status === 'failed' && u.role === 'admin',
  },
];

function Commands(props: { request: AccessRequest; user: User }): ReactNode {
  const run = useRequestCommand();
  const buttons = COMMANDS.filter((c) => c.allowed(props.request, props.user));
  const decide = canDecide(props.request, props.user);
  if (buttons.length === 0 && !decide) return null;
  return (
    <Stack gap="xs">
      <Group>
        {decide && <DecisionButtons request={props.request} />}
        {buttons.map((button) => (
          <Button
            key={button.command}
            size="xs"
            variant="light"
            color={button.color}
            loading={run.isPending && run.variables.command === button.command}
            onClick={() => run.mutate({ requestId: props.request.id, command: button.command })}
          >
            {button.label}
          </Button>
        ))}
      </Group>
      {run.isError && (
        <Alert color="red" role="alert">
          {errorMessage(run.error)}
        </Alert>
      )}
    </Stack>
  );
}

function OperationOutcome(props: { title: string; outcome: OperationRef | null; testId: string }): ReactNode {
  if (props.outcome === null) return null;
  const { operationId, error, at } = props.outcome;
  return (
    <Card withBorder data-testid={props.testId}>
      <Title order={5} mb="xs">
        {props.title}
      </Title>
      {error !== null && (
        <Alert color="red" mb="xs" role="alert">
          {error}
        </Alert>
      )}
      <Text size="sm">Operation: {operationId ?? '—'}</Text>
      <Text size="sm">When: {formatDate(at)}</Text>
    </Card>
  );
}

function Details(props: { request: AccessRequest; user: User }): ReactNode {
  const { request } = props;
  return (
    <Stack>
      <Group>
        <Title order={2} data-testid="request-label">
          {request.item.label}
        </Title>
        <KindBadge kind={request.item.kind} />
        <RequestStatusBadge status={request.status} />
        {isMoving(request) && (
          <Text size="xs" c="dimmed">
            updating live
          </Text>
        )}
      </Group>
      <Table variant="vertical" withTableBorder maw={700}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={160}>Requester</Table.Th>
            <Table.Td>{request.requester.email}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Reason</Table.Th>
            <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{request.reason}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Requested</Table.Th>
            <Table.Td>{formatDate(request.createdAt)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Expires</Table.Th>
            <Table.Td>{request.expiresAt === null ? 'never' : formatDate(request.expiresAt)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Decided</Table.Th>
            <Table.Td>{formatDate(request.decidedAt)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {request.status === 'flagged' && (
        <Alert color="orange" title="Needs an admin">
          Nobody is eligible to approve this request. An admin must decide it.
        </Alert>
      )}
      <Commands request={request} user={props.user} />
      <Title order={4}>Approval</Title>
      <RequestSteps request={request} isAdmin={props.user.role === 'admin'} />
      <OperationOutcome title="Provisioning" outcome={request.provisioning} testId="provisioning" />
      <OperationOutcome title="Revoke" outcome={request.revoke} testId="revoke" />
      {request.notes.length > 0 && (
        <>
          <Title order={4}>Notes</Title>
          <Table aria-label="Notes">
            <Table.Tbody>
              {request.notes.map((note, i) => (
                <Table.Tr key={`${note.at}/${i}`}>
                  <Table.Td w={200}>{formatDate(note.at)}</Table.Td>
                  <Table.Td>{note.text}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

export function RequestPage(props: { requestId: string }): ReactNode {
  const request = useRequest(props.requestId);
  const user = useSession().data?.user;
  return (
    <Stack maw={1000}>
      <Link to="/requests" size="sm">
        ← My requests
      </Link>
      <QueryState query={request}>
        {(data) => (user === undefined ? null : <Details request={data} user={user} />)}
      </QueryState>
    </Stack>
  );
}
