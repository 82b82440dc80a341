// What an admin can do to one account: group membership, suspend / restore, deactivate, remove
// from the directory, and offboard (out of every group and role, then suspend or deactivate).
import { Checkbox, Group, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { AccountView } from '../api/types.ts';
import { ActionButton } from './ActionButton.tsx';
import { useCanRunActions } from './api.ts';
import { GroupPicker } from './pickers.tsx';

function AddToGroupButton(props: { integrationId: string; accountId: string }): ReactNode {
  const [groupId, setGroupId] = useState<string | null>(null);
  return (
    <ActionButton
      label="Add to group"
      integrationId={props.integrationId}
      form={<GroupPicker integrationId={props.integrationId} value={groupId} onChange={setGroupId} />}
      request={
        groupId === null ? null : { kind: 'addToGroup', input: { groupId, accountId: props.accountId } }
      }
      onClosed={() => setGroupId(null)}
    />
  );
}

function OffboardButton(props: { integrationId: string; accountId: string }): ReactNode {
  const [deactivate, setDeactivate] = useState(false);
  return (
    <ActionButton
      label="Offboard"
      destructive
      integrationId={props.integrationId}
      form={
        <>
          <Text size="sm">
            Removes the account from every group and project role it holds, then suspends its access (or
            deactivates the account).
          </Text>
          <Checkbox
            label="Deactivate the account instead of suspending it"
            checked={deactivate}
            onChange={(event) => setDeactivate(event.currentTarget.checked)}
          />
        </>
      }
      request={{ kind: 'offboard', accountId: props.accountId, deactivate }}
      onClosed={() => setDeactivate(false)}
    />
  );
}

export function AccountActions(props: { integrationId: string; account: AccountView }): ReactNode {
  const allowed = useCanRunActions();
  if (!allowed) return null;
  const { integrationId } = props;
  const accountId = props.account.accountId;
  const input = { accountId };
  const suspended = props.account.membershipStatus === 'suspended';
  return (
    <Group gap="xs" data-testid="account-actions">
      <AddToGroupButton integrationId={integrationId} accountId={accountId} />
      {suspended ? (
        <ActionButton label="Restore" integrationId={integrationId} request={{ kind: 'restore', input }} />
      ) : (
        <ActionButton
          label="Suspend"
          destructive
          integrationId={integrationId}
          request={{ kind: 'suspend', input }}
        />
      )}
      <ActionButton
        label="Deactivate"
        destructive
        integrationId={integrationId}
        request={{ kind: 'deactivate', input }}
      />
      <ActionButton
        label="Remove from directory"
        destructive
        integrationId={integrationId}
        request={{ kind: 'removeFromDirectory', input }}
      />
      <OffboardButton integrationId={integrationId} accountId={accountId} />
    </Group>
  );
}

/** The per-row button on an account's groups and on a group's members. */
export function RemoveFromGroupButton(props: {
  integrationId: string;
  groupId: string;
  accountId: string;
  label?: string;
}): ReactNode {
  const allowed = useCanRunActions();
  if (!allowed) return null;
  return (
    <ActionButton
      label={props.label ?? 'Remove'}
      title="Remove from group"
      destructive
      size="compact-xs"
      variant="subtle"
      integrationId={props.integrationId}
      request={{ kind: 'removeFromGroup', input: { groupId: props.groupId, accountId: props.accountId } }}
    />
  );
}
