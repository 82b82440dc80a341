// Behaviour knobs of a running simulator, declared as zod schemas so the control API can
// validate a patch and the TypeScript types come from the same source.

import { z } from 'zod';

export const budgetSchema = z.object({
  /** Bucket size: how many calls may burst at once. */
  capacity: z.number().int().min(1).max(1_000_000),
  refillPerSecond: z.number().min(0).max(1_000_000),
});
export type Budget = z.infer<typeof budgetSchema>;

export const FAULT_KINDS = ['500', '502', '503', 'timeout', 'reset', 'malformed', 'truncated'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRuleSchema = z.object({
  /** `'GET /rest/api/3/users/search'`, a prefix ending in `*` (`'GET /admin/*'`), or `'*'`. */
  endpoint: z.string().min(1).max(300),
  kind: z.enum(FAULT_KINDS),
  probability: z.number().min(0).max(1),
  /** Fire at most this many times, then the rule goes quiet. */
  remaining: z.number().int().min(0).optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;

export const configPatchSchema = z
  .object({
    siteBudget: budgetSchema.nullable(),
    orgBudget: budgetSchema.nullable(),
    latencyMs: z.number().int().min(0).max(60_000),
    latencyJitterMs: z.number().int().min(0).max(60_000),
    faults: z.array(faultRuleSchema).max(100),
  })
  .partial()
  .strict();
export type SimConfigPatch = z.infer<typeof configPatchSchema>;

export interface SimConfig {
  siteBudget: Budget | null;
  orgBudget: Budget | null;
  latencyMs: number;
  latencyJitterMs: number;
  faults: FaultRule[];
}
