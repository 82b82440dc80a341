// Adding or editing one catalogue item in a dialog. Kind and target are chosen when adding only
// (the contract does not change what an existing item grants); the rest is editable.
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { CatalogItem, CatalogTarget, ItemKind, RequesterRole, StepRule } from '../api/types.ts';
import { useAddCatalogItem, useUpdateCatalogItem, type CatalogItemInput } from './api.ts';
import { ITEM_KINDS, KIND_LABELS, REQUESTER_ROLES } from './labels.tsx';
import { RouteEditor, UserMultiSelect, isRouteComplete } from './RouteEditor.tsx';
import { TargetPicker, isTargetComplete } from './TargetPicker.tsx';

interface Fields {
  label: string;
  description: string;
  requesterRoles: RequesterRole[];
  ownerUserIds: string[];
  steps: StepRule[] | null;
  maxDurationDays: number | string;
  enabled: boolean;
}

const NEW_FIELDS: Fields = {
  label: '',
  description: '',
  requesterRoles: [...REQUESTER_ROLES],
  ownerUserIds: [],
  steps: null,
  maxDurationDays: '',
  enabled: true,
};

function fieldsOf(item: CatalogItem): Fields {
  return {
    label: item.label,
    description: item.description ?? '',
    requesterRoles: item.requesterRoles,
    ownerUserIds: item.ownerUserIds,
    steps: item.steps,
    maxDurationDays: item.maxDurationDays ?? '',
    enabled: item.enabled,
  };
}

function inputOf(fields: Fields): CatalogItemInput {
  const label = fields.label.trim();
  return {
    ...(label === '' ? {} : { label }),
    description: fields.description.trim() === '' ? null : fields.description.trim(),
    requesterRoles: fields.requesterRoles,
    ownerUserIds: fields.ownerUserIds,
    steps: fields.steps,
    maxDurationDays: typeof fields.maxDurationDays === 'number' ? fields.maxDurationDays : null,
    enabled: fields.enabled,
  };
}

const isComplete = (fields: Fields): boolean =>
  fields.requesterRoles.length > 0 && isRouteComplete(fields.steps);

function FieldsEditor(props: {
  kind: ItemKind;
  value: Fields;
  inheritedRoute: StepRule[];
  onChange: (fields: Fields) => void;
}): ReactNode {
  const { value } = props;
  const set = (patch: Partial<Fields>) => props.onChange({ ...value, ...patch });
  return (
    <Stack gap="sm">
      <TextInput
        label="Label"
        description="Leave empty for the server's default name"
        value={value.label}
        onChange={(e) => set({ label: e.currentTarget.value })}
      />
      <Textarea
        label="Description"
        autosize
        minRows={1}
        value={value.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
      />
      <MultiSelect
        label="Who may request it"
        data={[...REQUESTER_ROLES]}
        value={value.requesterRoles}
        onChange={(roles) => set({ requesterRoles: REQUESTER_ROLES.filter((r) => roles.includes(r)) })}
        comboboxProps={{ withinPortal: true }}
      />
      {props.kind === 'group' && (
        <UserMultiSelect
          label="Group owners"
          description="They approve group requests (then the integration's owners)"
          value={value.ownerUserIds}
          onChange={(ownerUserIds) => set({ ownerUserIds })}
        />
      )}
      <NumberInput
        label="Longest access (days)"
        description="Empty: no limit"
        min={1}
        max={3650}
        value={value.maxDurationDays}
        onChange={(maxDurationDays) => set({ maxDurationDays })}
        w={220}
      />
      <RouteEditor
        label="Approval route"
        kind={props.kind}
        value={value.steps}
        inherited={props.inheritedRoute}
        inheritLabel="The integration's route"
        onChange={(steps) => set({ steps })}
      />
      <Checkbox
        label="Enabled (can be requested)"
        checked={value.enabled}
        onChange={(e) => set({ enabled: e.currentTarget.checked })}
      />
    </Stack>
  );
}

export function AddCatalogItemButton(props: {
  integrationId: string;
  routeFor: (kind: ItemKind) => StepRule[];
}): ReactNode {
  const add = useAddCatalogItem(props.integrationId);
  const [opened, setOpened] = useState(false);
  const [kind, setKind] = useState<ItemKind>('projectRole');
  const [target, setTarget] = useState<CatalogTarget>({});
  const [fields, setFields] = useState<Fields>(NEW_FIELDS);
  const open = () => {
    add.reset();
    setTarget({});
    setFields(NEW_FIELDS);
    setOpened(true);
  };
  const ready = isTargetComplete(kind, target) && isComplete(fields);
  return (
    <>
      <Button onClick={open}>Add item</Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Add a catalogue item" size="lg">
        <Stack>
          <SegmentedControl
            aria-label="Kind"
            data={ITEM_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
            value={kind}
            onChange={(value) => {
              setKind(ITEM_KINDS.find((k) => k === value) ?? 'projectRole');
              setTarget({});
            }}
          />
          <TargetPicker integrationId={props.integrationId} kind={kind} value={target} onChange={setTarget} />
          <FieldsEditor
            kind={kind}
            value={fields}
            inheritedRoute={props.routeFor(kind)}
            onChange={setFields}
          />
          {add.isError && (
            <Alert color="red" title="Could not add" role="alert">
              {errorMessage(add.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button
              disabled={!ready}
              loading={add.isPending}
              onClick={() =>
                add.mutate({ kind, target, ...inputOf(fields) }, { onSuccess: () => setOpened(false) })
              }
            >
              Add
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function EditCatalogItemButton(props: { item: CatalogItem; inheritedRoute: StepRule[] }): ReactNode {
  const update = useUpdateCatalogItem();
  const [opened, setOpened] = useState(false);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(props.item));
  const open = () => {
    update.reset();
    setFields(fieldsOf(props.item));
    setOpened(true);
  };
  return (
    <>
      <Button size="xs" variant="light" onClick={open}>
        Edit
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Edit: ${props.item.label}`} size="lg">
        <Stack>
          <FieldsEditor
            kind={props.item.kind}
            value={fields}
            inheritedRoute={props.inheritedRoute}
            onChange={setFields}
          />
          {update.isError && (
            <Alert color="red" title="Could not save" role="alert">
              {errorMessage(update.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button
              disabled={!isComplete(fields)}
              loading={update.isPending}
              onClick={() =>
                update.mutate(
                  { itemId: props.item.id, patch: inputOf(fields) },
                  { onSuccess: () => setOpened(false) },
                )
              }
            >
              Save
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
