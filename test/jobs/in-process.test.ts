// The in-process engine through real parts: real syncs against the simulator on both stores,
// singleton dedup counted in the simulator's stats, retries, skips and bounded concurrency.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import type { App } from '../../src/app.ts';
import { createInProcessJobs, JOB_TYPES, type JobQueue, type Payload } from '../../src/jobs/index.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { getRun, listRuns, startRun } from '../../src/storage/sync-runs.ts';
import { connectSimulator, testApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { settled, waitFor } from './support.ts';

/** Called once per sync, so the simulator's count of it is the number of syncs that ran. */
const ONCE_PER_SYNC = 'GET /rest/api/3/project/search';

let sim: Simulator;
let jobs: JobQueue | undefined;

beforeEach(async () => {
  sim = await startSimulator({ users: 30, seed: 5 });
});
afterEach(async () => {
  await jobs?.stop();
  jobs = undefined;
  await sim.stop();
});

describeEachDialect('in-process jobs', ({ getStore, getDataDir }) => {
  let app: App;
  let integration: IntegrationSummary;

  beforeEach(async () => {
    app = testApp(getStore(), getDataDir());
    integration = await connectSimulator(app, sim);
    sim.resetStats();
  });

  it('runs a real sync for a sync.integration job', async () => {
    jobs = createInProcessJobs(app);
    await jobs.start();
    const { jobId, deduplicated } = await jobs.enqueue('sync.integration', { integrationId: integration.id });
    expect(deduplicated).toBe(false);

    const status = await settled(jobs, jobId);
    expect(status).toMatchObject({ state: 'succeeded', attempts: 1, error: null, type: 'sync.integration' });
    const runId = status.result?.runId;
    expect(typeof runId).toBe('string');
    expect(await getRun(app.db, String(runId))).toMatchObject({
      status: 'succeeded',
      integrationId: integration.id,
    });
    expect(await listRuns(app.db, { integrationId: integration.id })).toHaveLength(1);
    expect(sim.stats().calls[ONCE_PER_SYNC]).toBe(1);
  });

  it('deduplicates by singleton key while a job is queued or running, then accepts a new one', async () => {
    jobs = createInProcessJobs(app);
    const payload = { integrationId: integration.id };
    const first = await jobs.enqueue('sync.integration', payload);
    const whileQueued = await jobs.enqueue('sync.integration', payload);
    expect(whileQueued).toEqual({ jobId: first.jobId, deduplicated: true });

    await jobs.start();
    expect((await jobs.status(first.jobId))?.state).toBe('running');
    const whileRunning = await jobs.enqueue('sync.integration', payload);
    expect(whileRunning).toEqual({ jobId: first.jobId, deduplicated: true });

    expect((await settled(jobs, first.jobId)).state).toBe('succeeded');
    expect(await listRuns(app.db, { integrationId: integration.id })).toHaveLength(1);
    expect(sim.stats().calls[ONCE_PER_SYNC]).toBe(1);

    const later = await jobs.enqueue('sync.integration', payload);
    expect(later.deduplicated).toBe(false);
    expect(later.jobId).not.toBe(first.jobId);
    expect((await settled(jobs, later.jobId)).state).toBe('succeeded');
    expect(await listRuns(app.db, { integrationId: integration.id })).toHaveLength(2);
    expect(sim.stats().calls[ONCE_PER_SYNC]).toBe(2);
  });

  it('skips, without retrying, a sync that is already running elsewhere', async () => {
    const elsewhere = await startRun(app.db, {
      integrationId: integration.id,
      plan: 'org',
      now: new Date().toISOString(),
    });
    jobs = createInProcessJobs(app, {}, { retry: { 'sync.integration': { attempts: 3, backoffMs: 1 } } });
    await jobs.start();
    const { jobId } = await jobs.enqueue('sync.integration', { integrationId: integration.id });
    const status = await settled(jobs, jobId);
    expect(status).toMatchObject({ state: 'skipped', attempts: 1 });
    expect(status.error).toMatch(/already running/);
    expect((await listRuns(app.db, { integrationId: integration.id })).map((r) => r.id)).toEqual([elsewhere]);
    expect(sim.stats().calls[ONCE_PER_SYNC]).toBeUndefined();
  });

  it('fails at once, without retrying, for an integration that no longer exists', async () => {
    jobs = createInProcessJobs(app, {}, { retry: { 'sync.integration': { attempts: 3, backoffMs: 1 } } });
    await jobs.start();
    const { jobId } = await jobs.enqueue('sync.integration', { integrationId: 'no-such-integration' });
    const status = await settled(jobs, jobId);
    expect(status).toMatchObject({ state: 'failed', attempts: 1 });
    expect(status.error).toMatch(/no-such-integration/);
  });

  it('retries a failed sync per the policy, and the retry resumes it to success', async () => {
    // Projects come back malformed until the simulator is told otherwise: the sync run fails.
    sim.configure({
      faults: [{ endpoint: 'GET /rest/api/3/project/search', kind: 'malformed', probability: 1 }],
    });
    jobs = createInProcessJobs(app, {}, { retry: { 'sync.integration': { attempts: 2, backoffMs: 300 } } });
    await jobs.start();
    const { jobId } = await jobs.enqueue('sync.integration', { integrationId: integration.id });
    await waitFor(
      async () => ((await jobs?.status(jobId))?.state === 'retrying' ? true : undefined),
      'the first try to fail',
    );
    sim.configure({ faults: [] });
    const status = await settled(jobs, jobId);
    expect(status).toMatchObject({ state: 'succeeded', attempts: 2 });
    const runs = await listRuns(app.db, { integrationId: integration.id });
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'failed']);
  });
});

