// Groups (with member counts and whether an identity provider manages them) and their members.
import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { AccountView, GroupDetail, GroupItem } from '../api/types.ts';
import { RemoveFromGroupButton } from '../actions/AccountActions.tsx';
import { CreateGroupButton, GroupActions } from '../actions/GroupActions.tsx';
import { accountPath } from '../accounts/AccountsPage.tsx';
import { AccountStatusBadge } from '../components/badges.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { PagedList } from '../components/PagedList.tsx';
import { Pager } from '../components/Pager.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatAgo, formatCount } from '../format.ts';
import { Link, pathOf } from '../router.tsx';

const groupColumn = createColumnHelper<GroupItem>();
const GROUP_COLUMNS = [
  groupColumn.accessor('name', {
    header: 'Group',
    cell: (c) => (
      <Link to={pathOf('integrations', c.row.original.integrationId, 'groups', c.row.original.groupId)}>
        {c.getValue() ?? c.row.original.groupId}
      </Link>
    ),
  }),
  groupColumn.accessor('description', { header: 'Description', cell: (c) => c.getValue() ?? '' }),
  groupColumn.accessor('idpManaged', {
    header: 'Managed by',
    cell: (c) => (c.getValue() ? <Badge variant="outline">identity provider</Badge> : 'Atlassian'),
  }),
  groupColumn.accessor('memberCount', { header: 'Members', cell: (c) => formatCount(c.getValue()) }),
];

export function GroupsPage(): ReactNode {
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Groups</Title>
        <CreateGroupButton />
      </Group>
      <PagedList
        path="/groups"
        placeholder="group name"
        label="Groups"
        columns={GROUP_COLUMNS}
        getRowId={(g) => `${g.integrationId}/${g.groupId}`}
      />
    </Stack>
  );
}

const memberColumn = createColumnHelper<AccountView>();
const MEMBER_COLUMNS = [
  memberColumn.accessor('displayName', {
    header: 'Name',
    cell: (c) => <Link to={accountPath(c.row.original)}>{c.getValue() ?? c.row.original.accountId}</Link>,
  }),
  memberColumn.accessor('email', { header: 'Email', cell: (c) => c.getValue() ?? '—' }),
  memberColumn.accessor('status', {
    header: 'Status',
    cell: (c) => <AccountStatusBadge status={c.getValue()} removed={c.row.original.removedAt !== null} />,
  }),
  memberColumn.accessor('lastActive', { header: 'Last active', cell: (c) => formatAgo(c.getValue()) }),
];

/** The member columns plus a per-row remove button (shown to admins only). */
function memberColumnsFor(integrationId: string, groupId: string) {
  return [
    ...MEMBER_COLUMNS,
    memberColumn.display({
      id: 'actions',
      header: '',
      cell: (c) => (
        <RemoveFromGroupButton
          integrationId={integrationId}
          groupId={groupId}
          accountId={c.row.original.accountId}
        />
      ),
    }),
  ];
}

export function GroupPage(props: { integrationId: string; groupId: string }): ReactNode {
  const [page, setPage] = useState({ limit: 50, offset: 0 });
  const columns = useMemo(
    () => memberColumnsFor(props.integrationId, props.groupId),
    [props.integrationId, props.groupId],
  );
  const detail = useQuery({
    queryKey: ['group', props.integrationId, props.groupId, page],
    queryFn: () =>
      api.get<GroupDetail>(
        `/integrations/${encodeURIComponent(props.integrationId)}/groups/${encodeURIComponent(props.groupId)}`,
        page,
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Link to="/groups" size="sm">
        ← Groups
      </Link>
      <QueryState query={detail}>
        {({ group, members }) => (
          <Stack>
            <Title order={2}>{group.name ?? group.groupId}</Title>
            {group.description && <Text>{group.description}</Text>}
            {group.idpManaged && <Badge variant="outline">managed by an identity provider</Badge>}
            <GroupActions integrationId={props.integrationId} groupId={group.groupId} />
            <DataTable label="Members" data={members.items} columns={columns} getRowId={(a) => a.accountId} />
            <Pager total={members.total} limit={page.limit} offset={page.offset} onChange={setPage} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
