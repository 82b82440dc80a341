// The filter bar of the accounts list. Text inputs are debounced so typing does not flood the API.
import { Button, Checkbox, Group, MultiSelect, NumberInput, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { GroupItem, LicenseReport, Page } from '../api/types.ts';
import { IntegrationSelect } from '../components/IntegrationSelect.tsx';
import type { FilterKey, Filters } from './filters.ts';

const STATUSES = ['active', 'inactive', 'closed'];
const TYPES = ['atlassian', 'app', 'customer'];

type SetFilter = (key: FilterKey, value: string | undefined) => void;

function useDebouncedInput(value: string | undefined, commit: (next: string | undefined) => void) {
  const [text, setText] = useState(value ?? '');
  const [debounced] = useDebouncedValue(text, 300);
  useEffect(() => {
    if (debounced !== (value ?? '')) commit(debounced === '' ? undefined : debounced);
    // Only a settled change of the text commits; `value` catching up afterwards must not re-run it.
  }, [debounced]);
  return [text, setText] as const;
}

function ProductSelect(props: {
  integrationId: string | undefined;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
}): ReactNode {
  const licenses = useQuery({
    queryKey: ['licenses', props.integrationId, undefined],
    queryFn: () => api.get<LicenseReport>('/licenses', { integrationId: props.integrationId }),
  });
  const keys = [...new Set((licenses.data?.lines ?? []).map((line) => line.productKey))].sort();
  return (
    <Select
      label="Product"
      placeholder="Any"
      clearable
      data={keys}
      value={props.value ?? null}
      onChange={(v) => props.onChange(v ?? undefined)}
      w={200}
    />
  );
}

/** Groups are many: search them on the server and show the first matches. */
function GroupSelect(props: {
  integrationId: string | undefined;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
}): ReactNode {
  const [term, setTerm] = useState('');
  const [debounced] = useDebouncedValue(term, 250);
  const groups = useQuery({
    queryKey: ['group-options', props.integrationId, debounced],
    queryFn: () =>
      api.get<Page<GroupItem>>('/groups', {
        integrationId: props.integrationId,
        search: debounced,
        limit: 20,
      }),
  });
  const options = (groups.data?.items ?? []).map((g) => ({ value: g.groupId, label: g.name ?? g.groupId }));
  if (props.value !== undefined && !options.some((o) => o.value === props.value)) {
    options.unshift({ value: props.value, label: props.value });
  }
  // The same group id may exist in two integrations; a Select needs unique values.
  const unique = [...new Map(options.map((o) => [o.value, o])).values()];
  return (
    <Select
      label="Group"
      placeholder="Any"
      searchable
      clearable
      data={unique}
      value={props.value ?? null}
      onSearchChange={setTerm}
      onChange={(v) => props.onChange(v ?? undefined)}
      w={220}
    />
  );
}

export function AccountFilters(props: {
  filters: Filters;
  onChange: SetFilter;
  onReset: () => void;
}): ReactNode {
  const { filters, onChange } = props;
  const [search, setSearch] = useDebouncedInput(filters.search, (v) => onChange('search', v));
  const csv = (text: string | undefined) => (text === undefined ? [] : text.split(','));
  return (
    <Group align="flex-end" gap="sm">
      <TextInput
        label="Search"
        placeholder="name, email or account id"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        w={240}
      />
      <IntegrationSelect value={filters.integrationId} onChange={(v) => onChange('integrationId', v)} />
      <MultiSelect
        label="Status"
        placeholder="Any"
        data={STATUSES}
        value={csv(filters.status)}
        onChange={(v) => onChange('status', v.join(',') || undefined)}
        w={200}
      />
      <MultiSelect
        label="Type"
        placeholder="Any"
        data={TYPES}
        value={csv(filters.type)}
        onChange={(v) => onChange('type', v.join(',') || undefined)}
        w={200}
      />
      <ProductSelect
        integrationId={filters.integrationId}
        value={filters.product}
        onChange={(v) => onChange('product', v)}
      />
      <GroupSelect
        integrationId={filters.integrationId}
        value={filters.groupId}
        onChange={(v) => onChange('groupId', v)}
      />
      <NumberInput
        label="Inactive for (days)"
        placeholder="e.g. 90"
        min={1}
        max={36500}
        allowDecimal={false}
        value={filters.inactiveDays ?? ''}
        onChange={(v) => onChange('inactiveDays', v === '' ? undefined : String(v))}
        w={150}
      />
      <Select
        label="Billable"
        placeholder="Any"
        clearable
        data={[
          { value: 'true', label: 'billable' },
          { value: 'false', label: 'not billable' },
        ]}
        value={filters.billable ?? null}
        onChange={(v) => onChange('billable', v ?? undefined)}
        w={140}
      />
      <Checkbox
        label="Never active"
        checked={filters.neverActive === 'true'}
        onChange={(e) => onChange('neverActive', e.currentTarget.checked ? 'true' : undefined)}
        mb={8}
      />
      <Checkbox
        label="Include removed"
        checked={filters.includeRemoved === 'true'}
        onChange={(e) => onChange('includeRemoved', e.currentTarget.checked ? 'true' : undefined)}
        mb={8}
      />
      <Button
        variant="subtle"
        onClick={() => {
          setSearch('');
          props.onReset();
        }}
      >
        Reset
      </Button>
    </Group>
  );
}
