// "Request access": browse what the caller may request across integrations, pick items, give a
// reason and optionally an expiry (a date or a number of days). One request is made per item.
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { CatalogItem } from '../api/types.ts';
import { QueryState } from '../components/QueryState.tsx';
import { Link, pathOf } from '../router.tsx';
import { useCreateRequests, useRequestableCatalog, type NewRequests } from './api.ts';
import { KindBadge, RequestStatusBadge } from './labels.tsx';

type ExpiryMode = 'none' | 'date' | 'days';

const EXPIRY_MODES: { value: ExpiryMode; label: string }[] = [
  { value: 'none', label: 'No expiry' },
  { value: 'date', label: 'Until a date' },
  { value: 'days', label: 'For a number of days' },
];

const REASON_MAX = 2000;

/** The end of the chosen local day, so "until 12 May" includes 12 May. */
function endOfDay(date: string): string | null {
  const parsed = new Date(`${date}T23:59:59`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

function expiryOf(mode: ExpiryMode, date: string, days: number | string): NewRequests['expiry'] | 'invalid' {
  if (mode === 'none') return null;
  if (mode === 'date') {
    const expiresAt = endOfDay(date);
    return expiresAt === null || new Date(expiresAt).getTime() <= Date.now() ? 'invalid' : { expiresAt };
  }
  return typeof days === 'number' && Number.isInteger(days) && days >= 1 ? { durationDays: days } : 'invalid';
}

/** The shortest limit among the picked items: a longer expiry would be refused by the server. */
function maxDays(items: readonly CatalogItem[]): number | null {
  const limits = items.flatMap((item) => (item.maxDurationDays === null ? [] : [item.maxDurationDays]));
  return limits.length === 0 ? null : Math.min(...limits);
}

/** How long access would last, in whole days (no expiry: forever). */
function requestedDays(expiry: NewRequests['expiry']): number {
  if (expiry === null) return Infinity;
  if ('durationDays' in expiry) return expiry.durationDays;
  return Math.ceil((new Date(expiry.expiresAt).getTime() - Date.now()) / 86_400_000);
}

function CatalogTable(props: {
  items: CatalogItem[];
  picked: ReadonlySet<string>;
  onToggle: (id: string) => void;
}): ReactNode {
  if (props.items.length === 0) return <Text c="dimmed">Nothing matches.</Text>;
  return (
    <Table aria-label="Catalogue" striped highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={40} />
          <Table.Th>Item</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th>Longest</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.items.map((item) => (
          <Table.Tr key={item.id} data-testid="catalog-item">
            <Table.Td>
              <Checkbox
                aria-label={`Request ${item.label}`}
                checked={props.picked.has(item.id)}
                onChange={() => props.onToggle(item.id)}
              />
            </Table.Td>
            <Table.Td>{item.label}</Table.Td>
            <Table.Td>
              <KindBadge kind={item.kind} />
            </Table.Td>
            <Table.Td>{item.description ?? ''}</Table.Td>
            <Table.Td>{item.maxDurationDays === null ? 'no limit' : `${item.maxDurationDays} days`}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function RequestAccessPage(): ReactNode {
  const catalog = useRequestableCatalog();
  const create = useCreateRequests();
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<ExpiryMode>('none');
  const [date, setDate] = useState('');
  const [days, setDays] = useState<number | string>(30);

  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const items = catalog.data ?? [];
  const chosen = items.filter((item) => picked.has(item.id));
  const limit = maxDays(chosen);
  const expiry = expiryOf(mode, date, days);
  const tooLong = limit !== null && expiry !== 'invalid' && requestedDays(expiry) > limit;
  const ready = chosen.length > 0 && reason.trim() !== '' && expiry !== 'invalid' && !tooLong;

  const submit = () => {
    if (!ready) return;
    create.mutate(
      { catalogItemIds: chosen.map((item) => item.id), reason: reason.trim(), expiry },
      {
        onSuccess: () => {
          setPicked(new Set());
          setReason('');
        },
      },
    );
  };

  const term = filter.trim().toLowerCase();
  return (
    <Stack maw={1000}>
      <Title order={2}>Request access</Title>
      <QueryState query={catalog}>
        {(all) =>
          all.length === 0 ? (
            <Text c="dimmed">Nothing can be requested yet. An admin adds items to the catalogue.</Text>
          ) : (
            <Stack>
              <TextInput
                label="Filter"
                placeholder="group, project or product"
                value={filter}
                onChange={(e) => setFilter(e.currentTarget.value)}
                w={300}
              />
              <CatalogTable
                items={all.filter((item) => term === '' || item.label.toLowerCase().includes(term))}
                picked={picked}
                onToggle={toggle}
              />
            </Stack>
          )
        }
      </QueryState>
      <Textarea
        label="Reason"
        description="Approvers see this."
        required
        autosize
        minRows={2}
        maxLength={REASON_MAX}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
      <SegmentedControl
        aria-label="Expiry"
        data={EXPIRY_MODES}
        value={mode}
        onChange={(value) => setMode(EXPIRY_MODES.find((m) => m.value === value)?.value ?? 'none')}
        w="fit-content"
      />
      {mode === 'date' && (
        <TextInput
          type="date"
          label="Access until (end of day)"
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
          error={date !== '' && expiry === 'invalid' ? 'Choose a day in the future' : undefined}
          w={220}
        />
      )}
      {mode === 'days' && (
        <NumberInput label="Days" min={1} max={3650} value={days} onChange={setDays} w={220} />
      )}
      {limit !== null && (
        <Text size="sm" c={tooLong ? 'orange' : 'dimmed'}>
          The chosen items allow {limit} days at most{mode === 'none' ? ': choose an expiry' : ''}.
        </Text>
      )}
      {create.isError && (
        <Alert color="red" title="Could not request" role="alert">
          {errorMessage(create.error)}
        </Alert>
      )}
      {create.data && (
        <Alert color="green" title="Requested" data-testid="requested">
          <Stack gap={4}>
            {create.data.requests.map((request) => (
              <Group key={request.id} gap="xs">
                <Link to={pathOf('requests', request.id)}>{request.item.label}</Link>
                <RequestStatusBadge status={request.status} />
              </Group>
            ))}
            <Link to="/requests">See my requests</Link>
          </Stack>
        </Alert>
      )}
      <Group>
        <Button disabled={!ready} loading={create.isPending} onClick={submit}>
          {chosen.length > 1 ? `Request ${chosen.length} items` : 'Request'}
        </Button>
      </Group>
    </Stack>
  );
}
