// Admin: what can be requested from one integration (the catalogue), and how it is approved.
import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { ApprovalSettings, CatalogItem } from '../api/types.ts';
import { IntegrationSelect } from '../components/IntegrationSelect.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useIntegrations } from '../integrations/queries.ts';
import { setSearch, useLocation } from '../router.tsx';
import { useApprovalSettings, useDeleteCatalogItem, useIntegrationCatalog } from './api.ts';
import { ApprovalSettingsCard, integrationRoute } from './ApprovalSettingsCard.tsx';
import { AddCatalogItemButton, EditCatalogItemButton } from './CatalogItemForm.tsx';
import { KindBadge, describeRoute } from './labels.tsx';

function ItemsTable(props: { items: CatalogItem[]; settings: ApprovalSettings | undefined }): ReactNode {
  const remove = useDeleteCatalogItem();
  if (props.items.length === 0)
    return <Text c="dimmed">No item yet: add groups, project roles or products.</Text>;
  return (
    <Stack>
      {remove.isError && (
        <Alert color="red" role="alert">
          {errorMessage(remove.error)}
        </Alert>
      )}
      <Table aria-label="Catalogue items" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Who may request</Table.Th>
            <Table.Th>Route</Table.Th>
            <Table.Th>Longest</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.items.map((item) => {
            const inherited = integrationRoute(props.settings, item.kind);
            return (
              <Table.Tr key={item.id} data-testid="catalog-row">
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm">{item.label}</Text>
                    {!item.enabled && (
                      <Badge color="gray" size="sm">
                        disabled
                      </Badge>
                    )}
                  </Group>
                  {item.description !== null && (
                    <Text size="xs" c="dimmed">
                      {item.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <KindBadge kind={item.kind} />
                </Table.Td>
                <Table.Td>{item.requesterRoles.join(', ')}</Table.Td>
                <Table.Td>
                  {item.steps === null ? (
                    <Text size="sm" c="dimmed">
                      {describeRoute(inherited)}
                    </Text>
                  ) : (
                    describeRoute(item.steps)
                  )}
                </Table.Td>
                <Table.Td>{item.maxDurationDays === null ? '—' : `${item.maxDurationDays} days`}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <EditCatalogItemButton item={item} inheritedRoute={inherited} />
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      loading={remove.isPending && remove.variables === item.id}
                      onClick={() => remove.mutate(item.id)}
                    >
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function IntegrationCatalogue(props: { integrationId: string }): ReactNode {
  const catalog = useIntegrationCatalog(props.integrationId);
  const settings = useApprovalSettings(props.integrationId);
  return (
    <Stack>
      <Group>
        <AddCatalogItemButton
          integrationId={props.integrationId}
          routeFor={(kind) => integrationRoute(settings.data, kind)}
        />
      </Group>
      <QueryState query={catalog}>
        {(items) => <ItemsTable items={items} settings={settings.data} />}
      </QueryState>
      <QueryState query={settings}>
        {(data) => <ApprovalSettingsCard key={data.integrationId} settings={data} />}
      </QueryState>
    </Stack>
  );
}

export function CataloguePage(): ReactNode {
  const { pathname, search } = useLocation();
  const integrations = useIntegrations();
  const chosen = search.get('integrationId') ?? integrations.data?.[0]?.id;
  return (
    <Stack maw={1300}>
      <Title order={2}>Catalogue</Title>
      <IntegrationSelect
        value={chosen}
        allowAll={false}
        onChange={(id) => setSearch(pathname, { integrationId: id })}
      />
      {integrations.isSuccess && integrations.data.length === 0 && (
        <Text c="dimmed">Connect an integration first.</Text>
      )}
      {chosen !== undefined && <IntegrationCatalogue key={chosen} integrationId={chosen} />}
    </Stack>
  );
}
