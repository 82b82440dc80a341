// The messages between the benchmark and a sync child. The child is its own process so that its peak
// RSS and CPU time are the sync's own, not the simulator's.
import type { SyncPlanKind } from '../src/domain/sync-plan.ts';

export interface SyncJob {
  plan: SyncPlanKind;
  /** The child's SQLite store lives here. */
  dataDir: string;
  /** Client budgets as Seatwarden's configuration spells them, e.g. `"10/s, burst 20"`. */
  jiraRate: string;
  adminRate: string;
  /** How many syncs to run; every one after the first is a re-sync with nothing changed. */
  runs: number;
  sim: {
    siteUrl: string;
    adminApiUrl: string;
    orgId: string;
    adminEmail: string;
    apiToken: string;
    orgApiKey: string;
  };
}

/** The environment variable that carries the job to the child. */
export const JOB_ENV = 'SEATWARDEN_BENCH_JOB';

export interface SyncMeasurement {
  status: 'succeeded' | 'failed';
  errors: string[];
  apiCalls: number;
  wallMs: number;
  cpuMs: number;
  /** Outcome counts, e.g. `accounts.inserted`. */
  counts: Record<string, number>;
  swept: Record<string, number>;
  /** Checkpoint saves to the run row: one per page with a resume point plus one per finished phase. */
  checkpointWrites: number;
  /** Rows in each table after the run (to show what else a re-sync left behind). */
  tableRows: Record<string, number>;
}

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'synced'; run: number; measurement: SyncMeasurement }
  | { type: 'done'; maxRssBytes: number };

/** The parent says when to start each run, so it can reset the simulator's counters in between. */
export type ParentMessage = { type: 'go' };
