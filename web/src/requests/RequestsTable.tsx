// The one table of requests used by "My requests", the inbox and the admin list; each view picks
// its columns and may add a last column of buttons.
import { Text } from '@mantine/core';
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import type { AccessRequest } from '../api/types.ts';
import { DataTable } from '../components/DataTable.tsx';
import { formatDate } from '../format.ts';
import { Link, pathOf } from '../router.tsx';
import { KindBadge, RequestStatusBadge } from './labels.tsx';

const column = createColumnHelper<AccessRequest>();

const COLUMNS = {
  item: column.accessor((r) => r.item.label, {
    id: 'item',
    header: 'Item',
    cell: (c) => <Link to={pathOf('requests', c.row.original.id)}>{c.getValue()}</Link>,
  }),
  kind: column.accessor((r) => r.item.kind, {
    id: 'kind',
    header: 'Kind',
    cell: (c) => <KindBadge kind={c.getValue()} />,
  }),
  requester: column.accessor((r) => r.requester.email, { id: 'requester', header: 'Requester' }),
  reason: column.accessor('reason', {
    header: 'Reason',
    enableSorting: false,
    cell: (c) => (
      <Text size="sm" lineClamp={2} maw={320}>
        {c.getValue()}
      </Text>
    ),
  }),
  status: column.accessor('status', {
    header: 'Status',
    cell: (c) => <RequestStatusBadge status={c.getValue()} />,
  }),
  createdAt: column.accessor('createdAt', { header: 'Requested', cell: (c) => formatDate(c.getValue()) }),
  expiresAt: column.accessor('expiresAt', {
    header: 'Expires',
    cell: (c) => (c.getValue() === null ? 'never' : formatDate(c.getValue())),
  }),
};

export type RequestColumn = keyof typeof COLUMNS;

export function RequestsTable(props: {
  label: string;
  requests: AccessRequest[];
  columns: RequestColumn[];
  empty: string;
  actions?: (request: AccessRequest) => ReactNode;
}): ReactNode {
  const { actions } = props;
  // TanStack's column type is invariant in its value type; `any` here is what its docs prescribe.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const columns: ColumnDef<AccessRequest, any>[] = props.columns.map((name) => COLUMNS[name]);
  if (actions !== undefined)
    columns.push(column.display({ id: 'actions', header: '', cell: (c) => actions(c.row.original) }));
  return (
    <DataTable
      label={props.label}
      data={props.requests}
      columns={columns}
      getRowId={(r) => r.id}
      empty={props.empty}
    />
  );
}
