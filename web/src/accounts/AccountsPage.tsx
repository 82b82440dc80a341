// Every account, paged and sorted by the server (never all at once: 100,000 accounts must stay
// quick), with filters in the URL and export links that carry the same filters.
import { Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { api, apiUrl } from '../api/client.ts';
import type { AccountListItem, Page } from '../api/types.ts';
import { AccountStatusBadge } from '../components/badges.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Pager } from '../components/Pager.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatAgo, yesNo } from '../format.ts';
import { Link, pathOf, setSearch, useLocation } from '../router.tsx';
import { CreateUserButton } from '../actions/CreateUserButton.tsx';
import { AccountFilters } from './AccountFilters.tsx';
import { listQuery, readView, SORT_KEYS, writeView, type AccountsView, type SortKey } from './filters.ts';

const column = createColumnHelper<AccountListItem>();

export function accountPath(account: { integrationId: string; accountId: string }): string {
  return pathOf('integrations', account.integrationId, 'accounts', account.accountId);
}

const COLUMNS = [
  column.accessor('displayName', {
    id: 'displayName',
    header: 'Name',
    cell: (c) => <Link to={accountPath(c.row.original)}>{c.getValue() ?? c.row.original.accountId}</Link>,
  }),
  column.accessor('email', { id: 'email', header: 'Email', cell: (c) => c.getValue() ?? '—' }),
  column.accessor('accountType', { id: 'accountType', header: 'Type', cell: (c) => c.getValue() ?? '—' }),
  column.accessor('status', {
    id: 'status',
    header: 'Status',
    cell: (c) => <AccountStatusBadge status={c.getValue()} removed={c.row.original.removedAt !== null} />,
  }),
  column.accessor('billable', {
    id: 'billable',
    header: 'Billable',
    enableSorting: false,
    cell: (c) => yesNo(c.getValue()),
  }),
  column.accessor('lastActive', {
    id: 'lastActive',
    header: 'Last active',
    cell: (c) => formatAgo(c.getValue()),
  }),
  column.accessor('products', {
    id: 'products',
    header: 'Products',
    enableSorting: false,
    cell: (c) => (
      <Group gap={4}>
        {c.getValue().map((p) => (
          <Badge key={p.productKey} variant="light" size="sm">
            {p.productKey}
          </Badge>
        ))}
      </Group>
    ),
  }),
  column.accessor((row) => row.groups.length, { id: 'groups', header: 'Groups', enableSorting: false }),
];

function useAccounts(view: AccountsView) {
  return useQuery({
    queryKey: ['accounts', listQuery(view)],
    queryFn: () => api.get<Page<AccountListItem>>('/accounts', listQuery(view)),
    // Keep showing the current page while the next one loads, so the table does not flash.
    placeholderData: keepPreviousData,
  });
}

export function AccountsPage(): ReactNode {
  const { pathname, search } = useLocation();
  const view = readView(search);
  const accounts = useAccounts(view);
  const update = (next: Partial<AccountsView>) => setSearch(pathname, writeView({ ...view, ...next }));

  const sorting: SortingState = [{ id: view.sort, desc: view.direction === 'desc' }];
  const onSortingChange = (updater: SortingState | ((old: SortingState) => SortingState)) => {
    const next = typeof updater === 'function' ? updater(sorting) : updater;
    const first = next[0];
    const sort = SORT_KEYS.find((key): key is SortKey => key === first?.id);
    if (first && sort) update({ sort, direction: first.desc ? 'desc' : 'asc', offset: 0 });
  };
  const exportUrl = (format: 'csv' | 'json') =>
    apiUrl('/accounts/export', { ...view.filters, sort: view.sort, direction: view.direction, format });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Accounts</Title>
        <Group gap="sm">
          <Text size="sm">Export:</Text>
          <Anchor href={exportUrl('csv')} download data-testid="export-csv">
            CSV
          </Anchor>
          <Anchor href={exportUrl('json')} download data-testid="export-json">
            JSON
          </Anchor>
          <CreateUserButton />
        </Group>
      </Group>
      <AccountFilters
        filters={view.filters}
        onChange={(key, value) => update({ filters: { ...view.filters, [key]: value }, offset: 0 })}
        onReset={() => update({ filters: {}, offset: 0 })}
      />
      <QueryState query={accounts}>
        {(page) => (
          <Stack style={{ opacity: accounts.isPlaceholderData ? 0.6 : 1 }}>
            <DataTable
              label="Accounts"
              data={page.items}
              columns={COLUMNS}
              getRowId={(a) => `${a.integrationId}/${a.accountId}`}
              sorting={sorting}
              onSortingChange={onSortingChange}
              empty="No account matches these filters."
            />
            <Pager total={page.total} limit={view.limit} offset={view.offset} onChange={update} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
