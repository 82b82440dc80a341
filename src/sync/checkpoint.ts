// A run's resume point: which phases are done and where an unfinished phase stopped.
import type { ResumeToken } from '../atlassian/index.ts';
import type { SyncPlanKind } from '../domain/sync-plan.ts';

export interface PhaseState {
  done: boolean;
  /** Position after the last page fully written; absent before the first page. */
  resume?: ResumeToken;
}

export interface SyncCheckpoint {
  plan: SyncPlanKind;
  phases: Record<string, PhaseState>;
}

export function emptyCheckpoint(plan: SyncPlanKind): SyncCheckpoint {
  return { plan, phases: {} };
}

/** A checkpoint from the database is trusted only if it has the expected shape and plan. */
export function parseCheckpoint(value: unknown, plan: SyncPlanKind): SyncCheckpoint {
  if (typeof value !== 'object' || value === null) return emptyCheckpoint(plan);
  const candidate = value as Partial<SyncCheckpoint>;
  if (candidate.plan !== plan || typeof candidate.phases !== 'object') return emptyCheckpoint(plan);
  return { plan, phases: { ...candidate.phases } };
}
