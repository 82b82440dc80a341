// Keeps the benchmark harness working: `npm run bench -- --quick` must produce every figure and write
// its markdown and JSON. It asserts that each figure exists and is a real measurement, never a time.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runBenchmark, writeResults } from '../../bench/run.ts';
import { PROFILES } from '../../bench/profiles.ts';
import type { BenchResults } from '../../bench/results.ts';

const outDir = await mkdtemp(path.join(os.tmpdir(), 'seatwarden-bench-test-'));
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const measured = (n: number): boolean => Number.isFinite(n) && n > 0;

it('the quick benchmark produces every figure, as markdown and JSON', { timeout: 240_000 }, async () => {
  const results = await runBenchmark(PROFILES.quick);
  const files = await writeResults(results, outDir);

  // 1, 3, 4, 5: each plan synced with no limit, calls counted against the minimal plan, re-synced.
  expect(results.unlimited.map((u) => u.plan).sort()).toEqual(['jira', 'org']);
  for (const u of results.unlimited) {
    expect(u.size).toBe(1000);
    expect(measured(u.calls) && measured(u.minimalCalls) && measured(u.callRatio)).toBe(true);
    expect(measured(u.wallSeconds) && measured(u.cpuSeconds) && measured(u.cpuSecondsPer1000Accounts)).toBe(
      true,
    );
    expect(measured(u.peakRssMb)).toBe(true);
    expect(measured(u.resync.calls)).toBe(true);
    expect(u.resync.runRecords).toBe(1);
    expect(Number.isInteger(u.resync.accountRowsWritten)).toBe(true);
    expect(measured(u.resync.transientSeenKeys)).toBe(true);
  }
  // 2: under the budget, with the floor from the simulator's own per-bucket counts.
  expect(results.limited.map((l) => l.plan).sort()).toEqual(['jira', 'org']);
  for (const l of results.limited) {
    expect(l.callsByBucket.site + l.callsByBucket.org).toBe(l.calls);
    expect(measured(l.floorSeconds) && measured(l.wallSeconds) && measured(l.floorRatio)).toBe(true);
  }
  // 7: the jira.js script ran to the end and read the whole org.
  const [script] = results.jiraJs;
  expect(script?.error).toBeUndefined();
  expect(script?.users).toBe(1000);
  expect(measured(script?.calls ?? 0) && measured(script?.wallSeconds ?? 0)).toBe(true);
  // 6: the accounts list answered under load.
  const api = results.apiLatency;
  if ('notMeasured' in api) throw new Error(`API latency not measured: ${api.notMeasured}`);
  expect(measured(api.requests) && measured(api.p50Ms) && measured(api.p95Ms)).toBe(true);
  expect(api.non2xx + api.errors).toBe(0);

  expect(results.targets.map((t) => t.name)).toHaveLength(5);
  const json = JSON.parse(await readFile(files.json, 'utf8')) as BenchResults;
  expect(json.machine.cores).toBeGreaterThan(0);
  expect(json.machine.node).toBe(process.version);
  const markdown = await readFile(files.markdown, 'utf8');
  for (const heading of ['## Targets', '## 1.', '## 2.', '## 3–4.', '## 5.', '## 6.', '## 7.'])
    expect(markdown).toContain(heading);
  expect(markdown).toContain(json.machine.commit);
});
