// The access-request model as the HTTP contract describes it (docs/requests-api.md). The
// zod schemas validate input (catalogue items, settings) and stored JSON on the way back out.
import { z } from 'zod';
import type { Role } from '../storage/users.ts';

export const ITEM_KINDS = ['group', 'projectRole', 'product'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const REQUESTER_ROLES = ['admin', 'approver', 'requester'] as const satisfies readonly Role[];
export type RequesterRole = (typeof REQUESTER_ROLES)[number];

const userId = z.string().min(1).max(200);

export const stepRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('projectLead') }),
  z.strictObject({ kind: z.literal('projectAdmins') }),
  z.strictObject({ kind: z.literal('groupOwners') }),
  z.strictObject({ kind: z.literal('integrationOwners') }),
  z.strictObject({ kind: z.literal('users'), userIds: z.array(userId).min(1).max(50) }),
]);
export type StepRule = z.infer<typeof stepRuleSchema>;
export type RuleKind = StepRule['kind'];

export const targetSchema = z.strictObject({
  groupId: z.string().min(1).max(200).optional(),
  projectId: z.string().min(1).max(200).optional(),
  roleId: z.string().min(1).max(200).optional(),
  productKey: z.string().min(1).max(200).optional(),
});
export type ItemTarget = z.infer<typeof targetSchema>;

export interface CatalogItem {
  id: string;
  integrationId: string;
  kind: ItemKind;
  target: ItemTarget;
  label: string;
  description: string | null;
  requesterRoles: RequesterRole[];
  ownerUserIds: string[];
  steps: StepRule[] | null;
  maxDurationDays: number | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ApprovalSettings {
  integrationId: string;
  ownerUserIds: string[];
  routes: Partial<Record<ItemKind, StepRule[]>>;
  reminderAfterHours: number;
  expiryNoticeHours: number;
}

export const approverSchema = z.object({
  userId: z.string().nullable(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  accountId: z.string().nullable(),
  isSeatwardenUser: z.boolean(),
});
export type Approver = z.infer<typeof approverSchema>;

export const STEP_STATUSES = ['waiting', 'pending', 'approved', 'denied', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const requestStepSchema = z.object({
  index: z.number().int(),
  rule: stepRuleSchema,
  approvers: z.array(approverSchema),
  routedBy: z.enum(['projectLead', 'projectAdmins', 'groupOwners', 'integrationOwners', 'users']),
  fallbackReason: z.string().nullable(),
  status: z.enum(STEP_STATUSES),
  decidedBy: z.object({ userId: z.string(), email: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
  remindersSent: z.number().int(),
  escalated: z.boolean(),
});
export type RequestStep = z.infer<typeof requestStepSchema>;

/** What the store keeps per step: the contract's step plus when it became pending (for reminders). */
export const storedStepSchema = requestStepSchema.extend({ activatedAt: z.string().nullable() });
export type StoredStep = z.infer<typeof storedStepSchema>;

export const REQUEST_STATUSES = [
  'pending',
  'flagged',
  'denied',
  'cancelled',
  'approved',
  'provisioned',
  'failed',
  'revoked',
  'expired',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface Note {
  at: string;
  text: string;
}

export interface OperationRef {
  operationId: string | null;
  error: string | null;
  at: string | null;
}

export interface AccessRequest {
  id: string;
  integrationId: string;
  catalogItemId: string;
  item: { kind: ItemKind; label: string; target: ItemTarget };
  requester: { userId: string; email: string; accountId: string };
  reason: string;
  expiresAt: string | null;
  status: RequestStatus;
  steps: RequestStep[];
  notes: Note[];
  provisioning: OperationRef | null;
  revoke: OperationRef | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
}
