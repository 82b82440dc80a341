// A Seatwarden cluster for the multi-process tests: real `seatwarden serve --role …` processes
// sharing one fresh PostgreSQL schema (and one pg-boss schema), plus an App in the test process
// over the same database to set things up and read outcomes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { waitFor } from '../jobs/support.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
/**
 * Node itself with tsx as a loader: one process per node. (The `tsx` launcher runs the program in
 * a child process, and SIGKILL to the launcher would leave that child running.)
 */
const NODE_ARGS = ['--import', 'tsx', MAIN];

export type Role = 'all' | 'api' | 'worker';

export interface Node {
  name: string;
  role: Role;
  /** The HTTP address: the API of api/all nodes, the health and metrics port of workers. */
  url: string | undefined;
  pid: number;
  output(): string;
  /** Sends the signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface Cluster {
  env: NodeJS.ProcessEnv;
  /** The test process's view of the cluster's database. */
  app: App;
  startNode(role: Role, opts?: { name?: string; env?: NodeJS.ProcessEnv }): Promise<Node>;
  /** Kills every node still running and drops the schemas. */
  stop(): Promise<void>;
}

/** Short timeouts so a dead node's work moves on within seconds (production defaults are minutes). */
const FAST_RECOVERY = {
  SEATWARDEN_JOBS_POLL_SECONDS: '0.5',
  SEATWARDEN_JOBS_MAINTENANCE_SECONDS: '1',
  SEATWARDEN_JOB_EXPIRE_SECONDS: '4',
  SEATWARDEN_JOB_RETRY_DELAY_SECONDS: '1',
  SEATWARDEN_SYNC_STALE_SECONDS: '3',
  // Longer than one item takes at the slowest rate a test uses (a pre-flight read and a write).
  SEATWARDEN_ACTION_LEASE_SECONDS: '8',
};

export async function startCluster(extraEnv: NodeJS.ProcessEnv = {}): Promise<Cluster> {
  const url = process.env.SEATWARDEN_TEST_PG_URL;
  if (!url) throw new Error('SEATWARDEN_TEST_PG_URL is not set');
  const id = randomBytes(5).toString('hex');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-cluster-'));
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: url,
    SEATWARDEN_PG_SCHEMA: `cl_${id}`,
    SEATWARDEN_JOBS_SCHEMA: `clb_${id}`,
    SEATWARDEN_SECRET_KEY: randomBytes(32).toString('base64'),
    SEATWARDEN_DATA_DIR: dataDir,
    SEATWARDEN_DEMO: '0',
    SEATWARDEN_LOG_LEVEL: 'info',
    SEATWARDEN_JIRA_RATE: '500/s, burst 50',
    SEATWARDEN_ADMIN_RATE: '500/s, burst 50',
    ...FAST_RECOVERY,
    ...extraEnv,
  };
  const app = await openApp(loadConfig(env), { logTo: 'file' });
  const nodes: { node: Node; child: ChildProcess }[] = [];

  const startNode = (role: Role, opts: { name?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Node> => {
    const name = opts.name ?? `${role}-${nodes.length + 1}`;
    const child = spawn(
      process.execPath,
      [...NODE_ARGS, 'serve', '--role', role, '--port', '0', '--no-demo'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const node: Node = {
      name,
      role,
      url: undefined,
      pid: child.pid ?? -1,
      output: () => output,
      kill: async (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
    nodes.push({ node, child });
    return new Promise<Node>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${name} did not start within 60 s:\n${output}`));
      }, 60_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const api = /Seatwarden is running at (http:\/\/\S+)/.exec(output);
        const ops = /Health and metrics at (http:\/\/[^\s/]+)\/healthz/.exec(output);
        if (api?.[1] || /Seatwarden worker is running/.test(output)) {
          clearTimeout(timer);
          node.url = api?.[1] ?? ops?.[1];
          resolve(node);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (node.url === undefined && !/worker is running/.test(output)) {
          reject(new Error(`${name} exited with ${String(code)} before starting:\n${output}`));
        }
      });
    });
  };

  return {
    env,
    app,
    startNode,
    stop: async () => {
      await Promise.all(nodes.map(({ node }) => node.kill('SIGKILL')));
      await app.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${String(env.SEATWARDEN_PG_SCHEMA)} CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS ${String(env.SEATWARDEN_JOBS_SCHEMA)} CASCADE`);
      } finally {
        await client.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** waitFor with room for processes to start, jobs to expire and retries to come due (60 s). */
export function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  return waitFor(probe, what, timeoutMs);
}
