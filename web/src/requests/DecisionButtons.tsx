// Approve or deny one request, with a comment (required to deny, so the requester learns why).
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { AccessRequest } from '../api/types.ts';
import { useDecide, type Decision } from './api.ts';

const COMMENT_MAX = 2000;

export function DecisionButtons(props: {
  request: AccessRequest;
  onDecided?: (request: AccessRequest) => void;
}): ReactNode {
  const decide = useDecide(props.onDecided);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [comment, setComment] = useState('');
  const open = (next: Decision) => {
    decide.reset();
    setComment('');
    setDecision(next);
  };
  const close = () => setDecision(null);
  const needsComment = decision === 'deny' && comment.trim() === '';
  const submit = () => {
    if (decision === null || needsComment) return;
    decide.mutate({ requestId: props.request.id, decision, comment }, { onSuccess: () => setDecision(null) });
  };
  return (
    <>
      <Group gap="xs" wrap="nowrap">
        <Button size="xs" color="green" onClick={() => open('approve')}>
          Approve
        </Button>
        <Button size="xs" color="red" variant="light" onClick={() => open('deny')}>
          Deny
        </Button>
      </Group>
      <Modal
        opened={decision !== null}
        onClose={close}
        title={decision === 'deny' ? 'Deny request' : 'Approve request'}
        size="lg"
      >
        <Stack>
          <Text>
            {props.request.item.label} for {props.request.requester.email}
          </Text>
          <Text size="sm" c="dimmed">
            Reason: {props.request.reason}
          </Text>
          <Textarea
            label={decision === 'deny' ? 'Comment (required)' : 'Comment (optional)'}
            autosize
            minRows={2}
            maxLength={COMMENT_MAX}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
          {decide.isError && (
            <Alert color="red" title="Could not decide" role="alert">
              {errorMessage(decide.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color={decision === 'deny' ? 'red' : 'green'}
              disabled={needsComment}
              loading={decide.isPending}
              onClick={submit}
            >
              {decision === 'deny' ? 'Confirm deny' : 'Confirm approve'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
