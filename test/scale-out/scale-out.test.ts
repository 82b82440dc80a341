// Scale-out with real processes on a real PostgreSQL: several `seatwarden serve --role worker`
// nodes share one schedule and one pg-boss queue; a node killed with SIGKILL mid-sync or
// mid-provisioning leaves its work to another node, and nothing is lost or sent twice.
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { createOffboarding, getOperation } from '../../src/actions/service.ts';
import { createJobs, type JobQueue } from '../../src/jobs/index.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { listTicks } from '../../src/storage/schedule-ticks.ts';
import { setSyncSchedule } from '../../src/storage/schedules.ts';
import { listRuns } from '../../src/storage/sync-runs.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { editableGroups, person, writeCalls } from '../actions/harness.ts';
import { connectSimulator } from '../support/app.ts';
import { dialects } from '../support/databases.ts';
import { eventually, startCluster, type Cluster } from './cluster.ts';

/** Called once per sync, so the simulator's count of it is the number of syncs that ran. */
const ONCE_PER_SYNC = 'GET /rest/api/3/project/search';
const REMOVE_MEMBER =
  'DELETE /admin/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships/:accountId';
const SUSPEND = 'POST /admin/v2/orgs/:orgId/directories/:directoryId/users/:accountId/suspend';

