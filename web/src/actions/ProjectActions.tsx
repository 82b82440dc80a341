// Project role actions: add a user or a group to a role, remove one actor.
import { SegmentedControl, Select } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { ProjectDetail } from '../api/types.ts';
import { ActionButton } from './ActionButton.tsx';
import { useCanRunActions } from './api.ts';
import { AccountPicker, GroupPicker } from './pickers.tsx';

type ActorType = 'user' | 'group';

const actorInput = (type: ActorType, id: string) => (type === 'user' ? { accountId: id } : { groupId: id });

export function AddRoleActorButton(props: { integrationId: string; detail: ProjectDetail }): ReactNode {
  const allowed = useCanRunActions();
  const [roleId, setRoleId] = useState<string | null>(null);
  const [type, setType] = useState<ActorType>('user');
  const [actorId, setActorId] = useState<string | null>(null);
  if (!allowed) return null;
  const { project, roles } = props.detail;
  const Picker = type === 'user' ? AccountPicker : GroupPicker;
  return (
    <ActionButton
      label="Add user or group to a role"
      integrationId={props.integrationId}
      form={
        <>
          <Select
            label="Role"
            data={roles.map((r) => ({ value: r.roleId, label: r.name ?? r.roleId }))}
            value={roleId}
            onChange={setRoleId}
            comboboxProps={{ withinPortal: true }}
          />
          <SegmentedControl
            aria-label="Actor type"
            data={[
              { value: 'user', label: 'User' },
              { value: 'group', label: 'Group' },
            ]}
            value={type}
            onChange={(value) => {
              setType(value === 'group' ? 'group' : 'user');
              setActorId(null);
            }}
          />
          <Picker integrationId={props.integrationId} value={actorId} onChange={setActorId} />
        </>
      }
      request={
        roleId === null || actorId === null
          ? null
          : {
              kind: 'addRoleActor',
              input: { project: project.key, role: roleId, ...actorInput(type, actorId) },
            }
      }
      onClosed={() => {
        setRoleId(null);
        setActorId(null);
      }}
    />
  );
}

export function RemoveRoleActorButton(props: {
  integrationId: string;
  projectKey: string;
  roleId: string;
  actor: { actorType: ActorType; actorId: string };
}): ReactNode {
  const allowed = useCanRunActions();
  if (!allowed) return null;
  return (
    <ActionButton
      label="Remove"
      title="Remove actor from role"
      destructive
      size="compact-xs"
      variant="subtle"
      integrationId={props.integrationId}
      request={{
        kind: 'removeRoleActor',
        input: {
          project: props.projectKey,
          role: props.roleId,
          ...actorInput(props.actor.actorType, props.actor.actorId),
        },
      }}
    />
  );
}
