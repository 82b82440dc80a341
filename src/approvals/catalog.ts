// The requestable catalogue and the approval settings of each integration. Admins curate both;
// every target is checked against the inventory, every route against the item kind.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../app.ts';
import { findIntegration } from '../integrations/service.ts';
import { countRequests } from '../storage/approvals.ts';
import {
  deleteCatalogItem,
  getApprovalSettings,
  getCatalogItem,
  insertCatalogItem,
  listCatalogItems,
  putApprovalSettings,
  routesSchema,
  saveCatalogItem,
} from '../storage/approvals-catalog.ts';
import { findGroupName, findProductName, findProject, findRoleName } from '../storage/approvals-inventory.ts';
import { appendAuditEvent } from '../storage/audit.ts';
import { inTransaction } from '../storage/helpers.ts';
import { getUser, type Role } from '../storage/users.ts';
import { ApprovalError, notFound } from './errors.ts';
import type { AuditActor } from './events.ts';
import type { Trx } from './transition.ts';
import { RULE_APPLIES_TO } from './routes.ts';
import {
  ITEM_KINDS,
  REQUESTER_ROLES,
  stepRuleSchema,
  targetSchema,
  type ApprovalSettings,
  type CatalogItem,
  type ItemKind,
  type ItemTarget,
  type StepRule,
} from './types.ts';

const userIds = z.array(z.string().min(1).max(200)).max(100);

export const catalogPatchSchema = z.strictObject({
  label: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).nullable().optional(),
  requesterRoles: z.array(z.enum(REQUESTER_ROLES)).max(3).optional(),
  ownerUserIds: userIds.optional(),
  steps: z.array(stepRuleSchema).min(1).max(10).nullable().optional(),
  maxDurationDays: z.number().int().min(1).max(3650).nullable().optional(),
  enabled: z.boolean().optional(),
});
export type CatalogPatch = z.infer<typeof catalogPatchSchema>;

export const newCatalogItemSchema = catalogPatchSchema.extend({
  kind: z.enum(ITEM_KINDS),
  target: targetSchema,
});
export type NewCatalogItem = z.infer<typeof newCatalogItemSchema>;

export const settingsInputSchema = z.strictObject({
  ownerUserIds: userIds,
  routes: routesSchema,
  reminderAfterHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90),
  expiryNoticeHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90),
});
export type SettingsInput = z.infer<typeof settingsInputSchema>;

const ALL_REQUESTER_ROLES = [...REQUESTER_ROLES];

/** The target's label from the inventory; throws unknown_target when it is not there. */
async function labelFor(
  app: App,
  integrationId: string,
  kind: ItemKind,
  target: ItemTarget,
): Promise<string> {
  const unknown = (what: string) => new ApprovalError('unknown_target', `${what} is not in the inventory`);
  switch (kind) {
    case 'group': {
      if (!target.groupId) throw new ApprovalError('unknown_target', 'A group item needs target.groupId');
      const name = await findGroupName(app.db, integrationId, target.groupId);
      if (name === undefined) throw unknown(`Group ${target.groupId}`);
      return `Group ${name}`;
    }
    case 'projectRole': {
      if (!target.projectId || !target.roleId)
        throw new ApprovalError(
          'unknown_target',
          'A project role item needs target.projectId and target.roleId',
        );
      const project = await findProject(app.db, integrationId, target.projectId);
      if (!project) throw unknown(`Project ${target.projectId}`);
      const role = await findRoleName(app.db, integrationId, target.roleId);
      if (role === undefined) throw unknown(`Role ${target.roleId}`);
      return `Jira project ${project.key ?? project.name ?? project.projectId} — ${role}`;
    }
    case 'product': {
      if (!target.productKey)
        throw new ApprovalError('unknown_target', 'A product item needs target.productKey');
      const name = await findProductName(app.db, integrationId, target.productKey);
      if (name === undefined) throw unknown(`Product ${target.productKey}`);
      return `Product ${name}`;
    }
  }
}

/** Only the fields that describe the kind's target are kept. */
function cleanTarget(kind: ItemKind, target: ItemTarget): ItemTarget {
  if (kind === 'group') return { groupId: target.groupId ?? '' };
  if (kind === 'projectRole') return { projectId: target.projectId ?? '', roleId: target.roleId ?? '' };
  return { productKey: target.productKey ?? '' };
}

function checkSteps(kind: ItemKind, steps: readonly StepRule[] | null | undefined): void {
  for (const rule of steps ?? []) {
    if (!RULE_APPLIES_TO[rule.kind].includes(kind))
      throw new ApprovalError('invalid_input', `Rule ${rule.kind} does not apply to ${kind} items`);
  }
}

async function checkUsers(app: App, ids: readonly string[] | undefined): Promise<void> {
  for (const id of ids ?? []) {
    if (!(await getUser(app.db, id))) throw new ApprovalError('invalid_input', `No Seatwarden user ${id}`);
  }
}

async function stepUsers(app: App, steps: readonly StepRule[] | null | undefined): Promise<void> {
  for (const rule of steps ?? []) if (rule.kind === 'users') await checkUsers(app, rule.userIds);
}

