// Talking to the actions API: one action or an offboarding, always planned (dryRun) before it runs.
// Only admins hold 'actions:run'; the server enforces it, the UI just hides what others cannot use.
import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../api/client.ts';
import type { ActionKind, Operation, OperationItem } from '../api/types.ts';
import { useSession } from '../auth/session.ts';

export type ActionRequest =
  | { kind: ActionKind; input: Record<string, unknown> }
  | { kind: 'offboard'; accountId: string; deactivate: boolean };

export function submitAction(
  integrationId: string,
  request: ActionRequest,
  dryRun: boolean,
): Promise<Operation> {
  const base = `/integrations/${encodeURIComponent(integrationId)}`;
  if (request.kind === 'offboard') {
    const { accountId, deactivate } = request;
    return api.post<Operation>(`${base}/offboard`, { accountId, deactivate, dryRun });
  }
  return api.post<Operation>(`${base}/actions`, { kind: request.kind, input: request.input, dryRun });
}

export function useCanRunActions(): boolean {
  return useSession().data?.user.role === 'admin';
}

/** The server updates the inventory as it acts: refetch every cached view (not the session). */
export function useRefreshInventory(): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
}

// An item's result is free-form on the wire; read only what the UI shows, tolerating the rest.
const itemResultSchema = z.object({
  target: z.string().optional(),
  decision: z.enum(['refuse', 'done', 'run', 'error']).optional(),
  reason: z.string().optional(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })).default([]),
  calls: z.array(z.object({ method: z.string(), path: z.string() })).default([]),
  error: z.object({ message: z.string(), atlassianMessage: z.string().optional() }).optional(),
});
export type ItemResult = z.output<typeof itemResultSchema>;

export function readItemResult(item: OperationItem): ItemResult {
  const parsed = itemResultSchema.safeParse(item.result ?? {});
  return parsed.success ? parsed.data : { checks: [], calls: [] };
}

/** Whether confirming would change anything: some item is planned to make calls. */
export function hasWorkToDo(plan: Operation): boolean {
  return plan.items.some((item) => readItemResult(item).decision === 'run');
}
