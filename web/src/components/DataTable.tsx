// TanStack Table rendered with Mantine. Sorting is either done here (small lists) or by the
// server (manualSorting: the page reports the column and direction and refetches).
import { Table, Text, UnstyledButton } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type SortingState,
} from '@tanstack/react-table';
import { useState, type ReactNode } from 'react';

export interface DataTableProps<T> {
  data: T[];
  // TanStack's column type is invariant in its value type; `any` here is what its docs prescribe.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  /** Server-side sorting: pass the state and a setter. Without them, sorting is client-side. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  empty?: string;
  label: string;
}

const ARROWS = { asc: ' ▲', desc: ' ▼' } as const;

export function DataTable<T>(props: DataTableProps<T>): ReactNode {
  const [localSorting, setLocalSorting] = useState<SortingState>([]);
  const manual = props.onSortingChange !== undefined;
  const table = useReactTable({
    data: props.data,
    columns: props.columns,
    getRowId: props.getRowId,
    getCoreRowModel: getCoreRowModel(),
    ...(manual ? { manualSorting: true } : { getSortedRowModel: getSortedRowModel() }),
    state: { sorting: manual ? (props.sorting ?? []) : localSorting },
    onSortingChange: props.onSortingChange ?? setLocalSorting,
    enableSortingRemoval: false,
  });

  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped highlightOnHover aria-label={props.label}>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const content = flexRender(header.column.columnDef.header, header.getContext());
                const sorted = header.column.getIsSorted();
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton fw={700} fz="sm" onClick={header.column.getToggleSortingHandler()}>
                        {content}
                        {sorted === false ? '' : ARROWS[sorted]}
                      </UnstyledButton>
                    ) : (
                      content
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => (
            <Table.Tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
          {props.data.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={props.columns.length}>
                <Text c="dimmed" size="sm">
                  {props.empty ?? 'Nothing to show.'}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
