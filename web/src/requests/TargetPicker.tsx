// Choosing what a catalogue item grants, from the integration's inventory: a group, a project and
// one of its roles, or a product (the licence report lists the integration's products).
import { Select, Stack } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { GroupPicker } from '../actions/pickers.tsx';
import { api } from '../api/client.ts';
import type {
  CatalogTarget,
  ItemKind,
  LicenseReport,
  Page,
  ProjectDetail,
  ProjectItem,
} from '../api/types.ts';

const enc = encodeURIComponent;

function ProjectPicker(props: {
  integrationId: string;
  value: string | null;
  onChange: (projectId: string | null) => void;
}): ReactNode {
  const [term, setTerm] = useState('');
  const [debounced] = useDebouncedValue(term, 250);
  const projects = useQuery({
    queryKey: ['catalog-projects', props.integrationId, debounced],
    queryFn: () =>
      api.get<Page<ProjectItem>>('/projects', {
        integrationId: props.integrationId,
        search: debounced,
        limit: 20,
      }),
  });
  // The chosen option stays listed: the search box then shows its label, which the server's
  // key-or-name search would not match.
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const found = (projects.data?.items ?? []).map((p) => ({
    value: p.projectId,
    label: `${p.key} · ${p.name}`,
  }));
  const data = chosen === null ? found : [chosen, ...found];
  return (
    <Select
      label="Project"
      placeholder="Search…"
      searchable
      clearable
      data={[...new Map(data.map((o) => [o.value, o])).values()]}
      value={props.value}
      onSearchChange={(text) => {
        if (text !== chosen?.label) setTerm(text);
      }}
      onChange={(value, option) => {
        setChosen(value === null ? null : { value, label: option.label });
        props.onChange(value);
      }}
      nothingFoundMessage={projects.isPending ? 'Searching…' : 'No match'}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function RolePicker(props: {
  integrationId: string;
  projectId: string;
  value: string | null;
  onChange: (roleId: string | null) => void;
}): ReactNode {
  const detail = useQuery({
    queryKey: ['project', props.integrationId, props.projectId],
    queryFn: () =>
      api.get<ProjectDetail>(`/integrations/${enc(props.integrationId)}/projects/${enc(props.projectId)}`),
  });
  return (
    <Select
      label="Role"
      placeholder={detail.isPending ? 'Loading…' : 'Choose a role'}
      data={(detail.data?.roles ?? []).map((r) => ({ value: r.roleId, label: r.name ?? r.roleId }))}
      value={props.value}
      onChange={props.onChange}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function ProductPicker(props: {
  integrationId: string;
  value: string | null;
  onChange: (productKey: string | null) => void;
}): ReactNode {
  const report = useQuery({
    queryKey: ['licenses', { integrationId: props.integrationId }],
    queryFn: () => api.get<LicenseReport>('/licenses', { integrationId: props.integrationId }),
  });
  const data = (report.data?.lines ?? []).map((l) => ({
    value: l.productKey,
    label: l.name === null ? l.productKey : `${l.name} (${l.productKey})`,
  }));
  return (
    <Select
      label="Product"
      placeholder={report.isPending ? 'Loading…' : 'Choose a product'}
      data={[...new Map(data.map((o) => [o.value, o])).values()]}
      value={props.value}
      onChange={props.onChange}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Whether a target names everything its kind needs. */
export function isTargetComplete(kind: ItemKind, target: CatalogTarget): boolean {
  if (kind === 'group') return target.groupId !== undefined;
  if (kind === 'projectRole') return target.projectId !== undefined && target.roleId !== undefined;
  return target.productKey !== undefined;
}

export function TargetPicker(props: {
  integrationId: string;
  kind: ItemKind;
  value: CatalogTarget;
  onChange: (target: CatalogTarget) => void;
}): ReactNode {
  const { integrationId, value, onChange } = props;
  const some = (id: string | null) => id ?? undefined;
  if (props.kind === 'group')
    return (
      <GroupPicker
        integrationId={integrationId}
        value={value.groupId ?? null}
        onChange={(id) => onChange(id === null ? {} : { groupId: id })}
      />
    );
  if (props.kind === 'product')
    return (
      <ProductPicker
        integrationId={integrationId}
        value={value.productKey ?? null}
        onChange={(key) => onChange(key === null ? {} : { productKey: key })}
      />
    );
  return (
    <Stack gap="xs">
      <ProjectPicker
        integrationId={integrationId}
        value={value.projectId ?? null}
        onChange={(id) => onChange(id === null ? {} : { projectId: id })}
      />
      {value.projectId !== undefined && (
        <RolePicker
          integrationId={integrationId}
          projectId={value.projectId}
          value={value.roleId ?? null}
          onChange={(roleId) => {
            const projectId = value.projectId;
            const role = some(roleId);
            onChange(role === undefined ? { projectId } : { projectId, roleId: role });
          }}
        />
      )}
    </Stack>
  );
}
