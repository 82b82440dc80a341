// The shape of a benchmark's results: what the JSON file holds and the markdown table shows.
import type { SyncPlanKind } from '../src/domain/sync-plan.ts';
import type { MachineInfo } from './machine.ts';
import type { BenchProfile } from './profiles.ts';

export interface CallsByBucket {
  site: number;
  org: number;
}

/** A sync with no rate limit and no latency: call efficiency, local overhead, memory, re-sync. */
export interface UnlimitedSync {
  size: number;
  plan: SyncPlanKind;
  calls: number;
  minimalCalls: number;
  callRatio: number;
  wallSeconds: number;
  cpuSeconds: number;
  cpuSecondsPer1000Accounts: number;
  peakRssMb: number;
  resync: ResyncWrites;
}

/** What a second sync with nothing changed wrote. */
export interface ResyncWrites {
  calls: number;
  /** Account rows inserted or updated (the target is 0). */
  accountRowsWritten: number;
  /** Any other inventory rows inserted or updated, or swept. */
  otherInventoryRowsWritten: number;
  /** The run's own record: one sync_runs row, updated at each checkpoint. */
  runRecords: number;
  checkpointWrites: number;
  /** Keys recorded in sync_seen during the run for the sweep, deleted by the sweep. */
  transientSeenKeys: number;
  /** account_history rows added by the re-sync. */
  historyRowsAdded: number;
}

/** A sync under the rate budget and the latency: wall time against the rate-limit floor. */
export interface LimitedSync {
  size: number;
  plan: SyncPlanKind;
  calls: number;
  callsByBucket: CallsByBucket;
  /** max over buckets of calls ÷ rate: no client can finish sooner without exceeding the budget. */
  floorSeconds: number;
  wallSeconds: number;
  floorRatio: number;
  /** The strict floor: the burst is free, so max over buckets of (calls − burst) ÷ rate. */
  strictFloorSeconds: number;
  strictFloorRatio: number;
  /** 429s the simulator sent. */
  rateLimited: number;
}

export interface JiraJsRun {
  size: number;
  calls: number;
  floorSeconds: number;
  wallSeconds: number;
  floorRatio: number;
  users: number;
  memberships: number;
  roleActors: number;
  error?: string;
}

export interface ApiLatency {
  size: number;
  connections: number;
  durationSeconds: number;
  requests: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  path: string;
  /** The same query straight on the store, one at a time: how much of the latency is the database. */
  storeQueryP50Ms: number;
}

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface BenchResults {
  profile: BenchProfile;
  machine: MachineInfo;
  startedAt: string;
  durationSeconds: number;
  unlimited: UnlimitedSync[];
  limited: LimitedSync[];
  jiraJs: JiraJsRun[];
  apiLatency: ApiLatency | { notMeasured: string };
  targets: TargetCheck[];
}
