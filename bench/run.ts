// `npm run bench [-- --quick] [-- --out DIR]`: the benchmark harness. Runs every measurement against
// the simulator on loopback and writes a markdown table and JSON. It is a program, not a test: it
// reports figures and whether targets were met, and fails only if a measurement could not be made.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { startSimulator } from '../sim/index.ts';
import type { SyncPlanKind } from '../src/domain/sync-plan.ts';
import { machineInfo } from './machine.ts';
import { measureApiLatency } from './measure-api.ts';
import { measureJiraJs, measureLimited, measureUnlimited } from './measure-sync.ts';
import { PROFILES, type BenchProfile } from './profiles.ts';
import { checkTargets, renderMarkdown } from './report.ts';
import type { BenchResults } from './results.ts';

const PLANS: SyncPlanKind[] = ['org', 'jira'];
const DEFAULT_OUT = fileURLToPath(new URL('./results/', import.meta.url));

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

export async function runBenchmark(profile: BenchProfile): Promise<BenchResults> {
  const started = Date.now();
  const results: Omit<BenchResults, 'targets'> = {
    profile,
    machine: machineInfo(),
    startedAt: new Date(started).toISOString(),
    durationSeconds: 0,
    unlimited: [],
    limited: [],
    jiraJs: [],
    apiLatency: { notMeasured: `no run at ${String(profile.apiLatency.size)} accounts` },
  };
  const sizes = [...new Set([...profile.sizes, ...profile.limitedSizes])].sort((a, b) => a - b);
  for (const size of sizes) {
    log(`simulator with ${size.toLocaleString('en-US')} accounts`);
    const sim = await startSimulator({ users: size, seed: profile.seed });
    let apiDataDir: string | undefined;
    const dataDirs: string[] = [];
    try {
      if (profile.sizes.includes(size)) {
        for (const plan of PLANS) {
          log(`  ${plan} plan, no limit: sync and re-sync`);
          const run = await measureUnlimited(sim, size, plan);
          results.unlimited.push(run.result);
          dataDirs.push(run.dataDir);
          if (plan === 'org' && size === profile.apiLatency.size) apiDataDir = run.dataDir;
        }
      }
      if (profile.limitedSizes.includes(size)) {
        for (const plan of PLANS) {
          log(
            `  ${plan} plan under ${String(profile.budget.ratePerSecond)}/s and ${String(profile.latencyMs)} ms`,
          );
          results.limited.push(await measureLimited(sim, size, plan, profile));
        }
        log(`  jira.js script at ${String(profile.latencyMs)} ms`);
        results.jiraJs.push(await measureJiraJs(sim, size, profile));
      }
    } finally {
      await sim.stop();
    }
    try {
      if (apiDataDir) {
        log(
          `  API latency: ${String(profile.apiLatency.connections)} clients for ${String(profile.apiLatency.durationSeconds)} s`,
        );
        results.apiLatency = await measureApiLatency(apiDataDir, size, profile.apiLatency);
      }
    } finally {
      for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
    }
  }
  results.durationSeconds = Math.round((Date.now() - started) / 1000);
  return { ...results, targets: checkTargets(results) };
}

export async function writeResults(
  results: BenchResults,
  outDir: string,
): Promise<{ markdown: string; json: string }> {
  await mkdir(outDir, { recursive: true });
  const base = results.profile.name === 'full' ? 'latest' : 'quick';
  const markdown = path.join(outDir, `${base}.md`);
  const json = path.join(outDir, `${base}.json`);
  await writeFile(markdown, renderMarkdown(results));
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  return { markdown, json };
}

/** Saved results with their targets checked again (the check may be newer than the file). */
function rechecked(saved: BenchResults): BenchResults {
  return { ...saved, targets: checkTargets(saved) };
}

async function main(): Promise<void> {
  const options = new Command()
    .name('bench')
    .description('Seatwarden benchmark against the simulator on loopback')
    .option('--quick', '1,000 accounts only, a fast budget: keeps the harness working in CI')
    .option('--out <dir>', 'where to write the markdown and JSON', DEFAULT_OUT)
    .option('--from-json <file>', 'measure nothing: re-render the markdown from a saved results file')
    .parse()
    .opts<{ quick?: boolean; out: string; fromJson?: string }>();
  const results = options.fromJson
    ? rechecked(JSON.parse(await readFile(options.fromJson, 'utf8')) as BenchResults)
    : await runBenchmark(PROFILES[options.quick ? 'quick' : 'full']);
  const files = await writeResults(results, options.out);
  for (const t of results.targets)
    log(`${t.met ? 'met    ' : 'NOT MET'} ${t.name}: ${t.value} (target ${t.target})`);
  log(`wrote ${files.markdown} and ${files.json}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
