// One benchmark sync, in its own process: `tsx bench/sync-child.ts` with the job in SEATWARDEN_BENCH_JOB
// and an IPC channel to the parent. It connects the simulator as an integration, then runs the sync
// `runs` times when told to go, and reports wall time, CPU time and counts per run and its peak RSS.
import { pino } from 'pino';
import type { App } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { addIntegration } from '../src/integrations/service.ts';
import { openStore } from '../src/storage/db.ts';
import type { Database } from '../src/storage/schema.ts';
import { createSecretBox } from '../src/storage/secret-box.ts';
import { syncIntegration } from '../src/sync/service.ts';
import {
  JOB_ENV,
  type ChildMessage,
  type ParentMessage,
  type SyncJob,
  type SyncMeasurement,
} from './protocol.ts';

const COUNTED_TABLES = [
  'accounts',
  'account_history',
  'group_memberships',
  'role_actors',
  'sync_runs',
  'sync_seen',
] as const satisfies readonly (keyof Database)[];

function send(message: ChildMessage): void {
  if (!process.send) throw new Error('sync-child must be started with an IPC channel');
  process.send(message);
}

function nextGo(): Promise<void> {
  return new Promise((resolve) => {
    // 'go' is the only message the parent sends.
    process.once('message', (_message: ParentMessage) => {
      resolve();
    });
  });
}

async function tableRows(app: App): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const result = await app.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    rows[table] = Number(result.n);
  }
  return rows;
}

async function main(): Promise<void> {
  const raw = process.env[JOB_ENV];
  if (!raw) throw new Error(`${JOB_ENV} is not set`);
  const job = JSON.parse(raw) as SyncJob;
  const store = await openStore({ dataDir: job.dataDir });
  const app: App = {
    config: loadConfig(
      { SEATWARDEN_JIRA_RATE: job.jiraRate, SEATWARDEN_ADMIN_RATE: job.adminRate },
      { dataDir: job.dataDir },
    ),
    store,
    db: store.db,
    // A throwaway key: the benchmark's store holds only simulator credentials.
    secrets: createSecretBox(Buffer.alloc(32, 7)),
    logger: pino({ level: 'silent' }),
    now: () => new Date(),
    close: () => store.close(),
  };
  try {
    const integration = await addIntegration(app, {
      label: `bench-${job.plan}`,
      siteUrl: job.sim.siteUrl,
      email: job.sim.adminEmail,
      apiToken: job.sim.apiToken,
      ...(job.plan === 'org'
        ? { orgId: job.sim.orgId, orgApiKey: job.sim.orgApiKey, adminApiUrl: job.sim.adminApiUrl }
        : {}),
    });
    send({ type: 'ready' });
    for (let run = 0; run < job.runs; run++) {
      await nextGo();
      let checkpointWrites = 0;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const outcome = await syncIntegration(app, integration, {
        fresh: true,
        onProgress: (event) => {
          if (event.type === 'page' || (event.type === 'phase' && event.state === 'done')) checkpointWrites++;
        },
      });
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const measurement: SyncMeasurement = {
        status: outcome.status,
        errors: outcome.errors.map((e) => `${e.phase}: ${e.message}`),
        apiCalls: outcome.apiCalls,
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        counts: outcome.counts,
        swept: outcome.swept,
        checkpointWrites,
        tableRows: await tableRows(app),
      };
      send({ type: 'synced', run, measurement });
    }
  } finally {
    await app.close();
  }
  // maxRSS is in kilobytes.
  send({ type: 'done', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  process.disconnect();
}

await main();
