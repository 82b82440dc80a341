// Sync schedules: one cron per integration. Only changed schedules have a row; every other
// integration syncs on DEFAULT_SYNC_CRON. The table only ever holds expressions that parse and fire.
import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import { toFlag } from './helpers.ts';
import { IntegrationNotFoundError } from './integrations.ts';
import type { Database, Flag, IsoTime } from './schema.ts';

/** Every 6 hours, on the hour. */
export const DEFAULT_SYNC_CRON = '0 */6 * * *';
// Schedules are read in UTC so every node of a deployment agrees on when a run is due.
export const SCHEDULE_TIMEZONE = 'UTC';
const MAX_CRON_LENGTH = 120;

export interface SyncSchedulesTable {
  integration_id: string;
  cron: string;
  enabled: Flag;
  updated_at: IsoTime;
}

type ScheduleDatabase = Database & { sync_schedules: SyncSchedulesTable };

export interface SyncSchedule {
  integrationId: string;
  cron: string;
  enabled: boolean;
  /** Null while the integration runs on the default schedule (no row). */
  updatedAt: string | null;
  isDefault: boolean;
}

export class InvalidCronError extends Error {
  readonly code = 'invalid_cron';
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(
      `Invalid cron expression "${expression}": ${reason}. ` +
        'Use 5 fields (minute hour day-of-month month day-of-week, e.g. "0 */6 * * *"), ' +
        '6 with seconds first, or a nickname such as @daily.',
    );
  }
}

/** Returns the expression normalised (trimmed, single spaces), or throws InvalidCronError. */
export function validateCron(expression: string): string {
  const normalised = expression.trim().replace(/\s+/g, ' ');
  if (normalised.length === 0) throw new InvalidCronError(expression, 'it is empty');
  if (normalised.length > MAX_CRON_LENGTH) throw new InvalidCronError(expression, 'it is too long');
  // croner also takes an ISO date as a one-off "pattern"; a schedule must repeat.
  if (!normalised.includes(' ') && !normalised.startsWith('@')) {
    throw new InvalidCronError(expression, 'expected 5 or 6 space-separated fields');
  }
  let cron: Cron;
  try {
    cron = new Cron(normalised, { paused: true, timezone: SCHEDULE_TIMEZONE });
  } catch (error) {
    throw new InvalidCronError(expression, error instanceof Error ? error.message : String(error));
  }
  const next = cron.nextRun();
  cron.stop();
  if (next === null) throw new InvalidCronError(expression, 'it never fires');
  return normalised;
}

function scheduleDb(db: Kysely<Database>): Kysely<ScheduleDatabase> {
  return db.withTables<{ sync_schedules: SyncSchedulesTable }>();
}

function defaultFor(integrationId: string): SyncSchedule {
  return { integrationId, cron: DEFAULT_SYNC_CRON, enabled: true, updatedAt: null, isDefault: true };
}

function toSchedule(row: SyncSchedulesTable): SyncSchedule {
  return {
    integrationId: row.integration_id,
    cron: row.cron,
    enabled: row.enabled === 1,
    updatedAt: row.updated_at,
    isDefault: false,
  };
}

/** Sets (creates or replaces) an integration's schedule. Throws InvalidCronError, IntegrationNotFoundError. */
export async function setSyncSchedule(
  db: Kysely<Database>,
  integrationId: string,
  cron: string,
  enabled: boolean,
  now: string = new Date().toISOString(),
): Promise<SyncSchedule> {
  const row: SyncSchedulesTable = {
    integration_id: integrationId,
    cron: validateCron(cron),
    enabled: toFlag(enabled),
    updated_at: now,
  };
  const exists = await db
    .selectFrom('integrations')
    .select('id')
    .where('id', '=', integrationId)
    .executeTakeFirst();
  if (!exists) throw new IntegrationNotFoundError(integrationId);
  await scheduleDb(db)
    .insertInto('sync_schedules')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('integration_id')
        .doUpdateSet({ cron: row.cron, enabled: row.enabled, updated_at: row.updated_at }),
    )
    .execute();
  return toSchedule(row);
}

/** Back to the default schedule. */
export async function resetSyncSchedule(db: Kysely<Database>, integrationId: string): Promise<void> {
  await scheduleDb(db).deleteFrom('sync_schedules').where('integration_id', '=', integrationId).execute();
}

/** The integration's schedule, or the default one; undefined when there is no such integration. */
export async function getSyncSchedule(
  db: Kysely<Database>,
  integrationId: string,
): Promise<SyncSchedule | undefined> {
  const row = await scheduleDb(db)
    .selectFrom('integrations')
    .leftJoin('sync_schedules', 'sync_schedules.integration_id', 'integrations.id')
    .select(['integrations.id', 'sync_schedules.cron', 'sync_schedules.enabled', 'sync_schedules.updated_at'])
    .where('integrations.id', '=', integrationId)
    .executeTakeFirst();
  if (!row) return undefined;
  return fromJoined(row);
}

/** Every integration's schedule (default ones included), by integration id. */
export async function listSyncSchedules(db: Kysely<Database>): Promise<SyncSchedule[]> {
  const rows = await scheduleDb(db)
    .selectFrom('integrations')
    .leftJoin('sync_schedules', 'sync_schedules.integration_id', 'integrations.id')
    .select(['integrations.id', 'sync_schedules.cron', 'sync_schedules.enabled', 'sync_schedules.updated_at'])
    .orderBy('integrations.id')
    .execute();
  return rows.map(fromJoined);
}

function fromJoined(row: {
  id: string;
  cron: string | null;
  enabled: Flag | null;
  updated_at: string | null;
}): SyncSchedule {
  if (row.cron === null || row.enabled === null || row.updated_at === null) return defaultFor(row.id);
  return toSchedule({
    integration_id: row.id,
    cron: row.cron,
    enabled: row.enabled,
    updated_at: row.updated_at,
  });
}
