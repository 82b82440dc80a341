import { Group, Pagination, Select, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatCount } from '../format.ts';

export const PAGE_SIZES = ['25', '50', '100', '250'];

export function Pager(props: {
  total: number;
  limit: number;
  offset: number;
  onChange: (next: { limit: number; offset: number }) => void;
}): ReactNode {
  const pages = Math.max(1, Math.ceil(props.total / props.limit));
  const page = Math.floor(props.offset / props.limit) + 1;
  const first = props.total === 0 ? 0 : props.offset + 1;
  const last = Math.min(props.total, props.offset + props.limit);
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed" data-testid="pager-summary">
        {formatCount(first)}–{formatCount(last)} of {formatCount(props.total)}
      </Text>
      <Group>
        <Pagination
          total={pages}
          value={page}
          siblings={1}
          onChange={(next) => props.onChange({ limit: props.limit, offset: (next - 1) * props.limit })}
        />
        <Select
          aria-label="Rows per page"
          w={90}
          data={PAGE_SIZES}
          value={String(props.limit)}
          allowDeselect={false}
          onChange={(value) => props.onChange({ limit: Number(value ?? props.limit), offset: 0 })}
        />
      </Group>
    </Group>
  );
}
