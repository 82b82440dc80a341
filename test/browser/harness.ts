// The whole product for browser tests: the built UI served by the real server (SQLite store,
// in-process jobs) against the Atlassian simulator, with an admin user and headless Chromium.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildServer } from '../../src/http/server.ts';
import { createInProcessJobs, type JobQueue } from '../../src/jobs/index.ts';
import type { Store } from '../../src/storage/db.ts';
import { openTestStore, primaryDialect } from '../support/databases.ts';
import { createUser, type Role } from '../../src/storage/users.ts';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { testApp } from '../support/app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEB_DIR = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
export const ARTIFACTS = path.join(ROOT, 'test/browser/artifacts');
const CHROMIUM = process.env.SEATWARDEN_CHROMIUM ?? '/usr/bin/chromium';

export const ADMIN = {
  email: 'admin@example.test',
  password: 'correct horse battery staple',
  displayName: 'Ada Admin',
};

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    if (full.startsWith(WEB_DIST) || full.includes('.build-lock')) continue;
    newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const isFresh = (index: string): boolean =>
  existsSync(index) && statSync(index).mtimeMs >= newestMtime(WEB_DIR);

/**
 * Builds the UI when web/dist is missing or older than any source file, so tests never run a stale
 * UI. Test files run in parallel: a lock directory (mkdir is atomic) lets one of them build.
 */
export async function ensureWebBuilt(): Promise<void> {
  const index = path.join(WEB_DIST, 'index.html');
  const lock = path.join(ROOT, 'web/.build-lock');
  for (const deadline = Date.now() + 240_000; Date.now() < deadline;) {
    if (isFresh(index)) return;
    try {
      await mkdir(lock);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (isFresh(index)) return;
      await promisify(execFile)(
        path.join(ROOT, 'node_modules/.bin/vite'),
        ['build', '--config', 'web/vite.config.ts'],
        {
          cwd: ROOT,
          timeout: 180_000,
        },
      );
      return;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  throw new Error('timed out waiting for another test file to build web/dist');
}

export interface Stack {
  sim: Simulator;
  baseUrl: string;
  browser: Browser;
  page: Page;
  /** Browser dialogs (alert, confirm…) seen so far: any one means a script ran. */
  dialogs: string[];
  /** Uncaught page errors, for diagnosis. */
  pageErrors: string[];
  /** Adds a Seatwarden user (same password as ADMIN). */
  addUser(email: string, role: Role): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(opts: { users?: number } = {}): Promise<Stack> {
  await ensureWebBuilt();
  await mkdir(ARTIFACTS, { recursive: true });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-browser-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const sim = await startSimulator({ users: opts.users ?? 300 });
    cleanups.push(() => sim.stop());
    const testStore = await openTestStore(primaryDialect);
    const store: Store = testStore.store;
    cleanups.push(() => testStore.cleanup());
    const app = testApp(store, dataDir);
    const jobs: JobQueue = createInProcessJobs(app);
    await jobs.start();
    cleanups.push(() => jobs.stop());
    const server: FastifyInstance = await buildServer(app, { jobs }, { webDistDir: WEB_DIST });
    await server.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.close());
    await createUser(app.db, { ...ADMIN, role: 'admin' });
    const address = server.server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    const baseUrl = `http://127.0.0.1:${address.port}`;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return {
      sim,
      baseUrl,
      browser,
      page,
      dialogs,
      pageErrors,
      addUser: async (email, role) => {
        await createUser(app.db, { email, role, password: ADMIN.password, displayName: `${role} user` });
      },
      screenshot: async (name) => {
        await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
