// The parent side of a sync child: forks bench/sync-child.ts, resets the simulator's counters before
// each run so every run's calls are its own, and collects the child's measurements and peak RSS.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimStats, Simulator } from '../sim/index.ts';
import { JOB_ENV, type ChildMessage, type SyncJob, type SyncMeasurement } from './protocol.ts';

const CHILD = fileURLToPath(new URL('./sync-child.ts', import.meta.url));

export interface MeasuredRun {
  measurement: SyncMeasurement;
  /** What the simulator counted for this run alone. */
  sim: SimStats;
}

export interface SyncProcessResult {
  runs: MeasuredRun[];
  maxRssBytes: number;
}

export function runSyncProcess(sim: Simulator, job: SyncJob): Promise<SyncProcessResult> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [JOB_ENV]: JSON.stringify(job) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const runs: MeasuredRun[] = [];
  const go = (): void => {
    sim.resetStats();
    child.send({ type: 'go' });
  };
  return new Promise<SyncProcessResult>((resolve, reject) => {
    let maxRssBytes: number | undefined;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') go();
      else if (message.type === 'synced') {
        runs.push({ measurement: message.measurement, sim: sim.stats() });
        if (runs.length < job.runs) go();
      } else maxRssBytes = message.maxRssBytes;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && maxRssBytes !== undefined && runs.length === job.runs) resolve({ runs, maxRssBytes });
      else
        reject(
          new Error(
            `sync child (${job.plan}) exited with ${signal ?? String(code)} after ${String(runs.length)} run(s)`,
          ),
        );
    });
  });
}
