// Personal API tokens for automation. A new token is shown once, right after it is created.
import { Alert, Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, errorMessage } from '../api/client.ts';
import { QueryState } from '../components/QueryState.tsx';
import { formatDate } from '../format.ts';

interface ApiToken {
  id: string;
  name: string;
  createdAt?: string;
  lastUsedAt?: string | null;
}

export function TokensPage(): ReactNode {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: async () => (await api.get<{ items: ApiToken[] }>('/tokens')).items,
  });
  const create = useMutation({
    mutationFn: () => api.post<ApiToken & { token: string }>('/tokens', { name: name.trim() }),
    onSuccess: async () => {
      setName('');
      await client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tokens'] }),
  });
  return (
    <Stack maw={800}>
      <Title order={2}>API tokens</Title>
      <Group align="flex-end">
        <TextInput label="Token name" value={name} onChange={(e) => setName(e.currentTarget.value)} w={260} />
        <Button disabled={name.trim() === ''} onClick={() => create.mutate()} loading={create.isPending}>
          Create token
        </Button>
      </Group>
      {create.data && (
        <Alert color="green" title="Copy this token now: it is not shown again">
          <Code block>{create.data.token}</Code>
        </Alert>
      )}
      {(create.isError || revoke.isError) && (
        <Alert color="red" role="alert">
          {errorMessage(create.error ?? revoke.error)}
        </Alert>
      )}
      <QueryState query={tokens}>
        {(items) =>
          items.length === 0 ? (
            <Text c="dimmed">No tokens.</Text>
          ) : (
            <Table aria-label="API tokens">
              <Table.Tbody>
                {items.map((token) => (
                  <Table.Tr key={token.id}>
                    <Table.Td>{token.name}</Table.Td>
                    <Table.Td>{formatDate(token.createdAt)}</Table.Td>
                    <Table.Td>
                      <Button size="xs" color="red" variant="light" onClick={() => revoke.mutate(token.id)}>
                        Revoke
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </Stack>
  );
}