async function audit(
  db: Trx,
  at: string,
  who: AuditActor,
  integrationId: string,
  action: string,
  target: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(db, {
    at,
    actor: who.actor,
    via: who.via,
    integrationId,
    action,
    target,
    requestId: who.requestId,
    outcome: 'succeeded',
    atlassianStatus: null,
    detail,
  });
}

export async function createCatalogItem(
  app: App,
  integrationId: string,
  input: NewCatalogItem,
  who: AuditActor,
): Promise<CatalogItem> {
  const integration = await findIntegration(app, integrationId);
  const target = cleanTarget(input.kind, input.target);
  const label = await labelFor(app, integration.id, input.kind, target);
  checkSteps(input.kind, input.steps);
  await checkUsers(app, input.ownerUserIds);
  await stepUsers(app, input.steps);
  const now = app.now().toISOString();
  const item: CatalogItem = {
    id: randomUUID(),
    integrationId: integration.id,
    kind: input.kind,
    target,
    label: input.label ?? label,
    description: input.description ?? null,
    requesterRoles: input.requesterRoles ?? ALL_REQUESTER_ROLES,
    ownerUserIds: input.ownerUserIds ?? [],
    steps: input.steps ?? null,
    maxDurationDays: input.maxDurationDays ?? null,
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  };
  await inTransaction(app.db, async (trx) => {
    await insertCatalogItem(trx, item);
    await audit(
      trx,
      app.now().toISOString(),
      who,
      item.integrationId,
      'catalog.created',
      `catalog:${item.id}`,
      { item },
    );
  });
  return item;
}

export async function updateCatalogItem(
  app: App,
  id: string,
  patch: CatalogPatch,
  who: AuditActor,
): Promise<CatalogItem> {
  const before = await getCatalogItem(app.db, id);
  if (!before) throw notFound('Catalogue item');
  checkSteps(before.kind, patch.steps);
  await checkUsers(app, patch.ownerUserIds);
  await stepUsers(app, patch.steps);
  // zod leaves absent fields out of the patch, so spreading it changes only what was given.
  const after: CatalogItem = { ...before, ...patch, updatedAt: app.now().toISOString() };
  await inTransaction(app.db, async (trx) => {
    await saveCatalogItem(trx, after);
    await audit(trx, app.now().toISOString(), who, after.integrationId, 'catalog.updated', `catalog:${id}`, {
      changes: patch,
    });
  });
  return after;
}

/** Deletes the item, or only disables it when requests refer to it (their history keeps it). */
export async function removeCatalogItem(
  app: App,
  id: string,
  who: AuditActor,
): Promise<'deleted' | 'disabled'> {
  const item = await getCatalogItem(app.db, id);
  if (!item) throw notFound('Catalogue item');
  const referenced = (await countRequests(app.db, { catalogItemId: id })) > 0;
  await inTransaction(app.db, async (trx) => {
    if (referenced)
      await saveCatalogItem(trx, { ...item, enabled: false, updatedAt: app.now().toISOString() });
    else await deleteCatalogItem(trx, id);
    await audit(
      trx,
      app.now().toISOString(),
      who,
      item.integrationId,
      referenced ? 'catalog.disabled' : 'catalog.deleted',
      `catalog:${id}`,
      { label: item.label },
    );
  });
  return referenced ? 'disabled' : 'deleted';
}

export function mayRequest(item: CatalogItem, role: Role): boolean {
  return item.enabled && (item.requesterRoles as readonly string[]).includes(role);
}

/** Admins see the whole catalogue of an integration; everyone else what they may request. */
export async function catalogFor(app: App, integrationId: string, role: Role): Promise<CatalogItem[]> {
  const integration = await findIntegration(app, integrationId);
  const items = await listCatalogItems(app.db, integration.id);
  return role === 'admin' ? items : items.filter((i) => mayRequest(i, role));
}

/** What the caller may request, across integrations. */
export async function requestableCatalog(app: App, role: Role): Promise<CatalogItem[]> {
  return (await listCatalogItems(app.db)).filter((i) => mayRequest(i, role));
}

export async function approvalSettings(app: App, integrationId: string): Promise<ApprovalSettings> {
  const integration = await findIntegration(app, integrationId);
  return getApprovalSettings(app.db, integration.id);
}

export async function updateApprovalSettings(
  app: App,
  integrationId: string,
  input: SettingsInput,
  who: AuditActor,
): Promise<ApprovalSettings> {
  const integration = await findIntegration(app, integrationId);
  await checkUsers(app, input.ownerUserIds);
  for (const [kind, steps] of Object.entries(input.routes)) {
    checkSteps(kind as ItemKind, steps);
    await stepUsers(app, steps);
  }
  const settings: ApprovalSettings = { integrationId: integration.id, ...input };
  await inTransaction(app.db, async (trx) => {
    await putApprovalSettings(trx, settings, app.now().toISOString());
    await audit(
      trx,
      app.now().toISOString(),
      who,
      integration.id,
      'approval_settings.updated',
      `integration:${integration.id}`,
      {
        settings,
      },
    );
  });
  return settings;
}
