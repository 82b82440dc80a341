// The requestable catalogue and the per-integration approval settings (owners, route overrides,
// reminder and expiry-notice periods). JSON columns are validated when read back.
import type { Selectable } from 'kysely';
import { z } from 'zod';
import {
  ITEM_KINDS,
  REQUESTER_ROLES,
  stepRuleSchema,
  targetSchema,
  type ApprovalSettings,
  type CatalogItem,
  type ItemKind,
} from '../approvals/types.ts';
import type { Db } from './approvals.ts';
import type { Flag, IsoTime } from './schema.ts';

export type CatalogItemsTable = {
  id: string;
  integration_id: string;
  kind: ItemKind;
  /** JSON text: ItemTarget. */
  target: string;
  label: string;
  description: string | null;
  /** JSON text: RequesterRole[]. */
  requester_roles: string;
  /** JSON text: string[]. */
  owner_user_ids: string;
  /** JSON text: StepRule[]; null = the integration's route for this kind. */
  steps: string | null;
  max_duration_days: number | null;
  enabled: Flag;
  created_at: IsoTime;
  updated_at: IsoTime;
};

export type ApprovalSettingsTable = {
  integration_id: string;
  /** JSON text: string[]. */
  owner_user_ids: string;
  /** JSON text: Partial<Record<ItemKind, StepRule[]>>. */
  routes: string;
  reminder_after_hours: number;
  expiry_notice_hours: number;
  updated_at: IsoTime;
};

export type CatalogTables = { catalog_items: CatalogItemsTable; approval_settings: ApprovalSettingsTable };

function catalogTables(db: Db) {
  return db.withTables<CatalogTables>();
}

export const DEFAULT_REMINDER_AFTER_HOURS = 24;
export const DEFAULT_EXPIRY_NOTICE_HOURS = 24;

const idList = z.array(z.string());
export const routesSchema = z.partialRecord(z.enum(ITEM_KINDS), z.array(stepRuleSchema).min(1).max(10));

function toItem(row: Selectable<CatalogItemsTable>): CatalogItem {
  return {
    id: row.id,
    integrationId: row.integration_id,
    kind: z.enum(ITEM_KINDS).parse(row.kind),
    target: targetSchema.parse(JSON.parse(row.target)),
    label: row.label,
    description: row.description,
    requesterRoles: z.array(z.enum(REQUESTER_ROLES)).parse(JSON.parse(row.requester_roles)),
    ownerUserIds: idList.parse(JSON.parse(row.owner_user_ids)),
    steps: row.steps === null ? null : z.array(stepRuleSchema).parse(JSON.parse(row.steps)),
    maxDurationDays: row.max_duration_days,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(item: CatalogItem): CatalogItemsTable {
  return {
    id: item.id,
    integration_id: item.integrationId,
    kind: item.kind,
    target: JSON.stringify(item.target),
    label: item.label,
    description: item.description,
    requester_roles: JSON.stringify(item.requesterRoles),
    owner_user_ids: JSON.stringify(item.ownerUserIds),
    steps: item.steps === null ? null : JSON.stringify(item.steps),
    max_duration_days: item.maxDurationDays,
    enabled: item.enabled ? 1 : 0,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
  };
}

export async function insertCatalogItem(db: Db, item: CatalogItem): Promise<void> {
  await catalogTables(db).insertInto('catalog_items').values(toRow(item)).execute();
}

export async function saveCatalogItem(db: Db, item: CatalogItem): Promise<void> {
  const { id: _id, ...row } = toRow(item);
  await catalogTables(db).updateTable('catalog_items').set(row).where('id', '=', item.id).execute();
}

export async function deleteCatalogItem(db: Db, id: string): Promise<void> {
  await catalogTables(db).deleteFrom('catalog_items').where('id', '=', id).execute();
}

export async function getCatalogItem(db: Db, id: string): Promise<CatalogItem | undefined> {
  const row = await catalogTables(db)
    .selectFrom('catalog_items')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toItem(row);
}

/** By integration (or all), ordered by integration, kind and label. */
export async function listCatalogItems(db: Db, integrationId?: string): Promise<CatalogItem[]> {
  let query = catalogTables(db).selectFrom('catalog_items').selectAll();
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  const rows = await query.orderBy('integration_id').orderBy('kind').orderBy('label').orderBy('id').execute();
  return rows.map(toItem);
}

export function defaultSettings(integrationId: string): ApprovalSettings {
  return {
    integrationId,
    ownerUserIds: [],
    routes: {},
    reminderAfterHours: DEFAULT_REMINDER_AFTER_HOURS,
    expiryNoticeHours: DEFAULT_EXPIRY_NOTICE_HOURS,
  };
}

export async function getApprovalSettings(db: Db, integrationId: string): Promise<ApprovalSettings> {
  const row = await catalogTables(db)
    .selectFrom('approval_settings')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .executeTakeFirst();
  if (!row) return defaultSettings(integrationId);
  return {
    integrationId,
    ownerUserIds: idList.parse(JSON.parse(row.owner_user_ids)),
    routes: routesSchema.parse(JSON.parse(row.routes)),
    reminderAfterHours: row.reminder_after_hours,
    expiryNoticeHours: row.expiry_notice_hours,
  };
}

export async function putApprovalSettings(db: Db, settings: ApprovalSettings, now: IsoTime): Promise<void> {
  const values = {
    owner_user_ids: JSON.stringify(settings.ownerUserIds),
    routes: JSON.stringify(settings.routes),
    reminder_after_hours: settings.reminderAfterHours,
    expiry_notice_hours: settings.expiryNoticeHours,
    updated_at: now,
  };
  await catalogTables(db)
    .insertInto('approval_settings')
    .values({ integration_id: settings.integrationId, ...values })
    .onConflict((oc) => oc.column('integration_id').doUpdateSet(values))
    .execute();
}
