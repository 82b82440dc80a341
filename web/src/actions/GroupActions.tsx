// Group actions: create (from the groups list), add or remove members, delete the group.
import { Group, TextInput, Textarea } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { IntegrationSelect } from '../components/IntegrationSelect.tsx';
import { ActionButton } from './ActionButton.tsx';
import { useCanRunActions } from './api.ts';
import { AccountPicker } from './pickers.tsx';

function AddMemberButton(props: { integrationId: string; groupId: string }): ReactNode {
  const [accountId, setAccountId] = useState<string | null>(null);
  return (
    <ActionButton
      label="Add member"
      integrationId={props.integrationId}
      form={<AccountPicker integrationId={props.integrationId} value={accountId} onChange={setAccountId} />}
      request={
        accountId === null ? null : { kind: 'addToGroup', input: { groupId: props.groupId, accountId } }
      }
      onClosed={() => setAccountId(null)}
    />
  );
}

export function GroupActions(props: { integrationId: string; groupId: string }): ReactNode {
  const allowed = useCanRunActions();
  if (!allowed) return null;
  return (
    <Group gap="xs" data-testid="group-actions">
      <AddMemberButton integrationId={props.integrationId} groupId={props.groupId} />
      <ActionButton
        label="Delete group"
        destructive
        integrationId={props.integrationId}
        request={{ kind: 'deleteGroup', input: { groupId: props.groupId } }}
      />
    </Group>
  );
}

export function CreateGroupButton(): ReactNode {
  const allowed = useCanRunActions();
  const [integrationId, setIntegrationId] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  if (!allowed) return null;
  const trimmed = name.trim();
  return (
    <ActionButton
      label="Create group"
      variant="filled"
      size="sm"
      integrationId={integrationId ?? ''}
      form={
        <>
          <IntegrationSelect value={integrationId} onChange={setIntegrationId} allowAll={false} />
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
        </>
      }
      request={
        integrationId === undefined || trimmed === ''
          ? null
          : {
              kind: 'createGroup',
              input: description.trim() === '' ? { name: trimmed } : { name: trimmed, description },
            }
      }
      onClosed={() => {
        setName('');
        setDescription('');
      }}
    />
  );
}
