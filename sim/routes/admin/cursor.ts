// Opaque page cursors and the one page scanner every admin list uses.
// A cursor carries the request's filter (the spec: "if present, all other parameters are
// discarded") and a position in the source list, so each page costs O(limit + skipped), never O(N).

import type { z } from 'zod';
import { AdminError } from './errors.ts';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decode a cursor this simulator issued; anything else is `ADMIN-400-1`. */
export function decodeCursor<T>(schema: z.ZodType<T>, token: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new AdminError('badCursor', 'The cursor is not valid.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AdminError('badCursor', 'The cursor is not valid.');
  return parsed.data;
}

/** Where the previous page stopped: the next index to look at and the id of the item before it. */
export interface ScanPosition {
  next: number;
  afterId: string | null;
}

export interface ScannedPage<T> {
  items: T[];
  /** Null when the source is exhausted. */
  resume: ScanPosition | null;
}

/**
 * Walk `source` from `from`, keeping up to `limit` items that match. When items were inserted or
 * removed before the position since the cursor was issued, find that item again.
 */
export function scanPage<T>(
  source: readonly T[],
  idOf: (item: T) => string,
  from: ScanPosition,
  limit: number,
  matches: (item: T) => boolean,
): ScannedPage<T> {
  let index = from.next;
  if (from.afterId !== null) {
    const before = source[index - 1];
    if (before === undefined || idOf(before) !== from.afterId) {
      const found = source.findIndex((item) => idOf(item) === from.afterId);
      index = found >= 0 ? found + 1 : Math.min(index, source.length);
    }
  }
  const items: T[] = [];
  while (index < source.length && items.length < limit) {
    const item = source[index++] as T;
    if (matches(item)) items.push(item);
  }
  // Look ahead so the last page carries no `next`: a client must not need an empty extra call.
  let more = false;
  for (let probe = index; probe < source.length; probe++) {
    if (matches(source[probe] as T)) {
      more = true;
      break;
    }
    // Skipped items are consumed here too, so the next page starts after them.
    index = probe + 1;
  }
  const before = source[index - 1];
  if (!more || before === undefined) return { items, resume: null };
  return { items, resume: { next: index, afterId: idOf(before) } };
}
