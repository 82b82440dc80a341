import { List, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ConnectionReport } from '../api/types.ts';

/** Each check of a connection test with ✓ or ✗ and its message, in the vendor guides' words. */
export function ConnectionChecks(props: { report: ConnectionReport }): ReactNode {
  return (
    <List spacing="xs" aria-label="Connection checks" data-testid="connection-checks">
      {props.report.checks.map((check) => (
        <List.Item
          key={check.name}
          data-ok={check.ok}
          icon={
            <ThemeIcon
              color={check.ok ? 'green' : 'red'}
              size={20}
              radius="xl"
              aria-label={check.ok ? 'passed' : 'failed'}
            >
              {check.ok ? '✓' : '✗'}
            </ThemeIcon>
          }
        >
          <Text span fw={600}>
            {check.name}
          </Text>
          {': '}
          <Text span>{check.message}</Text>
        </List.Item>
      ))}
    </List>
  );
}
