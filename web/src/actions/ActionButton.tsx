// The one flow every action follows: (fill the form,) dry run and show the plan, confirm, then show
// per-item results and refresh the inventory. Destructive actions say so in red.
import { Alert, Button, Group, Modal, Stack, type ButtonProps } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import { hasWorkToDo, submitAction, useRefreshInventory, type ActionRequest } from './api.ts';
import { OperationView } from './OperationView.tsx';

export interface ActionButtonProps {
  /** The button's text; also the dialog title unless `title` is given. */
  label: string;
  title?: string;
  integrationId: string;
  destructive?: boolean;
  /** Fields to fill before planning; when absent the plan is made as soon as the dialog opens. */
  form?: ReactNode;
  /** What to plan and run; null while the form is incomplete. */
  request: ActionRequest | null;
  size?: ButtonProps['size'];
  variant?: ButtonProps['variant'];
  /** Called after the dialog closes (to reset a form). */
  onClosed?: () => void;
}

export function ActionButton(props: ActionButtonProps): ReactNode {
  const [opened, setOpened] = useState(false);
  const refresh = useRefreshInventory();
  const plan = useMutation({
    mutationFn: (request: ActionRequest) => submitAction(props.integrationId, request, true),
  });
  const run = useMutation({
    mutationFn: (request: ActionRequest) => submitAction(props.integrationId, request, false),
    onSettled: refresh,
  });
  const color = props.destructive ? 'red' : undefined;

  const open = () => {
    plan.reset();
    run.reset();
    setOpened(true);
    if (props.form === undefined && props.request !== null) plan.mutate(props.request);
  };
  const close = () => {
    setOpened(false);
    props.onClosed?.();
  };

  const planned = plan.data;
  // Confirm runs exactly what was planned, even if the form changed since.
  const plannedRequest = plan.variables;
  const done = run.data;
  return (
    <>
      <Button size={props.size ?? 'xs'} variant={props.variant ?? 'light'} color={color} onClick={open}>
        {props.label}
      </Button>
      <Modal opened={opened} onClose={close} title={props.title ?? props.label} size="lg">
        <Stack>
          {props.form !== undefined && done === undefined && (
            <Stack>
              {props.form}
              <Group>
                <Button
                  variant="default"
                  disabled={props.request === null}
                  loading={plan.isPending}
                  onClick={() => {
                    if (props.request !== null) plan.mutate(props.request);
                  }}
                >
                  Preview
                </Button>
              </Group>
            </Stack>
          )}
          {plan.isError && (
            <Alert color="red" title="Could not plan" role="alert">
              {errorMessage(plan.error)}
            </Alert>
          )}
          {planned !== undefined && done === undefined && <OperationView operation={planned} />}
          {run.isError && (
            <Alert color="red" title="Could not run" role="alert">
              {errorMessage(run.error)}
            </Alert>
          )}
          {done !== undefined && <OperationView operation={done} />}
          <Group justify="flex-end">
            {planned !== undefined && plannedRequest !== undefined && done === undefined && (
              <Button
                color={color}
                disabled={!hasWorkToDo(planned)}
                loading={run.isPending}
                onClick={() => run.mutate(plannedRequest)}
              >
                {props.destructive ? `Confirm (destructive): ${props.label}` : `Confirm: ${props.label}`}
              </Button>
            )}
            <Button variant="default" onClick={close}>
              {done === undefined ? 'Cancel' : 'Close'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
