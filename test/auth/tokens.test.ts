// API tokens: shown once, stored only as a hash, scoped to their owner (admins see all).
import { beforeEach, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { sha256Hex } from '../../src/storage/credentials.ts';
import { describeEachDialect } from '../support/databases.ts';
import { testApp } from '../support/app.ts';
import {
  addUser,
  asSession,
  buildServer,
  dumpAuthTables,
  login,
  type Session,
  type TestServer,
} from './harness.ts';

interface TokenInfo {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

describeEachDialect('auth: API tokens', ({ getStore, getDataDir }) => {
  let app: App;
  let server: TestServer;
  beforeEach(async () => {
    app = testApp(getStore(), getDataDir());
    ({ server } = await buildServer(app));
    return () => server.close();
  });

  const create = (session: Session, name: string) =>
    server.inject({ method: 'POST', url: '/api/v1/tokens', headers: asSession(session), payload: { name } });
  const list = async (headers: Record<string, string>) => {
    const response = await server.inject({ method: 'GET', url: '/api/v1/tokens', headers });
    expect(response.statusCode).toBe(200);
    return response.json<{ items: TokenInfo[] }>().items;
  };

  it('shows the token once and stores only its sha256', async () => {
    const approver = await addUser(app, 'approver');
    const session = await login(server, 'approver@example.com');
    const response = await create(session, 'nightly export');
    expect(response.statusCode).toBe(201);
    const created = response.json<{ id: string; name: string; token: string }>();
    expect(created.name).toBe('nightly export');
    expect(created.token).toMatch(/^swt_[A-Za-z0-9_-]{43}$/);

    const dump = await dumpAuthTables(app);
    expect(dump).not.toContain(created.token);
    expect(dump).not.toContain(created.token.slice(4));
    expect(dump).toContain(sha256Hex(created.token));

    const items = await list({ cookie: session.cookie });
    expect(items).toEqual([
      {
        id: created.id,
        userId: approver.id,
        name: 'nightly export',
        createdAt: expect.any(String) as unknown,
        lastUsedAt: null,
      },
    ]);
    expect(JSON.stringify(items)).not.toContain(created.token);

    // Using it records lastUsedAt.
    const used = await server.inject({
      method: 'GET',
      url: '/t/inventory',
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(used.statusCode).toBe(200);
    expect((await list({ cookie: session.cookie }))[0]?.lastUsedAt).not.toBeNull();
  });

  it('lists and revokes only your own tokens, unless you are an admin', async () => {
    await addUser(app, 'admin');
    await addUser(app, 'requester');
    const admin = await login(server, 'admin@example.com');
    const requester = await login(server, 'requester@example.com');
    const adminToken = (await create(admin, 'admin-ci')).json<{ id: string; token: string }>();
    const requesterToken = (await create(requester, 'my-script')).json<{ id: string; token: string }>();

    expect((await list({ cookie: requester.cookie })).map((t) => t.name)).toEqual(['my-script']);
    expect((await list({ cookie: admin.cookie })).map((t) => t.name).sort()).toEqual([
      'admin-ci',
      'my-script',
    ]);

    const foreign = await server.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${adminToken.id}`,
      headers: asSession(requester),
    });
    expect(foreign.statusCode).toBe(404);

    // A token can revoke itself, without CSRF.
    const revoke = await server.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${requesterToken.id}`,
      headers: { authorization: `Bearer ${requesterToken.token}` },
    });
    expect(revoke.statusCode).toBe(204);
    const after = await server.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${requesterToken.token}` },
    });
    expect(after.statusCode).toBe(401);

    const byAdmin = await server.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${adminToken.id}`,
      headers: asSession(admin),
    });
    expect(byAdmin.statusCode).toBe(204);
  });

  it('is refused to auditors and validated', async () => {
    await addUser(app, 'auditor');
    await addUser(app, 'approver');
    const auditor = await login(server, 'auditor@example.com');
    expect((await create(auditor, 'x')).statusCode).toBe(403);
    const approver = await login(server, 'approver@example.com');
    const blank = await create(approver, '   ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
  });
});