describe.runIf(dialects.includes('postgres'))('scale-out on PostgreSQL [multi-process]', () => {
  let cluster: Cluster;
  let sim: Simulator;
  let integration: IntegrationSummary;
  let enqueuer: JobQueue | undefined;

  /** Jobs of a type not yet finished, across the cluster (pg-boss's table). */
  const unfinishedJobs = async (type: string): Promise<number> => {
    const schema = String(cluster.env.SEATWARDEN_JOBS_SCHEMA);
    const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${schema}.job`)}
      where name = ${type} and state < 'completed'`.execute(cluster.app.db);
    return Number(result.rows[0]?.n ?? 0);
  };

  afterEach(async () => {
    await enqueuer?.stop();
    enqueuer = undefined;
    await cluster.stop();
    await sim.stop();
  });

  describe('schedules and syncs', () => {
    beforeEach(async () => {
      sim = await startSimulator({ users: 30, seed: 21 });
      cluster = await startCluster();
      integration = await connectSimulator(cluster.app, sim);
      sim.resetStats();
    });

    it('three workers, one schedule: each tick runs exactly one sync', async () => {
      await setSyncSchedule(cluster.app.db, integration.id, '*/3 * * * * *', true);
      await Promise.all([1, 2, 3].map(() => cluster.startNode('worker')));

      // At a quiet moment (no sync queued or running, no tick in between), ticks = runs = syncs.
      const quiet = await eventually(
        async () => {
          const before = await listTicks(cluster.app.db, `sync:${integration.id}`);
          const runs = await listRuns(cluster.app.db, { integrationId: integration.id, limit: 100 });
          const pending = await unfinishedJobs('sync.integration');
          const after = await listTicks(cluster.app.db, `sync:${integration.id}`);
          const settled = runs.every((r) => r.status !== 'running') && pending === 0;
          if (before.length < 3 || before.length !== after.length || !settled) return undefined;
          return { ticks: before, runs, syncs: sim.stats().calls[ONCE_PER_SYNC] ?? 0 };
        },
        'three ticks with every sync finished',
        90_000,
      );
      expect(quiet.runs).toHaveLength(quiet.ticks.length);
      expect(quiet.syncs).toBe(quiet.ticks.length);
      expect(quiet.runs.every((r) => r.status === 'succeeded')).toBe(true);
      // Several nodes ran the schedule; each tick was claimed once.
      expect(new Set(quiet.ticks.map((t) => t.tickAt)).size).toBe(quiet.ticks.length);
    });

    it('a worker killed mid-sync: another node takes the run over and finishes it', async () => {
      sim = await restartSim(sim, 400);
      integration = await connectSimulator(cluster.app, sim, { label: 'big' });
      sim.configure({ latencyMs: 60 });
      const doomed = await cluster.startNode('worker', { name: 'doomed' });
      enqueuer = createJobs(cluster.app);
      await enqueuer.enqueue('sync.integration', { integrationId: integration.id });

      const running = await eventually(async () => {
        const [run] = await listRuns(cluster.app.db, { integrationId: integration.id, limit: 1 });
        return run?.status === 'running' && run.apiCalls >= 5 ? run : undefined;
      }, 'the sync to be under way');
      await doomed.kill('SIGKILL');
      const callsBeforeKill = sim.stats().calls[ONCE_PER_SYNC] ?? 0;
      sim.configure({ latencyMs: 0 });

      await cluster.startNode('worker', { name: 'survivor' });
      const finished = await eventually(async () => {
        const runs = await listRuns(cluster.app.db, { integrationId: integration.id, limit: 10 });
        return runs.some((r) => r.status === 'succeeded') ? runs : undefined;
      }, 'the sync to finish on the other node');
      // The same run, taken over and resumed from its checkpoint: one run, not a second sync (at
      // most the phase that was under way is read again).
      expect(finished.map((r) => r.id)).toEqual([running.id]);
      expect(sim.stats().calls[ONCE_PER_SYNC]).toBeLessThanOrEqual(callsBeforeKill + 1);

      // Nothing lost, nothing twice: the inventory matches the simulator.
      const accounts = await cluster.app.db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('integration_id', '=', integration.id)
        .where('removed_at', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(accounts.n)).toBe(sim.state.accounts.size);
      const memberships = await cluster.app.db
        .selectFrom('group_memberships')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('integration_id', '=', integration.id)
        .where('removed_at', 'is', null)
        .executeTakeFirstOrThrow();
      const simMemberships = [...sim.state.groups.values()].reduce((n, g) => n + g.members.size, 0);
      expect(Number(memberships.n)).toBe(simMemberships);
    });
  });

  describe('provisioning', () => {
    beforeEach(async () => {
      sim = await startSimulator({ users: 200, seed: 13 });
      cluster = await startCluster();
      integration = await connectSimulator(cluster.app, sim);
    });

    it('a worker killed mid-offboarding: each call reaches the simulator exactly once', async () => {
      const account = person(sim, (a) => a.managed);
      const groups = editableGroups(sim)
        .filter((g) => g.directoryId === account.directoryId && !g.members.has(account.accountId))
        .slice(0, 6);
      for (const g of groups) g.members.add(account.accountId);
      sim.runtime.indexes.invalidate();
      expect((await syncIntegration(cluster.app, integration)).status).toBe('succeeded');
      const memberships = [...sim.state.groups.values()].filter(
        (g) => g.members.has(account.accountId) && !g.idpManaged,
      );
      const roleGrants = [...sim.state.projects.values()].flatMap((p) =>
        [...p.roles.values()].filter((r) => r.users.has(account.accountId)),
      ).length;
      sim.resetStats();

      // The first worker's admin calls leave a second apart, so it can be killed between two.
      const doomed = await cluster.startNode('worker', {
        name: 'doomed',
        env: { SEATWARDEN_ADMIN_RATE: '1/s, burst 1' },
      });
      const who = { actor: 'admin@example.com', via: 'api' as const };
      const operationId = await createOffboarding(
        cluster.app,
        integration,
        { accountId: account.accountId },
        who,
      );
      enqueuer = createJobs(cluster.app);
      await enqueuer.enqueue('actions.operation', { operationId, ...who });

      const stillMember = (): number => memberships.filter((g) => g.members.has(account.accountId)).length;
      await eventually(
        () => Promise.resolve(stillMember() <= memberships.length - 2 ? true : undefined),
        'two memberships removed by the first worker',
      );
      await doomed.kill('SIGKILL');
      await delay(500); // a call in flight when the process died finishes in the simulator
      expect(sim.stats().calls[REMOVE_MEMBER] ?? 0).toBeLessThan(memberships.length);

      await cluster.startNode('worker', { name: 'survivor' });
      const done = await eventually(async () => {
        const operation = await getOperation(cluster.app.db, operationId);
        return operation && !['pending', 'running'].includes(operation.status) ? operation : undefined;
      }, 'the offboarding to finish on the other node');
      expect(done.status).toBe('succeeded');

      const REMOVE_ACTOR = 'DELETE /rest/api/3/project/:projectIdOrKey/role/:id';
      expect(writeCalls(sim)).toEqual({
        [REMOVE_MEMBER]: memberships.length,
        [SUSPEND]: 1,
        ...(roleGrants > 0 ? { [REMOVE_ACTOR]: roleGrants } : {}),
      });
      expect(sim.state.accounts.get(account.accountId)?.membershipStatus).toBe('suspended');
    });
  });
});

async function restartSim(previous: Simulator, users: number): Promise<Simulator> {
  await previous.stop();
  return startSimulator({ users, seed: 22 });
}
