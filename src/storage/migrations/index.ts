// The ordered list of migrations, in code so bundling and tests need no file-system scan.
// Append-only: add the next numbered file here; never reorder or edit a released one.
import type { Migration } from 'kysely';
import * as initial from './0001_initial.ts';
import * as productAccessLookup from './0002_product_access_lookup.ts';
import * as settings from './0003_settings.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_product_access_lookup': productAccessLookup,
  '0003_settings': settings,
};
