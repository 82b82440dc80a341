// One account: identity, status, groups, project roles (direct or via a group), products with
// last active per product, projects led, and what changed over time.
import { Badge, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { AccountDetail } from '../api/types.ts';
import { AccountActions, RemoveFromGroupButton } from '../actions/AccountActions.tsx';
import { AccountStatusBadge } from '../components/badges.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatAgo, formatDate, yesNo } from '../format.ts';
import { Link, pathOf } from '../router.tsx';

function Fact(props: { label: string; children: ReactNode }): ReactNode {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {props.label}
      </Text>
      <Text size="sm" component="div">
        {props.children}
      </Text>
    </div>
  );
}

function Section(props: { title: string; count: number; children: ReactNode }): ReactNode {
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        {props.title} ({props.count})
      </Title>
      {props.count === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        props.children
      )}
    </Card>
  );
}

function Detail(props: { integrationId: string; detail: AccountDetail }): ReactNode {
  const { account, groups, projectRoles, products, leadOf, history } = props.detail;
  const id = props.integrationId;
  return (
    <Stack>
      <Group>
        <Title order={2} data-testid="account-name">
          {account.displayName ?? account.accountId}
        </Title>
        <AccountStatusBadge status={account.status} removed={account.removedAt !== null} />
      </Group>
      <AccountActions integrationId={id} account={account} />
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Fact label="Account ID">
            <Code>{account.accountId}</Code>
          </Fact>
          <Fact label="Email">{account.email ?? 'hidden'}</Fact>
          <Fact label="Type">
            {account.accountType ?? '—'}
            {account.appType ? ` (${account.appType})` : ''}
          </Fact>
          <Fact label="Last active">
            {formatAgo(account.lastActive)} {account.lastActive ? `(${formatDate(account.lastActive)})` : ''}
          </Fact>
          <Fact label="Managed">{yesNo(account.managed)}</Fact>
          <Fact label="Billable">{yesNo(account.billable)}</Fact>
          <Fact label="Active in Jira">{yesNo(account.jiraActive)}</Fact>
          <Fact label="Org membership">{account.membershipStatus ?? '—'}</Fact>
          <Fact label="In directory">{yesNo(account.inDirectory)}</Fact>
          <Fact label="First seen">{formatDate(account.firstSeenAt)}</Fact>
          <Fact label="Last seen">{formatDate(account.lastSeenAt)}</Fact>
          <Fact label="Removed">{formatDate(account.removedAt)}</Fact>
        </SimpleGrid>
      </Card>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section title="Products" count={products.length}>
          <Table aria-label="Products">
            <Table.Tbody>
              {products.map((p) => (
                <Table.Tr key={p.productKey}>
                  <Table.Td>{p.name ?? p.productKey}</Table.Td>
                  <Table.Td>last active {formatAgo(p.lastActive)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title="Groups" count={groups.length}>
          <Table aria-label="Groups">
            <Table.Tbody>
              {groups.map((g) => (
                <Table.Tr key={g.groupId}>
                  <Table.Td>
                    <Link to={pathOf('integrations', id, 'groups', g.groupId)} size="sm">
                      {g.name ?? g.groupId}
                      {g.idpManaged ? ' (IdP)' : ''}
                    </Link>
                  </Table.Td>
                  <Table.Td ta="right">
                    <RemoveFromGroupButton
                      integrationId={id}
                      groupId={g.groupId}
                      accountId={account.accountId}
                      label="Remove from group"
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title="Project roles" count={projectRoles.length}>
          <Table aria-label="Project roles">
            <Table.Tbody>
              {projectRoles.map((r) => (
                <Table.Tr key={`${r.projectId}/${r.roleId}/${r.groupId ?? 'direct'}`}>
                  <Table.Td>
                    <Link to={pathOf('integrations', id, 'projects', r.projectId)} size="sm">
                      {r.projectKey ?? r.projectId} {r.projectName ?? ''}
                    </Link>
                  </Table.Td>
                  <Table.Td>{r.roleName ?? r.roleId}</Table.Td>
                  <Table.Td>
                    {r.via === 'direct' ? (
                      <Badge variant="light">direct</Badge>
                    ) : (
                      <Badge variant="outline">via {r.groupName ?? r.groupId}</Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title="Projects led" count={leadOf.length}>
          <Stack gap={4}>
            {leadOf.map((p) => (
              <Link key={p.projectId} to={pathOf('integrations', id, 'projects', p.projectId)} size="sm">
                {p.projectKey ?? p.projectId} {p.name ?? ''}
              </Link>
            ))}
          </Stack>
        </Section>
      </SimpleGrid>
      <Section title="History" count={history.length}>
        <Table aria-label="History">
          <Table.Tbody>
            {history.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>{formatDate(h.changedAt)}</Table.Td>
                <Table.Td>{h.change}</Table.Td>
                <Table.Td>
                  {h.field ? `${h.field}: ` : ''}
                  {h.oldValue ?? ''}
                  {h.oldValue !== null || h.newValue !== null ? ' → ' : ''}
                  {h.newValue ?? ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}

export function AccountPage(props: { integrationId: string; accountId: string }): ReactNode {
  const detail = useQuery({
    queryKey: ['account', props.integrationId, props.accountId],
    queryFn: () =>
      api.get<AccountDetail>(
        `/integrations/${encodeURIComponent(props.integrationId)}/accounts/${encodeURIComponent(props.accountId)}`,
      ),
  });
  return (
    <Stack>
      <Link to="/accounts" size="sm">
        ← Accounts
      </Link>
      <QueryState query={detail}>
        {(data) => <Detail integrationId={props.integrationId} detail={data} />}
      </QueryState>
    </Stack>
  );
}