describeEachDialect('in-process jobs without Atlassian', ({ getStore, getDataDir }) => {
  let app: App;
  beforeEach(() => {
    app = testApp(getStore(), getDataDir());
  });

  it('retries a failing handler up to the policy, with backoff', async () => {
    const tries: number[] = [];
    jobs = createInProcessJobs(
      app,
      {
        'sync.integration': (_app, _payload, { attempt }) => {
          tries.push(Date.now());
          return Promise.reject(new Error(`boom ${String(attempt)}`));
        },
      },
      { retry: { 'sync.integration': { attempts: 3, backoffMs: 40 } } },
    );
    await jobs.start();
    const { jobId } = await jobs.enqueue('sync.integration', { integrationId: 'x' });
    const status = await settled(jobs, jobId);
    expect(status).toMatchObject({
      state: 'failed',
      attempts: 3,
      maxAttempts: 3,
      error: 'boom 3',
      result: null,
    });
    expect(tries).toHaveLength(3);
    // Backoff doubles: 40 ms, then 80 ms (timers may fire a little early or late, never much early).
    expect((tries[1] ?? 0) - (tries[0] ?? 0)).toBeGreaterThanOrEqual(35);
    expect((tries[2] ?? 0) - (tries[1] ?? 0)).toBeGreaterThanOrEqual(75);
  });

  it('succeeds on a later try and reports the handler result', async () => {
    let calls = 0;
    jobs = createInProcessJobs(
      app,
      {
        'sync.integration': () => {
          calls += 1;
          return calls < 2 ? Promise.reject(new Error('transient')) : Promise.resolve({ done: true });
        },
      },
      { retry: { 'sync.integration': { attempts: 3, backoffMs: 5 } } },
    );
    await jobs.start();
    const { jobId } = await jobs.enqueue('sync.integration', { integrationId: 'x' });
    expect(await settled(jobs, jobId)).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      result: { done: true },
      error: null,
    });
  });

  it('uses the type policy by default, and stop() cancels a pending backoff', async () => {
    const policy = JOB_TYPES['sync.integration'].retry;
    jobs = createInProcessJobs(app, { 'sync.integration': () => Promise.reject(new Error('down')) });
    await jobs.start();
    const { jobId } = await jobs.enqueue('sync.integration', { integrationId: 'x' });
    const retrying = await waitFor(async () => {
      const status = await jobs?.status(jobId);
      return status?.state === 'retrying' ? status : undefined;
    }, 'a retry to be scheduled');
    expect(retrying.maxAttempts).toBe(policy.attempts);
    const wait = Date.parse(retrying.nextAttemptAt ?? '') - Date.now();
    expect(wait).toBeGreaterThan(policy.backoffMs - 1_000);
    await jobs.stop();
    expect(await jobs.status(jobId)).toMatchObject({ state: 'queued', nextAttemptAt: null, attempts: 1 });
  });

  it('refuses a payload that does not fit the type', async () => {
    jobs = createInProcessJobs(app);
    const bad = [{ integrationId: '' }, { integrationId: 7 }, { integrationId: 'a', extra: true }, {}];
    for (const payload of bad) {
      await expect(
        jobs.enqueue('sync.integration', payload as unknown as Payload<'sync.integration'>),
      ).rejects.toThrow();
    }
  });

  it('runs at most `concurrency` jobs at once', async () => {
    let active = 0;
    let peak = 0;
    const queue = createInProcessJobs(
      app,
      {
        'sync.integration': async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 30));
          active -= 1;
          return {};
        },
      },
      { concurrency: 2 },
    );
    jobs = queue;
    await queue.start();
    const ids = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((id) => queue.enqueue('sync.integration', { integrationId: id })),
    );
    for (const { jobId } of ids) expect((await settled(queue, jobId)).state).toBe('succeeded');
    expect(peak).toBe(2);
  });
});
