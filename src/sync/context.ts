// What every sync phase gets: the connector, the store, where to write, and how to report.
import type { Kysely } from 'kysely';
import type { AtlassianClient, Page, ResumeToken } from '../atlassian/index.ts';
import type { Database } from '../storage/schema.ts';
import type { WriteContext, WriteCounts } from '../storage/inventory-writes.ts';
import type { PhaseState } from './checkpoint.ts';

export type SyncEntity =
  | 'accounts'
  | 'groups'
  | 'memberships'
  | 'projects'
  | 'roles'
  | 'role_actors'
  | 'products'
  | 'product_access';

export type SyncProgressEvent =
  | { type: 'phase'; phase: string; state: 'started' | 'done' | 'skipped' }
  | { type: 'page'; phase: string; items: number }
  | { type: 'call'; endpoint: string; status?: number }
  | { type: 'retry'; endpoint: string; reason: string; waitMs: number }
  | { type: 'rateLimited'; endpoint: string; waitMs: number };

export interface PhaseContext {
  client: AtlassianClient;
  db: Kysely<Database>;
  write: WriteContext;
  orgId: string | undefined;
  /** How many independent requests a phase may keep in flight (the client's buckets still gate them). */
  concurrency: number;
  record(entity: SyncEntity, counts: WriteCounts): void;
  progress(event: SyncProgressEvent): void;
}

export interface Phase {
  name: string;
  run(ctx: PhaseContext, state: PhaseState, saveState: (state: PhaseState) => Promise<void>): Promise<void>;
}

/**
 * Streams pages into the store: each page is written, then its resume point saved, so a crash
 * resumes after the last page that reached the database.
 */
export async function streamPages<T>(
  ctx: PhaseContext,
  phase: string,
  state: PhaseState,
  saveState: (state: PhaseState) => Promise<void>,
  open: (resume: ResumeToken | undefined) => AsyncGenerator<Page<T>>,
  writePage: (items: T[]) => Promise<void>,
): Promise<void> {
  for await (const page of open(state.resume)) {
    await writePage(page.items);
    ctx.progress({ type: 'page', phase, items: page.items.length });
    if (page.resumeToken) await saveState({ done: false, resume: page.resumeToken });
  }
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure stops the rest. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
