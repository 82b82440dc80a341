// How the CLI prints: tables for people, CSV and JSON for machines.
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';

export type Format = 'table' | 'csv' | 'json';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

export function render<T>(rows: readonly T[], columns: readonly Column<T>[], format: Format): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  const cells = rows.map((row) => columns.map((c) => formatCell(c.value(row))));
  if (format === 'csv') return stringify([columns.map((c) => c.header), ...cells]).trimEnd();
  const table = new Table({ head: columns.map((c) => c.header), style: { head: [], border: [] } });
  table.push(...cells);
  return table.toString();
}

function formatCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Terminal control characters from Atlassian data must not reach the terminal. */
export function plain(text: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (text ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
