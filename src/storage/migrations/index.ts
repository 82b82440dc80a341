// The ordered list of migrations, in code so bundling and tests need no file-system scan.
// Append-only: add the next numbered file here; never reorder or edit a released one.
import type { Migration } from 'kysely';
import * as initial from './0001_initial.ts';
import * as auth from './0002_auth.ts';
import * as settings from './0003_settings.ts';
import * as syncSchedules from './0004_sync_schedules.ts';
import * as productAccessLookup from './0005_product_access_lookup.ts';
import * as actionsAudit from './0006_actions_audit.ts';
import * as accountSortIndexes from './0007_account_sort_indexes.ts';
import * as accessRequests from './0008_access_requests.ts';
import * as notifications from './0009_notifications.ts';
import * as scheduleTicks from './0010_schedule_ticks.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_auth': auth,
  '0003_settings': settings,
  '0004_sync_schedules': syncSchedules,
  '0005_product_access_lookup': productAccessLookup,
  '0006_actions_audit': actionsAudit,
  '0007_account_sort_indexes': accountSortIndexes,
  '0008_access_requests': accessRequests,
  '0009_notifications': notifications,
  '0010_schedule_ticks': scheduleTicks,
};
