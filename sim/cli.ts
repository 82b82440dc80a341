// `npm run sim -- --users 5000 --seed 42 --port 0 [--api-port 0] [--latency 80] [--site-budget 100/10] [--json]`
// Prints how to reach the simulator (tokens included: this print is the one place they appear).

import { Command, InvalidArgumentError } from 'commander';
import type { Budget } from './config.ts';
import { MAX_USERS, MIN_USERS } from './generate.ts';
import { DEFAULT_SEED, DEFAULT_USERS, startSimulator, type Simulator } from './server.ts';

function integer(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be from ${min} to ${max}`);
    return n;
  };
}

/** `capacity/refillPerSecond`, e.g. `100/10`. */
export function parseBudget(value: string): Budget {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected CAPACITY/REFILL_PER_SECOND, e.g. 100/10');
  const capacity = Number(match[1]);
  if (capacity < 1) throw new InvalidArgumentError('capacity must be at least 1');
  return { capacity, refillPerSecond: Number(match[2]) };
}

export function connectionInfo(sim: Simulator) {
  const c = sim.credentials;
  return {
    siteUrl: sim.siteUrl,
    adminApiUrl: sim.adminApiUrl,
    gatewayUrl: sim.gatewayUrl,
    cloudId: sim.cloudId,
    adminEmail: c.adminEmail,
    apiToken: c.apiToken,
    orgId: sim.orgId,
    orgApiKey: c.orgApiKey,
    userEmail: c.userEmail,
    userApiToken: c.userApiToken,
    scopedEmail: c.scopedEmail,
    scopedApiToken: c.scopedApiToken,
    scopedOrgApiKey: c.scopedOrgApiKey,
  };
}

async function main(): Promise<void> {
  const program = new Command()
    .name('sim')
    .description('Atlassian Cloud simulator (Jira platform v3, Organizations API, User management API)')
    .option(
      '--users <n>',
      `accounts to generate (${MIN_USERS}-${MAX_USERS})`,
      integer(MIN_USERS, MAX_USERS),
      DEFAULT_USERS,
    )
    .option('--seed <n>', 'PRNG seed', integer(0, 2 ** 32 - 1), DEFAULT_SEED)
    .option('--port <n>', 'site host port (0 = any free port)', integer(0, 65535), 0)
    .option('--api-port <n>', 'API host port (0 = any free port)', integer(0, 65535), 0)
    .option('--latency <ms>', 'added latency per request', integer(0, 60_000), 0)
    .option('--site-budget <cap/rate>', 'Jira rate budget per site', parseBudget)
    .option('--org-budget <cap/rate>', 'admin rate budget per org', parseBudget)
    .option('--json', 'print one JSON line with the connection details')
    .parse();
  const opts = program.opts<{
    users: number;
    seed: number;
    port: number;
    apiPort: number;
    latency: number;
    siteBudget?: Budget;
    orgBudget?: Budget;
    json?: boolean;
  }>();

  const started = performance.now();
  const sim = await startSimulator({
    users: opts.users,
    seed: opts.seed,
    port: opts.port,
    apiPort: opts.apiPort,
    latencyMs: opts.latency,
    siteBudget: opts.siteBudget ?? null,
    orgBudget: opts.orgBudget ?? null,
  });
  const info = connectionInfo(sim);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Atlassian Cloud simulator: ${opts.users} users, seed ${opts.seed}, ready in ${seconds}s\n`,
    );
    for (const [key, value] of Object.entries(info)) process.stdout.write(`  ${key.padEnd(16)} ${value}\n`);
    process.stdout.write(
      'Control API: GET /__sim/state, GET /__sim/stats, POST /__sim/config, POST /__sim/mutate\nCtrl-C to stop.\n',
    );
  }

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
