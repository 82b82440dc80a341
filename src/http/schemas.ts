// Zod schemas shared by the route modules: query-string helpers and the response shapes. The
// OpenAPI document at /docs is generated from these same schemas.
import { z } from 'zod';
import { errorBodySchema } from './errors.ts';

// ---- query-string helpers (query values arrive as text) -------------------------------------

export const queryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((text) => text === 'true' || text === '1');

/** `a,b,c` → ['a','b','c'] (empty items dropped), each checked by `item`. */
export function csvOf<T extends string>(item: z.ZodType<T>) {
  const items = z.array(item).min(1);
  return z
    .string()
    .max(2000)
    .transform((text, ctx): T[] => {
      const parts = text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const parsed = items.safeParse(parts);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    });
}

export const idParam = z.string().min(1).max(200);
export const searchQuery = z.string().max(200);

export function pageQuery(defaultLimit = 50) {
  return {
    limit: z.coerce.number().int().min(1).max(1000).default(defaultLimit),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  };
}

// ---- response shapes ------------------------------------------------------------------------

const nullableString = z.string().nullable();
const nullableBoolean = z.boolean().nullable();

export const accountStatusSchema = z.enum(['active', 'inactive', 'closed']);

export const accountViewSchema = z.object({
  integrationId: z.string(),
  accountId: z.string(),
  accountType: nullableString,
  appType: nullableString,
  status: accountStatusSchema.nullable(),
  membershipStatus: z.enum(['active', 'suspended']).nullable(),
  jiraActive: nullableBoolean,
  managed: nullableBoolean,
  billable: nullableBoolean,
  email: nullableString,
  displayName: nullableString,
  lastActive: nullableString,
  inDirectory: nullableBoolean,
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  removedAt: nullableString,
  updatedAt: z.string(),
});

export const accountListItemSchema = accountViewSchema.extend({
  groups: z.array(z.object({ groupId: z.string(), name: nullableString })),
  products: z.array(z.object({ productKey: z.string(), lastActive: nullableString })),
  projectRoles: z.array(
    z.object({
      projectId: z.string(),
      projectKey: nullableString,
      roleId: z.string(),
      roleName: nullableString,
    }),
  ),
});

export const accountDetailSchema = z.object({
  account: accountViewSchema,
  groups: z.array(z.object({ groupId: z.string(), name: nullableString, idpManaged: nullableBoolean })),
  projectRoles: z.array(
    z.object({
      projectId: z.string(),
      projectKey: nullableString,
      projectName: nullableString,
      roleId: z.string(),
      roleName: nullableString,
      via: z.enum(['direct', 'group']),
      groupId: nullableString,
      groupName: nullableString,
    }),
  ),
  products: z.array(z.object({ productKey: z.string(), name: nullableString, lastActive: nullableString })),
  leadOf: z.array(z.object({ projectId: z.string(), projectKey: nullableString, name: nullableString })),
  history: z.array(
    z.object({
      id: z.number(),
      runId: nullableString,
      changedAt: z.string(),
      change: z.string(),
      field: nullableString,
      oldValue: nullableString,
      newValue: nullableString,
    }),
  ),
});

export const groupSummarySchema = z.object({
  integrationId: z.string(),
  groupId: z.string(),
  name: nullableString,
  description: nullableString,
  idpManaged: nullableBoolean,
  memberCount: z.number().int(),
});

export const projectSummarySchema = z.object({
  integrationId: z.string(),
  projectId: z.string(),
  key: nullableString,
  name: nullableString,
  projectType: nullableString,
  archived: nullableBoolean,
  lead: z
    .object({
      accountId: z.string(),
      displayName: nullableString,
      status: accountStatusSchema.nullable(),
      jiraActive: nullableBoolean,
    })
    .nullable(),
});

export const projectDetailSchema = z.object({
  project: projectSummarySchema,
  roles: z.array(
    z.object({
      roleId: z.string(),
      name: nullableString,
      actors: z.array(
        z.object({ actorType: z.enum(['user', 'group']), actorId: z.string(), displayName: nullableString }),
      ),
    }),
  ),
});

export const syncRunSchema = z.object({
  id: z.string(),
  integrationId: z.string(),
  plan: z.enum(['org', 'jira']),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  complete: z.boolean(),
  startedAt: z.string(),
  finishedAt: nullableString,
  heartbeatAt: z.string(),
  counts: z.record(z.string(), z.number()),
  apiCalls: z.number(),
  retries: z.number(),
  rateLimitWaits: z.number(),
  errors: z.array(z.unknown()),
  progress: z.object({ phase: z.string(), items: z.number(), calls: z.number() }).optional(),
});

const credentialHealthSchema = z.object({
  lastOkAt: nullableString,
  lastError: nullableString,
  failingSince: nullableString,
});

export const integrationSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  siteUrl: z.string(),
  email: z.string(),
  useGateway: z.boolean(),
  gatewayUrl: nullableString,
  cloudId: nullableString,
  orgId: nullableString,
  adminApiUrl: nullableString,
  hasApiToken: z.boolean(),
  hasOrgKey: z.boolean(),
  orgKeyExpiresAt: nullableString,
  createdAt: z.string(),
  updatedAt: z.string(),
  health: z.object({ site: credentialHealthSchema, org: credentialHealthSchema }),
  syncSchedule: nullableString,
  lastRun: syncRunSchema.nullable(),
});

export const connectionReportSchema = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), message: z.string() })),
});

/** The error responses every API route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
} as const;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });
