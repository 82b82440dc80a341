// The ordered list of migrations, in code so bundling and tests need no file-system scan.
// Append-only: add the next numbered file here; never reorder or edit a released one.
import type { Migration } from 'kysely';
import * as initial from './0001_initial.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
};
