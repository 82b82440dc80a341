// The sync measurements: each plan in a child process against a running simulator, with no limit
// (calls, overhead, RSS, re-sync) or under the profile's budget and latency (wall time vs the floor),
// and the jira.js script under the same latency.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SimStats, Simulator } from '../sim/index.ts';
import { minimalCalls, type OrgShape, type SyncPlanKind } from '../src/domain/sync-plan.ts';
import { runJiraJsScript } from './jira-js-script.ts';
import { rateText, UNLIMITED_RATE, type BenchProfile } from './profiles.ts';
import type { SyncJob, SyncMeasurement } from './protocol.ts';
import type { CallsByBucket, JiraJsRun, LimitedSync, ResyncWrites, UnlimitedSync } from './results.ts';
import { runSyncProcess } from './sync-process.ts';

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The org's shape as the minimal-plan formula needs it, read from the simulator's own state. */
export function orgShapeOf(sim: Simulator): OrgShape {
  const accounts = [...sim.state.accounts.values()];
  return {
    jiraUsers: accounts.length,
    directoryUsers: accounts.filter((a) => a.directoryId !== null && a.accountType === 'atlassian').length,
    appAccounts: accounts.filter((a) => a.accountType === 'app').length,
    groups: sim.state.groups.size,
    groupSizes: [...sim.state.groups.values()].map((g) => g.members.size),
    projectRoleCounts: [...sim.state.projects.values()].map((p) => p.roles.size),
  };
}

export function callsByBucket(stats: SimStats): CallsByBucket {
  return {
    site: stats.byHost.site + stats.byHost.gateway,
    org: stats.byHost.admin + stats.byHost['user-management'],
  };
}

/** Buckets drain in parallel, so the slowest one sets the floor. */
export function floorSeconds(calls: CallsByBucket, ratePerSecond: number, burst = 0): number {
  return Math.max(0, Math.max(calls.site, calls.org) - burst) / ratePerSecond;
}

function job(sim: Simulator, plan: SyncPlanKind, dataDir: string, rate: string, runs: number): SyncJob {
  return {
    plan,
    dataDir,
    jiraRate: rate,
    adminRate: rate,
    runs,
    sim: {
      siteUrl: sim.siteUrl,
      adminApiUrl: sim.adminApiUrl,
      orgId: sim.orgId,
      adminEmail: sim.credentials.adminEmail,
      apiToken: sim.credentials.apiToken,
      orgApiKey: sim.credentials.orgApiKey,
    },
  };
}

function requireSuccess(what: string, m: SyncMeasurement): void {
  if (m.status !== 'succeeded') throw new Error(`${what} failed: ${m.errors.join('; ')}`);
}

function resyncWrites(calls: number, first: SyncMeasurement, again: SyncMeasurement): ResyncWrites {
  const written = (key: string): boolean => key.endsWith('.inserted') || key.endsWith('.updated');
  const sum = (entries: [string, number][]): number => entries.reduce((total, [, n]) => total + n, 0);
  const counts = Object.entries(again.counts);
  return {
    calls,
    accountRowsWritten: sum(counts.filter(([k]) => k.startsWith('accounts.') && written(k))),
    otherInventoryRowsWritten:
      sum(counts.filter(([k]) => !k.startsWith('accounts.') && written(k))) +
      sum(Object.entries(again.swept)),
    runRecords: (again.tableRows.sync_runs ?? 0) - (first.tableRows.sync_runs ?? 0),
    checkpointWrites: again.checkpointWrites,
    // Every key the run saw (written or not) went to sync_seen; roles are not swept, so not recorded.
    transientSeenKeys: sum(counts.filter(([k]) => !k.startsWith('roles.'))),
    historyRowsAdded: (again.tableRows.account_history ?? 0) - (first.tableRows.account_history ?? 0),
  };
}

export interface UnlimitedRun {
  result: UnlimitedSync;
  dataDir: string;
}

