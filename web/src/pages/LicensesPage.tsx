// Seats bought / used / remaining per product and plan, idle billable seats, and what they cost
// at the seat prices set here.
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, errorMessage } from '../api/client.ts';
import type { LicenseReport, SeatPrices } from '../api/types.ts';
import { can } from '../auth/permissions.ts';
import { useSession } from '../auth/session.ts';
import { IntegrationSelect } from '../components/IntegrationSelect.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatCount, formatMoney } from '../format.ts';
import { setSearch, useLocation } from '../router.tsx';
import { LicenseChart, lineLabel } from './LicenseChart.tsx';

function SeatPricesEditor(props: {
  report: LicenseReport;
  prices: Record<string, number>;
  editable: boolean;
}): ReactNode {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Record<string, number>>(props.prices);
  const save = useMutation({
    mutationFn: (prices: Record<string, number>) => api.put<SeatPrices>('/settings/seat-prices', { prices }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['seat-prices'] });
      await client.invalidateQueries({ queryKey: ['licenses'] });
    },
  });
  // Waste follows the draft prices at once, so the effect of a price is visible before saving.
  const waste = (productKey: string, inactive: number): number | null =>
    draft[productKey] === undefined ? null : draft[productKey] * inactive;
  const totalWaste = props.report.lines.reduce(
    (sum, l) => sum + (waste(l.productKey, l.inactiveBillable) ?? 0),
    0,
  );

  return (
    <Stack>
      <Table aria-label="Licenses">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Product and plan</Table.Th>
            <Table.Th>Bought</Table.Th>
            <Table.Th>Used</Table.Th>
            <Table.Th>Remaining</Table.Th>
            <Table.Th>Billable</Table.Th>
            <Table.Th>Inactive billable</Table.Th>
            <Table.Th>Price per seat / month</Table.Th>
            <Table.Th>Monthly waste</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.report.lines.map((line) => (
            <Table.Tr key={`${line.integrationId}/${line.productKey}`}>
              <Table.Td>{lineLabel(line)}</Table.Td>
              <Table.Td>{line.seatsTotal === null ? 'unlimited' : formatCount(line.seatsTotal)}</Table.Td>
              <Table.Td>{formatCount(line.seatsUsed)}</Table.Td>
              <Table.Td>{formatCount(line.seatsRemaining)}</Table.Td>
              <Table.Td>{formatCount(line.billableAssigned)}</Table.Td>
              <Table.Td>{formatCount(line.inactiveBillable)}</Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`Price per seat for ${line.productKey}`}
                  disabled={!props.editable}
                  min={0}
                  decimalScale={2}
                  prefix="$"
                  w={120}
                  value={draft[line.productKey] ?? ''}
                  onChange={(value) =>
                    setDraft((current) => {
                      const others = Object.entries(current).filter(([key]) => key !== line.productKey);
                      return Object.fromEntries(
                        typeof value === 'number' ? [...others, [line.productKey, value]] : others,
                      );
                    })
                  }
                />
              </Table.Td>
              <Table.Td>{formatMoney(waste(line.productKey, line.inactiveBillable))}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Text fw={600} data-testid="total-waste">
          Monthly waste at these prices: {formatMoney(totalWaste)}
        </Text>
        {props.editable && (
          <Button onClick={() => save.mutate(draft)} loading={save.isPending}>
            Save seat prices
          </Button>
        )}
      </Group>
      {save.isError && (
        <Alert color="red" role="alert">
          {errorMessage(save.error)}
        </Alert>
      )}
      {save.isSuccess && <Alert color="green">Seat prices saved.</Alert>}
    </Stack>
  );
}

export function LicensesPage(): ReactNode {
  const { pathname, search } = useLocation();
  const role = useSession().data?.user.role ?? 'auditor';
  const integrationId = search.get('integrationId') ?? undefined;
  const inactiveDays = Number(search.get('inactiveDays')) || 90;
  const report = useQuery({
    queryKey: ['licenses', integrationId, inactiveDays],
    queryFn: () => api.get<LicenseReport>('/licenses', { integrationId, inactiveDays }),
  });
  const prices = useQuery({
    queryKey: ['seat-prices'],
    queryFn: async () => (await api.get<SeatPrices>('/settings/seat-prices')).prices,
  });
  const write = (next: { integrationId?: string | undefined; inactiveDays?: number }) => {
    const merged = { integrationId, inactiveDays, ...next };
    setSearch(pathname, {
      integrationId: merged.integrationId,
      inactiveDays: merged.inactiveDays === 90 ? undefined : String(merged.inactiveDays),
    });
  };

  return (
    <Stack>
      <Title order={2}>Licenses</Title>
      <Group align="flex-end">
        <IntegrationSelect value={integrationId} onChange={(id) => write({ integrationId: id })} />
        <NumberInput
          label="Idle after (days)"
          min={1}
          max={3650}
          allowDecimal={false}
          value={inactiveDays}
          onChange={(v) => typeof v === 'number' && v > 0 && write({ inactiveDays: v })}
          w={150}
        />
      </Group>
      <QueryState query={report}>
        {(data) => (
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Card withBorder>
                <Text size="sm" c="dimmed">
                  Inactive billable seats (no activity for {inactiveDays} days)
                </Text>
                <Text fz={28} fw={700} data-testid="inactive-billable">
                  {formatCount(data.totals.inactiveBillable)}
                </Text>
              </Card>
              <Card withBorder>
                <Text size="sm" c="dimmed">
                  Money wasted per month (saved prices)
                </Text>
                <Text fz={28} fw={700}>
                  {formatMoney(data.totals.monthlyWaste)}
                </Text>
              </Card>
            </SimpleGrid>
            {data.lines.length === 0 ? (
              <Alert>No products yet: run a sync first.</Alert>
            ) : (
              <>
                <LicenseChart lines={data.lines} />
                <QueryState query={prices}>
                  {(saved) => (
                    <SeatPricesEditor report={data} prices={saved} editable={can(role, 'settings:write')} />
                  )}
                </QueryState>
              </>
            )}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
