import { Select } from '@mantine/core';
import type { ReactNode } from 'react';
import { useIntegrations } from '../integrations/queries.ts';

/** Every view can be narrowed to one integration; empty means all of them. */
export function IntegrationSelect(props: {
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  allowAll?: boolean;
}): ReactNode {
  const integrations = useIntegrations();
  const data = (integrations.data ?? []).map((i) => ({ value: i.id, label: i.label }));
  return (
    <Select
      label="Integration"
      placeholder={props.allowAll === false ? 'Choose…' : 'All integrations'}
      data={data}
      value={props.value ?? null}
      clearable={props.allowAll !== false}
      onChange={(value) => props.onChange(value ?? undefined)}
      w={220}
    />
  );
}
