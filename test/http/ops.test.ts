// Operations and plumbing: health, readiness, metrics, the OpenAPI document, the web UI with its
// SPA fallback, request ids, 500s without internals, and logs without secrets.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { createInProcessJobs } from '../../src/jobs/index.ts';
import { startRun } from '../../src/storage/sync-runs.ts';
import { testApp } from '../support/app.ts';
import { describeEachDialect, openTestStore } from '../support/databases.ts';
import { expectErrorShape, PASSWORD, signIn, startTestServer } from './support.ts';

describeEachDialect('operations', ({ getStore, getDataDir }) => {
  it('answers health, readiness and metrics', async () => {
    const t = await startTestServer(getStore(), getDataDir());
    try {
      expect((await t.server.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
      expect((await t.server.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const admin = await signIn(t.server, t.app, 'admin');
      await t.server.inject({ method: 'GET', url: '/api/v1/groups', headers: admin.headers });
      await t.server.inject({ method: 'GET', url: '/api/v1/groups?limit=0', headers: admin.headers });
      const integration = await t.app.db
        .insertInto('integrations')
        .values({
          id: 'i1',
          label: 'x',
          site_url: 'https://x.example',
          email: 'a@x.example',
          api_token_enc: 'sealed',
          use_gateway: 0,
          gateway_url: null,
          cloud_id: null,
          org_id: null,
          org_api_key_enc: null,
          admin_api_url: null,
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
          site_last_ok_at: null,
          site_last_error: null,
          site_failing_since: null,
          org_last_ok_at: null,
          org_last_error: null,
          org_failing_since: null,
          org_key_expires_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await startRun(t.app.db, {
        integrationId: integration.id,
        plan: 'jira',
        now: new Date().toISOString(),
      });

      const metrics = await t.server.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.body).toContain(
        'seatwarden_http_request_duration_seconds_count{method="GET",route="/api/v1/groups",status_code="200"} 1',
      );
      expect(metrics.body).toContain(
        'seatwarden_http_request_duration_seconds_count{method="GET",route="/api/v1/groups",status_code="400"} 1',
      );
      expect(metrics.body).toContain('seatwarden_sync_runs{status="running"} 1');
      expect(metrics.body).toContain('process_cpu_user_seconds_total');
    } finally {
      await t.close();
    }
  });

  it('restricts metrics to a bearer token when one is configured', async () => {
    const t = await startTestServer(getStore(), getDataDir(), { metricsToken: 'metrics-token-0123456789' });
    try {
      expectErrorShape(await t.server.inject({ method: 'GET', url: '/metrics' }), 401, 'unauthenticated');
      const wrong = await t.server.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await t.server.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer metrics-token-0123456789' },
      });
      expect(right.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('serves the OpenAPI document generated from the route schemas, and Swagger UI', async () => {
    const t = await startTestServer(getStore(), getDataDir());
    try {
      const doc = (await t.server.inject({ method: 'GET', url: '/docs/json' })).json<{
        paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
      }>();
      for (const p of [
        '/api/v1/accounts',
        '/api/v1/integrations/{id}',
        '/api/v1/licenses',
        '/api/v1/auth/login',
        '/healthz',
      ]) {
        expect(Object.keys(doc.paths)).toContain(p);
      }
      const names = doc.paths['/api/v1/accounts']?.get?.parameters?.map((x) => x.name) ?? [];
      expect(names).toEqual(expect.arrayContaining(['status', 'inactiveDays', 'sort', 'limit', 'offset']));
      expect(Object.keys(doc.paths).some((p) => p.includes('*'))).toBe(false);
      const ui = await t.server.inject({ method: 'GET', url: '/docs/' });
      expect(ui.statusCode).toBe(200);
      expect(ui.body).toContain('swagger');
    } finally {
      await t.close();
    }
  });

  it('serves the built UI with SPA fallback, and JSON 404s for API paths and missing files', async () => {
    const dist = await mkdtemp(path.join(tmpdir(), 'sw-web-'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Seatwarden UI</title>');
    await writeFile(path.join(dist, 'app.js'), 'console.log("ui")');
    const t = await startTestServer(getStore(), getDataDir(), { webDistDir: dist });
    try {
      for (const url of ['/', '/accounts', '/integrations/abc/runs?x=1']) {
        const page = await t.server.inject({ method: 'GET', url });
        expect(page.statusCode, url).toBe(200);
        expect(page.body, url).toContain('Seatwarden UI');
      }
      const js = await t.server.inject({ method: 'GET', url: '/app.js' });
      expect(js.headers['content-type']).toContain('javascript');
      expectErrorShape(await t.server.inject({ method: 'GET', url: '/missing.js' }), 404, 'not_found');
      expectErrorShape(
        await t.server.inject({ method: 'GET', url: '/api/v1/nothing-here' }),
        404,
        'not_found',
      );
      expectErrorShape(await t.server.inject({ method: 'POST', url: '/somewhere' }), 404, 'not_found');
      const traversal = await t.server.inject({ method: 'GET', url: '/..%2f..%2fetc%2fpasswd' });
      expect(traversal.body).not.toContain('root:');
    } finally {
      await t.close();
    }
  });

  it('without a built UI, / explains how to build it', async () => {
    const t = await startTestServer(getStore(), getDataDir());
    try {
      const page = await t.server.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('npm run build:web');
    } finally {
      await t.close();
    }
  });

  it('echoes safe request ids and replaces unsafe ones', async () => {
    const t = await startTestServer(getStore(), getDataDir());
    try {
      const given = await t.server.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-request-id': 'abc-123' },
      });
      expect(given.headers['x-request-id']).toBe('abc-123');
      const unsafe = await t.server.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-request-id': 'a b\u0007c' },
      });
      expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await t.close();
    }
  });
});

it('answers 503 not ready and 500 internal (no internals) when the database is gone, and logs no secrets', async () => {
  const test = await openTestStore('sqlite');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = { ...testApp(test.store, test.dataDir), logger: pino({ level: 'info' }, sink) };
  const server = await buildServer(app, { jobs: createInProcessJobs(app) }, { webDistDir: test.dataDir });
  try {
    const admin = await signIn(server, app, 'admin');
    const login = await server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.test', password: PASSWORD },
      headers: { authorization: 'Bearer swt_secret-looking-token' },
    });
    expect(login.statusCode).toBeGreaterThanOrEqual(400);

    await test.store.db.destroy();
    expectErrorShape(await server.inject({ method: 'GET', url: '/readyz' }), 503, 'not_ready');
    const broken = await server.inject({ method: 'GET', url: '/api/v1/groups', headers: admin.headers });
    expectErrorShape(broken, 500, 'internal');
    expect(broken.body).not.toMatch(/sqlite|destroyed|driver/i);
    expect(lines.some((line) => line.includes('"level":50'))).toBe(true);

    const log = lines.join('');
    for (const secret of [
      PASSWORD,
      'swt_secret-looking-token',
      admin.headers.cookie ?? 'x',
      admin.headers['x-csrf-token'] ?? 'x',
    ]) {
      expect(log).not.toContain(secret);
    }
  } finally {
    await server.close();
    await test.cleanup().catch(() => undefined);
  }
});
