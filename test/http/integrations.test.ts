// Integrations through the API against the simulator: add (tested first), test, change, rotate,
// schedule, remove; and syncs started as jobs, one at a time.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { startRun } from '../../src/storage/sync-runs.ts';
import { describeEachDialect } from '../support/databases.ts';
import { call, expectErrorShape, signIn, startTestServer, type Caller, type TestServer } from './support.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ users: 50, seed: 3 });
});
afterAll(async () => {
  await sim.stop();
});

interface Summary {
  id: string;
  label: string;
  hasApiToken: boolean;
  hasOrgKey: boolean;
  syncSchedule: string | null;
  lastRun: { id: string; status: string } | null;
}

const body = (overrides: Record<string, unknown> = {}) => ({
  label: 'acme',
  siteUrl: sim.siteUrl,
  email: sim.credentials.adminEmail,
  apiToken: sim.credentials.apiToken,
  orgId: sim.orgId,
  orgApiKey: sim.credentials.orgApiKey,
  adminApiUrl: sim.adminApiUrl,
  ...overrides,
});

describeEachDialect('integrations API', ({ getStore, getDataDir }) => {
  let t: TestServer;
  let admin: Caller;
  const send = (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: unknown) =>
    call(t.server, admin, {
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  it('adds after a successful test, refuses bad credentials and taken labels, never shows secrets', async () => {
    t = await startTestServer(getStore(), getDataDir());
    try {
      admin = await signIn(t.server, t.app, 'admin');
      const tested = await send('POST', '/api/v1/integrations/test', body());
      expect(tested.statusCode).toBe(200);
      expect(tested.json<{ ok: boolean }>().ok).toBe(true);
      expect((await send('GET', '/api/v1/integrations')).json<{ items: unknown[] }>().items).toHaveLength(0);

      const refused = await send('POST', '/api/v1/integrations', body({ apiToken: 'wrong-token' }));
      expectErrorShape(refused, 422, 'connection_failed');
      const report = refused.json<{
        error: { details: { report: { ok: boolean; checks: { ok: boolean }[] } } };
      }>().error.details.report;
      expect(report.ok).toBe(false);
      expect(report.checks.some((c) => !c.ok)).toBe(true);

      const created = await send('POST', '/api/v1/integrations', body({ syncSchedule: '0 3 * * *' }));
      expect(created.statusCode).toBe(201);
      const saved = created.json<Summary>();
      expect(saved).toMatchObject({
        label: 'acme',
        hasApiToken: true,
        hasOrgKey: true,
        syncSchedule: '0 3 * * *',
        lastRun: null,
      });
      for (const response of [
        created,
        await send('GET', `/api/v1/integrations/${saved.id}`),
        await send('GET', '/api/v1/integrations'),
      ]) {
        expect(response.body).not.toContain(sim.credentials.apiToken);
        expect(response.body).not.toContain(sim.credentials.orgApiKey);
      }
      expectErrorShape(await send('POST', '/api/v1/integrations', body()), 409, 'integration_label_taken');
      expectErrorShape(
        await send('POST', '/api/v1/integrations', body({ siteUrl: 'ftp://x' })),
        400,
        'invalid_input',
      );
      expectErrorShape(
        await send('POST', '/api/v1/integrations', body({ orgApiKey: undefined })),
        400,
        'invalid_input',
      );
      expectErrorShape(
        await send('POST', '/api/v1/integrations', body({ label: 'other', syncSchedule: 'every day' })),
        400,
        'invalid_input',
      );
      expect((await send('GET', '/api/v1/integrations')).json<{ items: unknown[] }>().items).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('changes label and schedule, tests rotated secrets before saving them, and removes', async () => {
    t = await startTestServer(getStore(), getDataDir());
    try {
      admin = await signIn(t.server, t.app, 'admin');
      const saved = (await send('POST', '/api/v1/integrations', body())).json<Summary>();
      expect(saved.syncSchedule).toBe('0 */6 * * *');
      const url = `/api/v1/integrations/${saved.id}`;

      const renamed = await send('PATCH', url, { label: 'acme-prod', syncSchedule: null });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json<Summary>()).toMatchObject({ label: 'acme-prod', syncSchedule: null });
      expect((await send('PATCH', url, { syncSchedule: '15 2 * * 1' })).json<Summary>().syncSchedule).toBe(
        '15 2 * * 1',
      );
      expectErrorShape(await send('PATCH', url, { syncSchedule: 'not a cron' }), 400, 'invalid_input');
      expectErrorShape(
        await send('PATCH', url, { siteUrl: 'https://elsewhere.example' }),
        400,
        'invalid_input',
      );
      expectErrorShape(await send('PATCH', url, { apiToken: 'rotated-but-wrong' }), 422, 'connection_failed');
      // The failed rotation saved nothing: the stored token still works.
      const retest = await send('POST', `${url}/test`);
      expect(retest.json<{ ok: boolean }>().ok).toBe(true);
      expect((await send('PATCH', url, { apiToken: sim.credentials.apiToken })).statusCode).toBe(200);
      expectErrorShape(await send('PATCH', '/api/v1/integrations/nope', { label: 'x' }), 404, 'not_found');

      const removed = await send('DELETE', url);
      expect(removed.statusCode).toBe(204);
      expect(removed.body).toBe('');
      expectErrorShape(await send('GET', url), 404, 'not_found');
      expectErrorShape(await send('DELETE', url), 404, 'not_found');
    } finally {
      await t.close();
    }
  });

  it('starts a sync as a job and refuses a second while one runs', async () => {
    t = await startTestServer(getStore(), getDataDir(), { startJobs: true });
    try {
      admin = await signIn(t.server, t.app, 'admin');
      const saved = (await send('POST', '/api/v1/integrations', body())).json<Summary>();
      const started = await send('POST', `/api/v1/integrations/${saved.id}/sync`);
      expect(started.statusCode).toBe(202);
      expect(started.json<{ jobId: string }>().jobId).toEqual(expect.any(String));
      await vi.waitFor(
        async () => {
          const lastRun = (await send('GET', `/api/v1/integrations/${saved.id}`)).json<Summary>().lastRun;
          expect(lastRun?.status).toBe('succeeded');
        },
        { timeout: 30_000, interval: 100 },
      );
      const runs = (await send('GET', `/api/v1/integrations/${saved.id}/runs`)).json<{
        items: { id: string }[];
      }>();
      expect(runs.items).toHaveLength(1);

      // A run marked running (another node's) blocks a new one.
      await startRun(t.app.db, { integrationId: saved.id, plan: 'org', now: new Date().toISOString() });
      expectErrorShape(
        await send('POST', `/api/v1/integrations/${saved.id}/sync`),
        409,
        'sync_already_running',
      );
      const running = (await send('GET', `/api/v1/integrations/${saved.id}/runs`)).json<{
        items: { status: string; progress?: unknown }[];
      }>();
      expect(running.items[0]?.status).toBe('running');
      expect(running.items[0]?.progress).toEqual({
        phase: expect.any(String) as unknown,
        items: 0,
        calls: 0,
      });
      expectErrorShape(await send('POST', '/api/v1/integrations/nope/sync'), 404, 'not_found');
      const auditor = await signIn(t.server, t.app, 'auditor');
      expectErrorShape(
        await call(t.server, auditor, { method: 'POST', url: `/api/v1/integrations/${saved.id}/sync` }),
        403,
        'forbidden',
      );
    } finally {
      await t.close();
    }
  });
});
