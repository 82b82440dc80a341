// Sync schedules: stored per integration on both stores, validated, and run by croner through the
// in-process engine against the simulator.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import {
  createInProcessJobs,
  DEFAULT_SYNC_CRON,
  getSyncSchedule,
  InvalidCronError,
  listSyncSchedules,
  resetSyncSchedule,
  setSyncSchedule,
  startSchedules,
  validateCron,
  type JobQueue,
  type Schedules,
} from '../../src/jobs/index.ts';
import { removeIntegration } from '../../src/integrations/service.ts';
import { IntegrationNotFoundError } from '../../src/storage/integrations.ts';
import { listRuns } from '../../src/storage/sync-runs.ts';
import { addIntegration } from '../storage/fixtures.ts';
import { connectSimulator, testApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { waitFor } from './support.ts';

const EVERY_SECOND = '*/1 * * * * *';

it('validates cron expressions with a clear error', () => {
  expect(validateCron('  0  */6 * * * ')).toBe('0 */6 * * *');
  expect(validateCron(EVERY_SECOND)).toBe(EVERY_SECOND);
  expect(validateCron('@daily')).toBe('@daily');
  for (const bad of [
    '',
    'bogus',
    '61 * * * *',
    '* * * * * * *',
    '0 0 30 2 *',
    '2030-01-01T00:00:00',
    'x'.repeat(200),
  ]) {
    expect(() => validateCron(bad), bad).toThrow(InvalidCronError);
  }
  expect(() => validateCron('61 * * * *')).toThrow(/Invalid cron expression "61 \* \* \* \*": .*minute/);
});

describeEachDialect('sync schedule storage', ({ getStore }) => {
  it('defaults to every 6 hours, stores changes, and resets', async () => {
    const { db } = getStore();
    const a = await addIntegration(db, 'a');
    const b = await addIntegration(db, 'b');
    expect(await getSyncSchedule(db, a)).toEqual({
      integrationId: a,
      cron: DEFAULT_SYNC_CRON,
      enabled: true,
      updatedAt: null,
      isDefault: true,
    });
    expect(DEFAULT_SYNC_CRON).toBe('0 */6 * * *');

    const now = '2026-11-23T10:00:00.000Z';
    expect(await setSyncSchedule(db, a, '15 3 * * *', false, now)).toMatchObject({
      cron: '15 3 * * *',
      enabled: false,
    });
    // Setting again replaces the row.
    await setSyncSchedule(db, a, '30 */2 * * *', true, now);
    expect(await getSyncSchedule(db, a)).toEqual({
      integrationId: a,
      cron: '30 */2 * * *',
      enabled: true,
      updatedAt: now,
      isDefault: false,
    });
    const all = await listSyncSchedules(db);
    expect(all.map((s) => [s.integrationId, s.cron, s.isDefault]).sort()).toEqual(
      [
        [a, '30 */2 * * *', false],
        [b, DEFAULT_SYNC_CRON, true],
      ].sort(),
    );

    await resetSyncSchedule(db, a);
    expect(await getSyncSchedule(db, a)).toMatchObject({ cron: DEFAULT_SYNC_CRON, isDefault: true });
    expect(await getSyncSchedule(db, 'missing')).toBeUndefined();
  });

  it('refuses a bad cron and an unknown integration, storing nothing', async () => {
    const { db } = getStore();
    const a = await addIntegration(db);
    await expect(setSyncSchedule(db, a, 'every six hours', true)).rejects.toBeInstanceOf(InvalidCronError);
    await expect(setSyncSchedule(db, a, '0 */6 * *', true)).rejects.toMatchObject({ code: 'invalid_cron' });
    await expect(setSyncSchedule(db, 'missing', '0 * * * *', true)).rejects.toBeInstanceOf(
      IntegrationNotFoundError,
    );
    expect(await getSyncSchedule(db, a)).toMatchObject({ isDefault: true });
    expect(await listSyncSchedules(db)).toHaveLength(1);
  });
});

describeEachDialect('scheduled syncs', ({ getStore, getDataDir }) => {
  let sim: Simulator;
  let jobs: JobQueue | undefined;
  let schedules: Schedules | undefined;

  beforeEach(async () => {
    sim = await startSimulator({ users: 20, seed: 8 });
  });
  afterEach(async () => {
    schedules?.stop();
    await jobs?.stop();
    schedules = undefined;
    jobs = undefined;
    await sim.stop();
  });

  it('fires a per-second schedule that runs real syncs, and stop() stops it', async () => {
    const app = testApp(getStore(), getDataDir());
    const fast = await connectSimulator(app, sim, { label: 'fast' });
    const slow = await connectSimulator(app, sim, { label: 'slow' });
    await setSyncSchedule(app.db, fast.id, EVERY_SECOND, true);
    jobs = createInProcessJobs(app);
    await jobs.start();
    schedules = await startSchedules(app, jobs);

    const scheduled = schedules.scheduled();
    expect(scheduled.map((s) => [s.integrationId, s.cron]).sort()).toEqual(
      [
        [fast.id, EVERY_SECOND],
        [slow.id, DEFAULT_SYNC_CRON],
      ].sort(),
    );
    const slowNext = scheduled.find((s) => s.integrationId === slow.id)?.nextRunAt ?? '';
    expect(new Date(slowNext).getUTCHours() % 6).toBe(0);
    expect(new Date(slowNext).getUTCMinutes()).toBe(0);

    await waitFor(async () => {
      const runs = await listRuns(app.db, { integrationId: fast.id });
      return runs.filter((r) => r.status === 'succeeded').length >= 2 ? runs : undefined;
    }, 'two scheduled syncs to succeed');
    expect(await listRuns(app.db, { integrationId: slow.id })).toHaveLength(0);

    schedules.stop();
    expect(schedules.scheduled()).toEqual([]);
    await jobs.stop();
    await jobs.start();
    const settledRuns = (await listRuns(app.db, { integrationId: fast.id })).length;
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(await listRuns(app.db, { integrationId: fast.id })).toHaveLength(settledRuns);
  });

  it('reload() picks up a disabled schedule and a removed integration', async () => {
    const app = testApp(getStore(), getDataDir());
    const a = await connectSimulator(app, sim, { label: 'a' });
    const b = await connectSimulator(app, sim, { label: 'b' });
    jobs = createInProcessJobs(app);
    schedules = await startSchedules(app, jobs);
    expect(schedules.scheduled()).toHaveLength(2);

    await setSyncSchedule(app.db, a.id, '0 1 * * *', false);
    await setSyncSchedule(app.db, b.id, '0 2 * * *', true);
    await removeIntegration(app, b);
    await schedules.reload();
    expect(schedules.scheduled()).toEqual([]);
    // The schedule went with its integration.
    expect(await listSyncSchedules(app.db)).toEqual([
      expect.objectContaining({ integrationId: a.id, enabled: false }),
    ]);

    await setSyncSchedule(app.db, a.id, '0 1 * * *', true);
    await schedules.reload();
    expect(schedules.scheduled()).toMatchObject([{ integrationId: a.id, cron: '0 1 * * *' }]);
  });
});