export async function measureUnlimited(
  sim: Simulator,
  size: number,
  plan: SyncPlanKind,
): Promise<UnlimitedRun> {
  sim.configure({ siteBudget: null, orgBudget: null, latencyMs: 0 });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `seatwarden-bench-${plan}-${String(size)}-`));
  const { runs, maxRssBytes } = await runSyncProcess(sim, job(sim, plan, dataDir, UNLIMITED_RATE, 2));
  const [first, again] = runs;
  if (!first || !again) throw new Error('the sync child reported fewer runs than asked');
  requireSuccess(`${plan} sync of ${String(size)}`, first.measurement);
  requireSuccess(`${plan} re-sync of ${String(size)}`, again.measurement);
  const minimal = minimalCalls(plan, orgShapeOf(sim));
  const cpuSeconds = first.measurement.cpuMs / 1000;
  return {
    dataDir,
    result: {
      size,
      plan,
      calls: first.sim.total,
      minimalCalls: minimal,
      callRatio: round(first.sim.total / minimal, 3),
      wallSeconds: round(first.measurement.wallMs / 1000),
      cpuSeconds: round(cpuSeconds),
      cpuSecondsPer1000Accounts: round(cpuSeconds / (size / 1000), 3),
      peakRssMb: round(maxRssBytes / 2 ** 20, 0),
      resync: resyncWrites(again.sim.total, first.measurement, again.measurement),
    },
  };
}

function limitSimulator(sim: Simulator, profile: BenchProfile): void {
  const budget = { capacity: profile.budget.burst, refillPerSecond: profile.budget.ratePerSecond };
  sim.configure({ siteBudget: budget, orgBudget: budget, latencyMs: profile.latencyMs });
}

export async function measureLimited(
  sim: Simulator,
  size: number,
  plan: SyncPlanKind,
  profile: BenchProfile,
): Promise<LimitedSync> {
  limitSimulator(sim, profile);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `seatwarden-bench-limited-${plan}-${String(size)}-`));
  const { runs } = await runSyncProcess(sim, job(sim, plan, dataDir, rateText(profile.budget), 1)).finally(
    () => rm(dataDir, { recursive: true, force: true }),
  );
  const [run] = runs;
  if (!run) throw new Error('the sync child reported no run');
  requireSuccess(`rate-limited ${plan} sync of ${String(size)}`, run.measurement);
  const buckets = callsByBucket(run.sim);
  const floor = floorSeconds(buckets, profile.budget.ratePerSecond);
  const strictFloor = floorSeconds(buckets, profile.budget.ratePerSecond, profile.budget.burst);
  const wall = run.measurement.wallMs / 1000;
  return {
    size,
    plan,
    calls: run.sim.total,
    callsByBucket: buckets,
    floorSeconds: round(floor),
    wallSeconds: round(wall),
    floorRatio: round(wall / floor, 3),
    strictFloorSeconds: round(strictFloor),
    strictFloorRatio: round(wall / strictFloor, 3),
    rateLimited: run.sim.rateLimited,
  };
}

/**
 * The jira.js script under the same latency. Its floor uses the same budget; the simulator's budget
 * is lifted for it because jira.js has no 429 handling, so a doc-style script stops at the first 429.
 */
export async function measureJiraJs(sim: Simulator, size: number, profile: BenchProfile): Promise<JiraJsRun> {
  sim.configure({ siteBudget: null, orgBudget: null, latencyMs: profile.latencyMs });
  sim.resetStats();
  const script = await runJiraJsScript({
    siteUrl: sim.siteUrl,
    email: sim.credentials.adminEmail,
    apiToken: sim.credentials.apiToken,
  });
  const stats = sim.stats();
  const floor = floorSeconds(callsByBucket(stats), profile.budget.ratePerSecond);
  const wall = script.wallMs / 1000;
  return {
    size,
    calls: stats.total,
    floorSeconds: round(floor),
    wallSeconds: round(wall),
    floorRatio: round(wall / floor, 3),
    users: script.users,
    memberships: script.memberships,
    roleActors: script.roleActors,
    ...(script.error === undefined ? {} : { error: script.error }),
  };
}
