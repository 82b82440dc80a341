// Account filters live in the URL's query string, in the API's own parameter names, so the list,
// the export links and a bookmarked view all say the same thing.
import type { Query } from '../api/client.ts';

export const FILTER_KEYS = [
  'integrationId',
  'status',
  'type',
  'product',
  'groupId',
  'inactiveDays',
  'neverActive',
  'billable',
  'search',
  'includeRemoved',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export const SORT_KEYS = [
  'displayName',
  'email',
  'lastActive',
  'status',
  'accountType',
  'accountId',
  'firstSeenAt',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface AccountsView {
  filters: Filters;
  sort: SortKey;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const positive = (text: string | null, fallback: number, max: number): number => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
};

export function readView(search: URLSearchParams): AccountsView {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value !== null && value !== '') filters[key] = value;
  }
  const sort = search.get('sort');
  return {
    filters,
    sort: SORT_KEYS.find((key) => key === sort) ?? 'displayName',
    direction: search.get('direction') === 'desc' ? 'desc' : 'asc',
    limit: positive(search.get('limit'), 50, 1000),
    offset: Math.max(0, Number(search.get('offset')) || 0),
  };
}

/** The view as URL values: defaults are left out so URLs stay short. */
export function writeView(view: AccountsView): Record<string, string | undefined> {
  return {
    ...view.filters,
    sort: view.sort === 'displayName' ? undefined : view.sort,
    direction: view.direction === 'asc' ? undefined : view.direction,
    limit: view.limit === 50 ? undefined : String(view.limit),
    offset: view.offset === 0 ? undefined : String(view.offset),
  };
}

export function listQuery(view: AccountsView): Query {
  return {
    ...view.filters,
    sort: view.sort,
    direction: view.direction,
    limit: view.limit,
    offset: view.offset,
  };
}
