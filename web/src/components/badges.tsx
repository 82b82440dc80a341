import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AccountStatus, SyncStatus } from '../api/types.ts';

// Badges never shrink into an ellipsis inside narrow table cells.
const NO_SHRINK = { minWidth: 'max-content' } as const;

const ACCOUNT_COLORS: Record<AccountStatus, string> = { active: 'green', inactive: 'gray', closed: 'red' };

export function AccountStatusBadge(props: { status: AccountStatus | null; removed?: boolean }): ReactNode {
  if (props.removed) {
    return (
      <Badge color="red" variant="outline" style={NO_SHRINK}>
        removed
      </Badge>
    );
  }
  if (props.status === null) {
    return (
      <Badge color="gray" variant="outline" style={NO_SHRINK}>
        unknown
      </Badge>
    );
  }
  return (
    <Badge color={ACCOUNT_COLORS[props.status]} style={NO_SHRINK}>
      {props.status}
    </Badge>
  );
}

const RUN_COLORS: Record<SyncStatus, string> = {
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'gray',
};

export function RunStatusBadge(props: { status: SyncStatus; complete?: boolean }): ReactNode {
  const partial = props.status === 'succeeded' && props.complete === false;
  return (
    <Badge color={partial ? 'yellow' : RUN_COLORS[props.status]} style={NO_SHRINK}>
      {partial ? 'partial' : props.status}
    </Badge>
  );
}
