import { expect, it } from 'vitest';
import {
  findInterruptedRun,
  finishRun,
  getRun,
  heartbeat,
  listRuns,
  saveCheckpoint,
  startRun,
  SyncAlreadyRunningError,
  takeOverRun,
} from '../../src/storage/sync-runs.ts';
import { describeEachDialect } from '../support/databases.ts';
import { addIntegration, at } from './fixtures.ts';

describeEachDialect('sync runs', ({ getStore }) => {
  it('allows one running sync per integration, enforced by the database', async () => {
    const { db } = getStore();
    const a = await addIntegration(db, 'a');
    const b = await addIntegration(db, 'b');
    const first = await startRun(db, { integrationId: a, plan: 'org', now: at(0) });
    await expect(startRun(db, { integrationId: a, plan: 'jira', now: at(0) })).rejects.toBeInstanceOf(
      SyncAlreadyRunningError,
    );
    await expect(startRun(db, { integrationId: a, plan: 'jira', now: at(0) })).rejects.toMatchObject({
      code: 'sync_already_running',
    });
    // Concurrent starts: exactly one wins.
    const racing = await Promise.allSettled(
      [1, 2, 3].map(() => startRun(db, { integrationId: b, plan: 'org', now: at(0) })),
    );
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);

    await finishRun(db, first, {
      status: 'succeeded',
      complete: true,
      now: at(1),
      counts: { accounts: 3 },
      apiCalls: 7,
      errors: [],
    });
    const next = await startRun(db, { integrationId: a, plan: 'org', now: at(2) });
    expect(next).not.toBe(first);
    const done = await getRun(db, first);
    expect(done).toMatchObject({
      status: 'succeeded',
      complete: true,
      finishedAt: at(1),
      counts: { accounts: 3 },
      apiCalls: 7,
    });
    expect((await listRuns(db, { integrationId: a })).map((r) => r.id)).toEqual([next, first]);
  });

  it('finds an interrupted run by stale heartbeat and lets exactly one worker take it over', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    const runId = await startRun(db, { integrationId: id, plan: 'org', now: at(0) });
    await saveCheckpoint(db, runId, { phase: 'users', cursor: 'abc' }, at(0.01));
    expect(await findInterruptedRun(db, id, at(0.005))).toBeUndefined();
    await heartbeat(db, runId, at(0.02));
    const stale = at(0.5);
    const interrupted = await findInterruptedRun(db, id, stale);
    expect(interrupted).toMatchObject({
      id: runId,
      checkpoint: { phase: 'users', cursor: 'abc' },
      status: 'running',
    });

    const claims = await Promise.all(
      [1, 2].map(() => takeOverRun(db, runId, { now: at(1), staleBeforeIso: stale })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await findInterruptedRun(db, id, stale)).toBeUndefined();
  });

  it('resumes an interrupted run as a new run carrying its checkpoint', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    const old = await startRun(db, { integrationId: id, plan: 'org', now: at(0) });
    await saveCheckpoint(db, old, { page: 5 });
    const resumed = await startRun(db, { integrationId: id, plan: 'org', now: at(1), resumedFrom: old });
    expect(await getRun(db, resumed)).toMatchObject({
      status: 'running',
      resumedFrom: old,
      checkpoint: { page: 5 },
    });
    expect(await getRun(db, old)).toMatchObject({ status: 'failed' });
  });
});
