// Per-endpoint call counters, so tests and benchmarks can assert how many calls a client made.

import type { FaultKind } from './config.ts';

export type HostLabel = 'site' | 'gateway' | 'admin' | 'user-management';

export interface SimStats {
  /** Calls per `"METHOD /route/pattern"`; gateway calls use the Jira pattern. */
  calls: Record<string, number>;
  byHost: Record<HostLabel, number>;
  total: number;
  rateLimited: number;
  faults: number;
  faultsByKind: Partial<Record<FaultKind, number>>;
}

export function emptyStats(): SimStats {
  return {
    calls: {},
    byHost: { site: 0, gateway: 0, admin: 0, 'user-management': 0 },
    total: 0,
    rateLimited: 0,
    faults: 0,
    faultsByKind: {},
  };
}

export class StatsRecorder {
  private stats = emptyStats();

  call(key: string, host: HostLabel): void {
    this.stats.calls[key] = (this.stats.calls[key] ?? 0) + 1;
    this.stats.byHost[host] += 1;
    this.stats.total += 1;
  }

  rateLimited(): void {
    this.stats.rateLimited += 1;
  }

  fault(kind: FaultKind): void {
    this.stats.faults += 1;
    this.stats.faultsByKind[kind] = (this.stats.faultsByKind[kind] ?? 0) + 1;
  }

  snapshot(): SimStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = emptyStats();
  }
}
