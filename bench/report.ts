// Turns results into the targets check and the markdown report at bench/results/latest.md.
import { API_TIMEOUT_SECONDS } from './measure-api.ts';
import type { BenchResults, TargetCheck } from './results.ts';

type Partial = Omit<BenchResults, 'targets'>;

/** A figure for the table; a missing one (NaN, or null once read back from JSON) shows as a dash. */
const fmt = (n: number | null, digits = 2): string =>
  n === null || !Number.isFinite(n)
    ? '—'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const max = (values: number[]): number => (values.length === 0 ? Number.NaN : Math.max(...values));

export function checkTargets(r: Partial): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const callRatio = max(r.unlimited.map((u) => u.callRatio));
  checks.push({
    name: 'API calls vs the minimal plan',
    target: '≤ 1.0×',
    value: `${fmt(callRatio, 3)}× (worst)`,
    met: callRatio <= 1,
  });
  const floorRatio = max(r.limited.map((l) => l.floorRatio));
  checks.push({
    name: 'Rate-limited wall time vs the floor',
    target: '≤ 1.15×',
    value: `${fmt(floorRatio, 3)}× (worst)`,
    met: floorRatio <= 1.15,
  });
  const largest = max(r.unlimited.map((u) => u.size));
  const rss = max(r.unlimited.filter((u) => u.size === largest).map((u) => u.peakRssMb));
  checks.push({
    name: `Peak RSS of a ${fmt(largest)}-account sync`,
    target: largest === 100_000 ? '< 400 MB' : '< 400 MB (at 100,000; this run did not reach it)',
    value: `${fmt(rss, 0)} MB (worst plan)`,
    met: largest === 100_000 && rss < 400,
  });
  if ('notMeasured' in r.apiLatency) {
    checks.push({
      name: 'Accounts list p95 at 100,000 (SQLite)',
      target: '< 50 ms',
      value: `not measured: ${r.apiLatency.notMeasured}`,
      met: false,
    });
  } else {
    const at = r.apiLatency.size;
    checks.push({
      name: `Accounts list p95 at ${fmt(at)} (SQLite)`,
      target: at === 100_000 ? '< 50 ms' : '< 50 ms (at 100,000; this run did not reach it)',
      value:
        r.apiLatency.requests === 0
          ? `no request answered within ${String(API_TIMEOUT_SECONDS)} s`
          : `${fmt(r.apiLatency.p95Ms)} ms`,
      met:
        at === 100_000 && r.apiLatency.p95Ms < 50 && r.apiLatency.non2xx === 0 && r.apiLatency.errors === 0,
    });
  }
  const accountWrites = r.unlimited.reduce((sum, u) => sum + u.resync.accountRowsWritten, 0);
  checks.push({
    name: 'Re-sync with nothing changed',
    target: '0 account rows written',
    value: `${fmt(accountWrites)} account rows`,
    met: accountWrites === 0,
  });
  return checks;
}

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const budget = `${fmt(r.profile.budget.ratePerSecond)} calls/s, burst ${fmt(r.profile.budget.burst)}, per bucket`;
  const out: string[] = [];
  out.push(`# Seatwarden benchmark (${r.profile.name} run)`, '');
  out.push(
    `Run ${r.startedAt} in ${fmt(r.durationSeconds, 0)} s on ${String(m.cores)} cores (${m.cpuModel}), ${fmt(m.memoryGb, 1)} GB, Node ${m.node}, ${m.platform}.`,
    `Commit \`${m.commit}\`${m.dirty ? ' with uncommitted changes' : ''}. Simulator on loopback, seed ${String(r.profile.seed)}, SQLite store.`,
    '',
    `> ${r.profile.note}`,
    '',
  );

  out.push(
    '## Targets',
    '',
    table(
      ['Target', 'Goal', 'Measured', 'Met'],
      r.targets.map((t) => [t.name, t.target, t.value, t.met ? 'yes' : '**no**']),
    ),
    '',
  );

  out.push('## 1. API calls against the minimal plan', '');
  out.push(
    "Minimal plan: `minimalCalls()` in src/domain/sync-plan.ts, computed from the simulator's data and the page caps.",
    '',
  );
  out.push(
    table(
      ['Accounts', 'Plan', 'Calls', 'Minimal', 'Ratio'],
      r.unlimited.map((u) => [
        fmt(u.size),
        u.plan,
        fmt(u.calls),
        fmt(u.minimalCalls),
        `${fmt(u.callRatio, 3)}×`,
      ]),
    ),
    '',
  );

  out.push(
    `## 2. Wall time under a rate budget (${budget}; ${String(r.profile.latencyMs)} ms latency per call)`,
    '',
  );
  out.push(
    'The simulator enforces the budget and the client is given the same one. Floor = max over the buckets that run in parallel (Jira site, org) of calls ÷ rate. The burst lets a client beat that by burst ÷ rate seconds, so the strict floor, max of (calls − burst) ÷ rate, is shown too; the target is judged on the floor.',
    '',
  );
  out.push(
    table(
      [
        'Accounts',
        'Plan',
        'Calls (site / org)',
        'Floor s',
        'Wall s',
        'Wall ÷ floor',
        'Strict floor s',
        'Wall ÷ strict floor',
        '429s',
      ],
      r.limited.map((l) => [
        fmt(l.size),
        l.plan,
        `${fmt(l.calls)} (${fmt(l.callsByBucket.site)} / ${fmt(l.callsByBucket.org)})`,
        fmt(l.floorSeconds),
        fmt(l.wallSeconds),
        `${fmt(l.floorRatio, 3)}×`,
        fmt(l.strictFloorSeconds),
        `${fmt(l.strictFloorRatio, 3)}×`,
        fmt(l.rateLimited),
      ]),
    ),
    '',
  );

  out.push('## 3–4. Local overhead and peak RSS (no rate limit, no latency)', '');
  out.push(
    'Each sync runs in its own process (bench/sync-child.ts); CPU is user + system time of that process during the sync, RSS its peak (`maxRSS`, including the tsx loader).',
    '',
  );
  out.push(
    table(
      ['Accounts', 'Plan', 'Wall s', 'CPU s', 'CPU s per 1,000 accounts', 'Peak RSS MB'],
      r.unlimited.map((u) => [
        fmt(u.size),
        u.plan,
        fmt(u.wallSeconds),
        fmt(u.cpuSeconds),
        fmt(u.cpuSecondsPer1000Accounts, 3),
        fmt(u.peakRssMb, 0),
      ]),
    ),
    '',
  );

  out.push('## 5. Re-sync with nothing changed', '');
  out.push(
    "Rows written come from the re-sync's outcome counts (inserted + updated) and sweep counts. Besides those, a run writes its own record (one `sync_runs` row, updated at each checkpoint) and records every key it sees in `sync_seen` for the sweep, which deletes them when the run completes.",
    '',
  );
  out.push(
    table(
      [
        'Accounts',
        'Plan',
        'Calls',
        'Account rows',
        'Other inventory rows',
        'History rows',
        'Run records',
        'Checkpoint writes',
        'Transient sync_seen keys',
      ],
      r.unlimited.map((u) => [
        fmt(u.size),
        u.plan,
        fmt(u.resync.calls),
        fmt(u.resync.accountRowsWritten),
        fmt(u.resync.otherInventoryRowsWritten),
        fmt(u.resync.historyRowsAdded),
        fmt(u.resync.runRecords),
        fmt(u.resync.checkpointWrites),
        fmt(u.resync.transientSeenKeys),
      ]),
    ),
    '',
  );

  out.push('## 6. API latency: the accounts list with filters', '');
  if ('notMeasured' in r.apiLatency) out.push(`Not measured: ${r.apiLatency.notMeasured}`, '');
  else {
    const a = r.apiLatency;
    out.push(
      `autocannon, ${String(a.connections)} concurrent clients for ${String(a.durationSeconds)} s (a request unanswered after ${String(API_TIMEOUT_SECONDS)} s counts as an error), SQLite store after an org-plan sync of ${fmt(a.size)} accounts, \`GET ${a.path}\`.`,
      '',
    );
    out.push(
      table(
        [
          'Accounts',
          'Requests',
          'Non-2xx',
          'Errors',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'Store query alone, p50 ms',
        ],
        [
          [
            fmt(a.size),
            fmt(a.requests),
            fmt(a.non2xx),
            fmt(a.errors),
            fmt(a.p50Ms),
            fmt(a.p95Ms),
            fmt(a.p99Ms),
            fmt(a.storeQueryP50Ms),
          ],
        ],
      ),
      '',
      'Percentiles are exact, from every response time autocannon reported. "Store query alone" is `listAccounts()` with the same filter, run sequentially on the same store with no HTTP: the rest of the latency is HTTP, auth, serialisation and queueing behind 20 clients on one event loop.',
      '',
    );
  }

  out.push(
    `## 7. Side by side: a plain jira.js script (${String(r.profile.latencyMs)} ms latency per call)`,
    '',
  );
  out.push(
    "bench/jira-js-script.ts pages users, groups with their members, and project roles, one call at a time, with default page sizes, as jira.js's documentation shows. jira.js has no 429 handling, so the simulator's budget is lifted for it; its floor is computed with the same budget, so a ratio below 1× means the script went faster than the budget allows and would meet 429s it cannot handle. Seatwarden's rows are the rate-limited runs of section 2.",
    '',
  );
  const rows: (string | number)[][] = [];
  for (const js of r.jiraJs) {
    for (const l of r.limited.filter((x) => x.size === js.size)) {
      rows.push([
        fmt(js.size),
        `Seatwarden, ${l.plan} plan`,
        fmt(l.calls),
        fmt(l.wallSeconds),
        fmt(l.floorSeconds),
        `${fmt(l.floorRatio, 3)}×`,
        `${fmt(js.wallSeconds / l.wallSeconds, 2)}×`,
        'yes',
      ]);
    }
    rows.push([
      fmt(js.size),
      'jira.js script',
      fmt(js.calls),
      fmt(js.wallSeconds),
      fmt(js.floorSeconds),
      `${fmt(js.floorRatio, 3)}×`,
      '1×',
      js.error
        ? `no: ${js.error}`
        : `yes (${fmt(js.users)} users, ${fmt(js.memberships)} memberships, ${fmt(js.roleActors)} role actors)`,
    ]);
  }
  out.push(
    table(
      [
        'Accounts',
        'Client',
        'Calls',
        'Wall s',
        'Floor s',
        'Wall ÷ floor',
        'jira.js wall ÷ this',
        'Completed',
      ],
      rows,
    ),
    '',
  );
  out.push(
    'Run it: `npm run bench` (full, about 25 min) or `npm run bench -- --quick` (1,000 accounts).',
    '',
  );
  return out.join('\n');
}
