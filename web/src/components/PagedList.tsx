// A server-paged, searchable list (groups, projects): search, integration and page in the URL.
import { Group, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../api/client.ts';
import type { Page } from '../api/types.ts';
import { setSearch, useLocation } from '../router.tsx';
import { DataTable } from './DataTable.tsx';
import { IntegrationSelect } from './IntegrationSelect.tsx';
import { Pager } from './Pager.tsx';
import { QueryState } from './QueryState.tsx';

export function PagedList<T>(props: {
  path: string;
  placeholder: string;
  label: string;
  // TanStack's column type is invariant in its value type; `any` here is what its docs prescribe.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
}): ReactNode {
  const { pathname, search } = useLocation();
  const integrationId = search.get('integrationId') ?? undefined;
  const term = search.get('search') ?? '';
  const limit = Number(search.get('limit')) || 50;
  const offset = Math.max(0, Number(search.get('offset')) || 0);
  const write = (next: {
    integrationId?: string | undefined;
    search?: string;
    limit?: number;
    offset?: number;
  }) => {
    const merged = { integrationId, search: term, limit, offset, ...next };
    setSearch(pathname, {
      integrationId: merged.integrationId,
      search: merged.search,
      limit: merged.limit === 50 ? undefined : String(merged.limit),
      offset: merged.offset === 0 ? undefined : String(merged.offset),
    });
  };

  const [text, setText] = useState(term);
  const [debounced] = useDebouncedValue(text, 300);
  useEffect(() => {
    // Only a settled change of the text commits; the URL catching up must not re-run it.
    if (debounced !== term) write({ search: debounced, offset: 0 });
  }, [debounced]);

  const query = { integrationId, search: term, limit, offset };
  const list = useQuery({
    queryKey: [props.path, query],
    queryFn: () => api.get<Page<T>>(props.path, query),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack>
      <Group align="flex-end">
        <TextInput
          label="Search"
          placeholder={props.placeholder}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={260}
        />
        <IntegrationSelect value={integrationId} onChange={(id) => write({ integrationId: id, offset: 0 })} />
      </Group>
      <QueryState query={list}>
        {(page) => (
          <Stack>
            <DataTable
              label={props.label}
              data={page.items}
              columns={props.columns}
              getRowId={props.getRowId}
            />
            <Pager total={page.total} limit={limit} offset={offset} onChange={write} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
