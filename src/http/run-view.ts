// A sync run as the API shows it: no checkpoint internals, plus a progress line while it runs.
import type { SyncRun } from '../storage/sync-runs.ts';

export interface SyncRunView extends Omit<SyncRun, 'checkpoint' | 'resumedFrom'> {
  progress?: { phase: string; items: number; calls: number };
}

function currentPhase(checkpoint: unknown): string {
  if (typeof checkpoint !== 'object' || checkpoint === null || !('phases' in checkpoint)) return 'starting';
  const phases = checkpoint.phases;
  if (typeof phases !== 'object' || phases === null) return 'starting';
  const entries = Object.entries(phases as Record<string, { done?: unknown }>);
  const open = entries.find(([, state]) => state.done !== true);
  return open?.[0] ?? entries.at(-1)?.[0] ?? 'starting';
}

export function toRunView(run: SyncRun): SyncRunView {
  const { checkpoint, resumedFrom: _resumedFrom, ...rest } = run;
  if (run.status !== 'running') return rest;
  const items = Object.values(run.counts).reduce((sum, n) => sum + n, 0);
  return { ...rest, progress: { phase: currentPhase(checkpoint), items, calls: run.apiCalls } };
}
