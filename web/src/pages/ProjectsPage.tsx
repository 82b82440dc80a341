// Projects with their lead (flagged when the lead is inactive), and each project's roles and actors.
import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { ProjectDetail, ProjectItem, ProjectLead } from '../api/types.ts';
import { AddRoleActorButton, RemoveRoleActorButton } from '../actions/ProjectActions.tsx';
import { PagedList } from '../components/PagedList.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { Link, pathOf } from '../router.tsx';

function LeadCell(props: { integrationId: string; lead: ProjectLead | null }): ReactNode {
  const { lead } = props;
  if (lead === null) return <Text c="dimmed">none</Text>;
  const inactive = lead.status !== 'active' || lead.jiraActive === false;
  return (
    <Group gap={4}>
      <Link to={pathOf('integrations', props.integrationId, 'accounts', lead.accountId)}>
        {lead.displayName ?? lead.accountId}
      </Link>
      {inactive && (
        <Badge color="red" size="sm">
          inactive lead
        </Badge>
      )}
    </Group>
  );
}

const column = createColumnHelper<ProjectItem>();
const COLUMNS = [
  column.accessor('key', { header: 'Key' }),
  column.accessor('name', {
    header: 'Project',
    cell: (c) => (
      <Link to={pathOf('integrations', c.row.original.integrationId, 'projects', c.row.original.projectId)}>
        {c.getValue()}
      </Link>
    ),
  }),
  column.accessor('projectType', { header: 'Type', cell: (c) => c.getValue() ?? '—' }),
  column.accessor('archived', { header: 'Archived', cell: (c) => (c.getValue() ? 'yes' : '') }),
  column.accessor('lead', {
    header: 'Lead',
    enableSorting: false,
    cell: (c) => <LeadCell integrationId={c.row.original.integrationId} lead={c.getValue()} />,
  }),
];

export function ProjectsPage(): ReactNode {
  return (
    <Stack>
      <Title order={2}>Projects</Title>
      <PagedList
        path="/projects"
        placeholder="key or name"
        label="Projects"
        columns={COLUMNS}
        getRowId={(p) => `${p.integrationId}/${p.projectId}`}
      />
    </Stack>
  );
}

export function ProjectPage(props: { integrationId: string; projectId: string }): ReactNode {
  const detail = useQuery({
    queryKey: ['project', props.integrationId, props.projectId],
    queryFn: () =>
      api.get<ProjectDetail>(
        `/integrations/${encodeURIComponent(props.integrationId)}/projects/${encodeURIComponent(props.projectId)}`,
      ),
  });
  return (
    <Stack>
      <Link to="/projects" size="sm">
        ← Projects
      </Link>
      <QueryState query={detail}>
        {(data) => (
          <Stack>
            <Title order={2}>
              {data.project.key} · {data.project.name}
            </Title>
            <Group>
              <Text>Lead:</Text>
              <LeadCell integrationId={props.integrationId} lead={data.project.lead} />
            </Group>
            <Group>
              <AddRoleActorButton integrationId={props.integrationId} detail={data} />
            </Group>
            {data.roles.map((role) => (
              <RoleCard
                key={role.roleId}
                integrationId={props.integrationId}
                projectKey={data.project.key}
                role={role}
              />
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function RoleCard(props: {
  integrationId: string;
  projectKey: string;
  role: ProjectDetail['roles'][number];
}): ReactNode {
  const { role, integrationId } = props;
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        {role.name ?? role.roleId} ({role.actors.length})
      </Title>
      <Group gap={6}>
        {role.actors.length === 0 && (
          <Text size="sm" c="dimmed">
            no actors
          </Text>
        )}
        {role.actors.map((actor) => (
          <Group key={`${actor.actorType}/${actor.actorId}`} gap={2}>
            {actor.actorType === 'user' ? (
              <Link to={pathOf('integrations', integrationId, 'accounts', actor.actorId)} size="sm">
                {actor.displayName ?? actor.actorId}
              </Link>
            ) : (
              <Link to={pathOf('integrations', integrationId, 'groups', actor.actorId)} size="sm">
                <Badge variant="outline">group</Badge> {actor.displayName ?? actor.actorId}
              </Link>
            )}
            <RemoveRoleActorButton
              integrationId={integrationId}
              projectKey={props.projectKey}
              roleId={role.roleId}
              actor={actor}
            />
          </Group>
        ))}
      </Group>
    </Card>
  );
}
