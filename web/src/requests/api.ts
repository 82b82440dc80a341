// Access requests over the HTTP contract (docs/requests-api.md): queries, mutations and the
// polling rule that keeps statuses live while the server still has work to do.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type {
  AccessRequest,
  ApprovalSettings,
  CatalogItem,
  ManagedUser,
  RequestStatus,
} from '../api/types.ts';

const enc = encodeURIComponent;

/**
 * How often a view asks again while a request it shows may still move: provisioning takes seconds,
 * so an approved request is watched closely; a decision may take days, so a waiting one less so.
 */
const POLL_BY_STATUS: Partial<Record<RequestStatus, number>> = {
  approved: 1500,
  pending: 10_000,
  flagged: 10_000,
};

export const isMoving = (request: AccessRequest): boolean => POLL_BY_STATUS[request.status] !== undefined;

const pollWhileMoving = (requests: readonly AccessRequest[] | undefined): number | false => {
  const intervals = (requests ?? []).flatMap((r) => POLL_BY_STATUS[r.status] ?? []);
  return intervals.length === 0 ? false : Math.min(...intervals);
};

/** Every cached request view: refetched after any change to a request. */
const REQUEST_KEYS = ['requests', 'request', 'inbox'] as const;

function useRefreshRequests(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({
      predicate: (query) => REQUEST_KEYS.some((key) => query.queryKey[0] === key),
    });
  };
}

export function useRequestableCatalog() {
  return useQuery({
    queryKey: ['catalog', 'requestable'],
    queryFn: async () => (await api.get<{ items: CatalogItem[] }>('/catalog')).items,
  });
}

export function useMyRequests() {
  return useQuery({
    queryKey: ['requests', 'mine'],
    queryFn: async () => (await api.get<{ requests: AccessRequest[] }>('/requests/mine')).requests,
    refetchInterval: (query) => pollWhileMoving(query.state.data),
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: ['request', id],
    queryFn: () => api.get<AccessRequest>(`/requests/${enc(id)}`),
    refetchInterval: (query) => pollWhileMoving(query.state.data ? [query.state.data] : []),
  });
}

export function useInbox() {
  return useQuery({
    queryKey: ['inbox'],
    queryFn: async () => (await api.get<{ requests: AccessRequest[] }>('/inbox')).requests,
    // New requests arrive without the approver doing anything: look now and then.
    refetchInterval: 30_000,
  });
}

export interface AllRequestsQuery {
  status?: RequestStatus | undefined;
  integrationId?: string | undefined;
  limit: number;
  offset: number;
}

export function useAllRequests(query: AllRequestsQuery) {
  return useQuery({
    queryKey: ['requests', 'all', query],
    queryFn: () =>
      api.get<{ requests: AccessRequest[]; total: number }>('/requests', {
        status: query.status,
        integrationId: query.integrationId,
        limit: query.limit,
        offset: query.offset,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => pollWhileMoving(q.state.data?.requests),
  });
}

export interface NewRequests {
  catalogItemIds: string[];
  reason: string;
  expiry: { expiresAt: string } | { durationDays: number } | null;
}

export function useCreateRequests() {
  const refresh = useRefreshRequests();
  return useMutation({
    mutationFn: (input: NewRequests) =>
      api.post<{ requests: AccessRequest[] }>('/requests', {
        items: input.catalogItemIds.map((catalogItemId) => ({ catalogItemId })),
        reason: input.reason,
        ...(input.expiry ?? {}),
      }),
    onSuccess: refresh,
  });
}

export type Decision = 'approve' | 'deny';

/**
 * `onDecided` is given here rather than to `mutate`: deciding refetches the inbox, which removes the
 * decided row (and the buttons that called `mutate`) before per-call callbacks would run.
 */
export function useDecide(onDecided?: (request: AccessRequest) => void) {
  const refresh = useRefreshRequests();
  return useMutation({
    onSuccess: (request: AccessRequest) => onDecided?.(request),
    mutationFn: (input: { requestId: string; decision: Decision; comment: string }) =>
      api.post<AccessRequest>(`/requests/${enc(input.requestId)}/decision`, {
        decision: input.decision,
        ...(input.comment.trim() === '' ? {} : { comment: input.comment.trim() }),
      }),
    onSettled: refresh,
  });
}

/** cancel (requester, while undecided), revoke (requester or admin, once provisioned), retry (admin). */
export type RequestCommand = 'cancel' | 'revoke' | 'retry';

export function useRequestCommand() {
  const refresh = useRefreshRequests();
  return useMutation({
    mutationFn: (input: { requestId: string; command: RequestCommand }) =>
      api.post<AccessRequest>(`/requests/${enc(input.requestId)}/${input.command}`),
    onSettled: refresh,
  });
}

export function useInviteApprover() {
  const refresh = useRefreshRequests();
  return useMutation({
    mutationFn: (input: { requestId: string; accountId: string }) =>
      api.post<{ userId: string; email: string; oneTimePassword: string }>(
        `/requests/${enc(input.requestId)}/invite-approver`,
        { accountId: input.accountId },
      ),
    onSuccess: refresh,
  });
}

// Admin: the catalogue and the approval settings of one integration.

export function useIntegrationCatalog(integrationId: string | undefined) {
  return useQuery({
    queryKey: ['catalog', 'integration', integrationId],
    enabled: integrationId !== undefined,
    queryFn: async () =>
      (await api.get<{ items: CatalogItem[] }>(`/integrations/${enc(integrationId ?? '')}/catalog`)).items,
  });
}

export type CatalogItemInput = Partial<
  Pick<
    CatalogItem,
    'label' | 'description' | 'requesterRoles' | 'ownerUserIds' | 'steps' | 'maxDurationDays' | 'enabled'
  >
>;

export type NewCatalogItem = CatalogItemInput & Pick<CatalogItem, 'kind' | 'target'>;

function useRefreshCatalog(): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['catalog'] });
}

export function useAddCatalogItem(integrationId: string) {
  const refresh = useRefreshCatalog();
  return useMutation({
    mutationFn: (input: NewCatalogItem) =>
      api.post<CatalogItem>(`/integrations/${enc(integrationId)}/catalog`, input),
    onSuccess: refresh,
  });
}

export function useUpdateCatalogItem() {
  const refresh = useRefreshCatalog();
  return useMutation({
    mutationFn: (input: { itemId: string; patch: CatalogItemInput }) =>
      api.patch<CatalogItem>(`/catalog/${enc(input.itemId)}`, input.patch),
    onSuccess: refresh,
  });
}

export function useDeleteCatalogItem() {
  const refresh = useRefreshCatalog();
  return useMutation({
    mutationFn: (itemId: string) => api.delete(`/catalog/${enc(itemId)}`),
    onSuccess: refresh,
  });
}

export function useApprovalSettings(integrationId: string | undefined) {
  return useQuery({
    queryKey: ['approval-settings', integrationId],
    enabled: integrationId !== undefined,
    queryFn: () => api.get<ApprovalSettings>(`/integrations/${enc(integrationId ?? '')}/approval-settings`),
  });
}

export function useSaveApprovalSettings(integrationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: Omit<ApprovalSettings, 'integrationId'>) =>
      api.put<ApprovalSettings>(`/integrations/${enc(integrationId)}/approval-settings`, settings),
    onSuccess: (saved) => client.setQueryData(['approval-settings', integrationId], saved),
  });
}

/** Seatwarden users, for choosing owners and named approvers (admins only). */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['users'],
    enabled,
    queryFn: async () => (await api.get<{ items: ManagedUser[] }>('/users')).items,
    staleTime: 60_000,
  });
}
