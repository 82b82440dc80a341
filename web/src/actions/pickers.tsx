// Searchable choosers for action forms: groups and accounts are many, so the server searches them.
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { AccountListItem, GroupItem, Page } from '../api/types.ts';

interface Option {
  value: string;
  label: string;
}

function SearchSelect(props: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  queryKey: string;
  search: (term: string) => Promise<Option[]>;
}): ReactNode {
  const [term, setTerm] = useState('');
  const [debounced] = useDebouncedValue(term, 250);
  const options = useQuery({
    queryKey: [props.queryKey, debounced],
    queryFn: () => props.search(debounced),
  });
  const unique = [...new Map((options.data ?? []).map((o) => [o.value, o])).values()];
  return (
    <Select
      label={props.label}
      placeholder="Search…"
      searchable
      clearable
      data={unique}
      value={props.value}
      onSearchChange={setTerm}
      onChange={props.onChange}
      nothingFoundMessage={options.isPending ? 'Searching…' : 'No match'}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function GroupPicker(props: {
  integrationId: string;
  value: string | null;
  onChange: (groupId: string | null) => void;
}): ReactNode {
  return (
    <SearchSelect
      label="Group"
      value={props.value}
      onChange={props.onChange}
      queryKey={`action-groups/${props.integrationId}`}
      search={async (search) => {
        const page = await api.get<Page<GroupItem>>('/groups', {
          integrationId: props.integrationId,
          search,
          limit: 20,
        });
        return page.items.map((g) => ({
          value: g.groupId,
          label: `${g.name ?? g.groupId}${g.idpManaged ? ' (IdP)' : ''}`,
        }));
      }}
    />
  );
}

export function AccountPicker(props: {
  integrationId: string;
  value: string | null;
  onChange: (accountId: string | null) => void;
}): ReactNode {
  return (
    <SearchSelect
      label="Account"
      value={props.value}
      onChange={props.onChange}
      queryKey={`action-accounts/${props.integrationId}`}
      search={async (search) => {
        const page = await api.get<Page<AccountListItem>>('/accounts', {
          integrationId: props.integrationId,
          search,
          limit: 20,
        });
        return page.items.map((a) => ({
          value: a.accountId,
          label: `${a.displayName ?? a.accountId}${a.email ? ` <${a.email}>` : ''}`,
        }));
      }}
    />
  );
}
