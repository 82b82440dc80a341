// Shared set-up for storage tests: an integration and a running sync run.
import type { Kysely } from 'kysely';
import { insertIntegration } from '../../src/storage/integrations.ts';
import type { Database } from '../../src/storage/schema.ts';
import { createSecretBox } from '../../src/storage/secret-box.ts';
import { finishRun, startRun } from '../../src/storage/sync-runs.ts';
import type { WriteContext } from '../../src/storage/inventory-writes.ts';

export const testBox = createSecretBox(Buffer.alloc(32, 7));

export const T0 = '2026-11-23T10:00:00.000Z';

export function at(dayOffset: number): string {
  return new Date(Date.parse(T0) + dayOffset * 86_400_000).toISOString();
}

export async function addIntegration(db: Kysely<Database>, label = 'acme'): Promise<string> {
  const integration = await insertIntegration(
    db,
    testBox,
    {
      label,
      siteUrl: `https://${label}.atlassian.net`,
      email: 'admin@example.com',
      apiToken: 'site-token',
      orgId: 'org-1',
      orgApiKey: 'org-key',
    },
    T0,
  );
  return integration.id;
}

/** Starts a run and returns its write context. */
export async function beginRun(
  db: Kysely<Database>,
  integrationId: string,
  now: string,
): Promise<WriteContext> {
  const runId = await startRun(db, { integrationId, plan: 'org', now });
  return { integrationId, runId, now };
}

export async function completeRun(db: Kysely<Database>, ctx: WriteContext): Promise<void> {
  await finishRun(db, ctx.runId, { status: 'succeeded', complete: true, now: ctx.now });
}

/** A finished complete run, so that later runs are no longer the baseline (history is written). */
export async function finishBaseline(db: Kysely<Database>, integrationId: string): Promise<void> {
  const ctx = await beginRun(db, integrationId, at(-30));
  await completeRun(db, ctx);
}
