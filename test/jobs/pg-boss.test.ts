// The pg-boss engine on a real PostgreSQL: real syncs against the simulator, singleton dedup
// across two engines (two "nodes" sharing one database), permanent failures, retries and status.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import type { App } from '../../src/app.ts';
import { createJobs, type JobQueue } from '../../src/jobs/index.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { listRuns } from '../../src/storage/sync-runs.ts';
import { connectSimulator, FAST_BUDGETS, testApp } from '../support/app.ts';
import { dialects, openTestStore, type TestStore } from '../support/databases.ts';
import { settled } from './support.ts';

const ONCE_PER_SYNC = 'GET /rest/api/3/project/search';

describe.runIf(dialects.includes('postgres'))('pg-boss jobs [postgres]', () => {
  let sim: Simulator;
  let test: TestStore;
  let app: App;
  let integration: IntegrationSummary;
  let bossSchema: string;
  const engines: JobQueue[] = [];

  const engine = (handlers: Parameters<typeof createJobs>[1] = {}): JobQueue => {
    const jobs = createJobs(app, handlers);
    engines.push(jobs);
    return jobs;
  };

  beforeEach(async () => {
    sim = await startSimulator({ users: 30, seed: 5 });
    test = await openTestStore('postgres');
    bossSchema = `boss_${randomBytes(5).toString('hex')}`;
    app = testApp(test.store, test.dataDir, {
      ...FAST_BUDGETS,
      DATABASE_URL: process.env.SEATWARDEN_TEST_PG_URL,
      SEATWARDEN_JOBS_SCHEMA: bossSchema,
      SEATWARDEN_JOBS_POLL_SECONDS: '0.5',
    });
    integration = await connectSimulator(app, sim);
    sim.resetStats();
  });

  afterEach(async () => {
    for (const jobs of engines.splice(0)) await jobs.stop();
    await sim.stop();
    await test.cleanup();
    const client = new pg.Client({ connectionString: process.env.SEATWARDEN_TEST_PG_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
    } finally {
      await client.end();
    }
  });

  it('is the engine on PostgreSQL and runs a real sync', async () => {
    const jobs = engine();
    expect(jobs.engine).toBe('pg-boss');
    await jobs.start();
    const { jobId, deduplicated } = await jobs.enqueue('sync.integration', { integrationId: integration.id });
    expect(deduplicated).toBe(false);
    const status = await settled(jobs, jobId);
    expect(status).toMatchObject({ state: 'succeeded', type: 'sync.integration', attempts: 1 });
    expect(status.result).toMatchObject({ status: 'succeeded' });
    expect(sim.stats().calls[ONCE_PER_SYNC]).toBe(1);
    expect(await listRuns(app.db, { integrationId: integration.id })).toHaveLength(1);
  });

  it('deduplicates a singleton across two nodes: one queued job, one sync', async () => {
    const apiNode = engine();
    const otherApiNode = engine();
    const payload = { integrationId: integration.id };
    const first = await apiNode.enqueue('sync.integration', payload);
    const second = await otherApiNode.enqueue('sync.integration', payload);
    expect(second).toEqual({ jobId: first.jobId, deduplicated: true });

    const worker = engine();
    await worker.start();
    expect((await settled(worker, first.jobId)).state).toBe('succeeded');
    expect(sim.stats().calls[ONCE_PER_SYNC]).toBe(1);
  });

  it('fails a permanent error at once, without retries', async () => {
    const jobs = engine();
    await jobs.start();
    const { jobId } = await jobs.enqueue('sync.integration', { integrationId: 'no-such-integration' });
    const status = await settled(jobs, jobId);
    expect(status).toMatchObject({ state: 'failed', attempts: 1 });
    expect(status.error).toMatch(/no-such-integration|not found/i);
  });

  it('rejects a payload that does not fit its type', async () => {
    const jobs = engine();
    await expect(jobs.enqueue('sync.integration', { integrationId: '' })).rejects.toThrow();
    expect(await jobs.status('not-a-job-id')).toBeUndefined();
  });
});
