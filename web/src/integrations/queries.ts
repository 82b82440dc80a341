// Integration and sync-run data, shared by the integrations, runs and inventory pages.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { ConnectionReport, IntegrationSummary, SyncRun } from '../api/types.ts';

export function useIntegrations() {
  return useQuery({
    queryKey: ['integrations'],
    queryFn: async () => (await api.get<{ items: IntegrationSummary[] }>('/integrations')).items,
  });
}

/**
 * While a run is going, the list is polled every second so progress moves. `awaitRun` also polls
 * while there is no run yet (a sync was just queued and its job has not started).
 */
export function useRuns(integrationId: string | null, opts: { limit?: number; awaitRun?: boolean } = {}) {
  return useQuery({
    queryKey: ['runs', integrationId, opts.limit ?? 20],
    enabled: integrationId !== null,
    queryFn: async () =>
      (
        await api.get<{ items: SyncRun[] }>(`/integrations/${encodeURIComponent(integrationId ?? '')}/runs`, {
          limit: opts.limit ?? 20,
        })
      ).items,
    refetchInterval: (query) => {
      const runs = query.state.data ?? [];
      const waiting = opts.awaitRun === true && runs.length === 0;
      return waiting || runs.some((run) => run.status === 'running') ? 1000 : false;
    },
  });
}

export function useStartSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (integrationId: string) =>
      api.post<{ jobId: string }>(`/integrations/${encodeURIComponent(integrationId)}/sync`),
    onSuccess: (_result, integrationId) => client.invalidateQueries({ queryKey: ['runs', integrationId] }),
  });
}

export function useTestSaved() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (integrationId: string) =>
      api.post<ConnectionReport>(`/integrations/${encodeURIComponent(integrationId)}/test`),
    onSettled: () => client.invalidateQueries({ queryKey: ['integrations'] }),
  });
}

export function useDeleteIntegration() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (integrationId: string) => api.delete(`/integrations/${encodeURIComponent(integrationId)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['integrations'] }),
  });
}

/** Org keys expire (a week by default): warn this many days ahead. */
export const ORG_KEY_WARNING_DAYS = 14;

export type KeyExpiry = { state: 'none' } | { state: 'ok' | 'soon' | 'expired'; days: number };

export function orgKeyExpiry(expiresAt: string | null, now = Date.now()): KeyExpiry {
  if (expiresAt === null) return { state: 'none' };
  const days = Math.ceil((new Date(expiresAt).getTime() - now) / 86_400_000);
  if (Number.isNaN(days)) return { state: 'none' };
  if (days < 0) return { state: 'expired', days };
  return { state: days <= ORG_KEY_WARNING_DAYS ? 'soon' : 'ok', days };
}
