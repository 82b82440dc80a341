// The approval chain of one request: each step's rule, who may approve it (after fallbacks, with
// the reason for each fallback), and the decision once made. Admins can invite an approver who
// has no Seatwarden account yet.
import { Alert, Badge, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { AccessRequest, Approver, RequestStep } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { useInviteApprover } from './api.ts';
import { RULE_LABELS, StepStatusBadge } from './labels.tsx';

function approverName(approver: Approver): string {
  return approver.displayName ?? approver.email ?? approver.accountId ?? 'unknown';
}

export function InviteButton(props: { requestId: string; accountId: string; label?: string }): ReactNode {
  const invite = useInviteApprover();
  if (invite.data) {
    return (
      <Alert color="green" title={`Invited ${invite.data.email}`}>
        One-time password (shown once): <Code>{invite.data.oneTimePassword}</Code>
      </Alert>
    );
  }
  return (
    <Group gap="xs">
      <Button
        size="compact-xs"
        variant="light"
        loading={invite.isPending}
        onClick={() => invite.mutate({ requestId: props.requestId, accountId: props.accountId })}
      >
        {props.label ?? 'Invite to Seatwarden'}
      </Button>
      {invite.isError && (
        <Text size="xs" c="red" role="alert">
          {errorMessage(invite.error)}
        </Text>
      )}
    </Group>
  );
}

function ApproverLine(props: { approver: Approver; requestId: string; canInvite: boolean }): ReactNode {
  const { approver } = props;
  return (
    <Group gap="xs" data-testid="approver">
      <Text size="sm">{approverName(approver)}</Text>
      {approver.email !== null && approver.displayName !== null && (
        <Text size="sm" c="dimmed">
          {approver.email}
        </Text>
      )}
      {!approver.isSeatwardenUser && (
        <Badge color="yellow" variant="light" size="sm">
          not a Seatwarden user
        </Badge>
      )}
      {props.canInvite && !approver.isSeatwardenUser && approver.accountId !== null && (
        <InviteButton requestId={props.requestId} accountId={approver.accountId} />
      )}
    </Group>
  );
}

function StepCard(props: { step: RequestStep; requestId: string; isAdmin: boolean }): ReactNode {
  const { step } = props;
  const fellBack = step.routedBy !== step.rule.kind;
  return (
    <Card withBorder data-testid="request-step" data-status={step.status}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={5}>
            Step {step.index + 1}: {RULE_LABELS[step.rule.kind]}
          </Title>
          <StepStatusBadge status={step.status} />
        </Group>
        {fellBack && (
          <Text size="sm">
            Routed to: <b>{RULE_LABELS[step.routedBy]}</b>
          </Text>
        )}
        {step.fallbackReason !== null && (
          <Alert color="yellow" variant="light" p="xs" data-testid="fallback-reason">
            Fallback: {step.fallbackReason}
          </Alert>
        )}
        <Text size="sm" fw={500}>
          Approvers
        </Text>
        {step.approvers.length === 0 ? (
          <Text size="sm" c="dimmed">
            nobody eligible
          </Text>
        ) : (
          step.approvers.map((approver) => (
            <ApproverLine
              key={approver.userId ?? approver.accountId ?? approver.email ?? ''}
              approver={approver}
              requestId={props.requestId}
              canInvite={props.isAdmin && step.status === 'pending'}
            />
          ))
        )}
        {step.decidedBy !== null && (
          <Text size="sm">
            {step.status === 'denied' ? 'Denied' : 'Approved'} by {step.decidedBy.email} on{' '}
            {formatDate(step.decidedAt)}
          </Text>
        )}
        {step.comment !== null && (
          <Text size="sm" data-testid="decision-comment">
            “{step.comment}”
          </Text>
        )}
        {(step.remindersSent > 0 || step.escalated) && (
          <Text size="xs" c="dimmed">
            {step.remindersSent} reminder(s) sent
            {step.escalated ? ', escalated to the integration owners' : ''}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function RequestSteps(props: { request: AccessRequest; isAdmin: boolean }): ReactNode {
  return (
    <Stack gap="sm">
      {props.request.steps.map((step) => (
        <StepCard key={step.index} step={step} requestId={props.request.id} isAdmin={props.isAdmin} />
      ))}
    </Stack>
  );
}
