// User management: admin only, emails unique and lower-cased, the last admin protected, and a
// password change or disabling signs the user out.
import { beforeEach, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { findUserByEmail } from '../../src/http/auth/index.ts';
import { authTables } from '../../src/storage/auth-schema.ts';
import { describeEachDialect } from '../support/databases.ts';
import { testApp } from '../support/app.ts';
import {
  addUser,
  asSession,
  buildServer,
  login,
  PASSWORD,
  type Session,
  type TestServer,
} from './harness.ts';

interface ManagedUser {
  id: string;
  email: string;
  displayName: string;
  role: string;
  disabled: boolean;
}

describeEachDialect('auth: users', ({ getStore, getDataDir }) => {
  let app: App;
  let server: TestServer;
  let admin: Session;
  beforeEach(async () => {
    app = testApp(getStore(), getDataDir());
    ({ server } = await buildServer(app));
    await addUser(app, 'admin');
    admin = await login(server, 'admin@example.com');
    return () => server.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    session = admin,
  ) => server.inject({ method, url, headers: asSession(session), ...(payload ? { payload } : {}) });
  const errorCode = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

  it('creates, lists, updates and deletes users', async () => {
    const created = await call('POST', '/api/v1/users', {
      email: '  Jane.Doe@Example.COM ',
      displayName: 'Jane Doe',
      role: 'approver',
      password: 'a long enough password',
    });
    expect(created.statusCode).toBe(201);
    const jane = created.json<ManagedUser & Record<string, unknown>>();
    expect(jane).toMatchObject({
      email: 'jane.doe@example.com',
      displayName: 'Jane Doe',
      role: 'approver',
      disabled: false,
    });
    expect(Object.keys(jane).sort()).toEqual([
      'createdAt',
      'disabled',
      'displayName',
      'email',
      'id',
      'role',
      'updatedAt',
    ]);
    expect((await findUserByEmail(app.db, 'JANE.DOE@example.com'))?.id).toBe(jane.id);

    const listed = await call('GET', '/api/v1/users');
    expect(listed.json<{ items: ManagedUser[] }>().items.map((u) => u.email)).toEqual([
      'admin@example.com',
      'jane.doe@example.com',
    ]);

    const patched = await call('PATCH', `/api/v1/users/${jane.id}`, {
      role: 'auditor',
      displayName: 'J. Doe',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ role: 'auditor', displayName: 'J. Doe' });

    expect((await call('DELETE', `/api/v1/users/${jane.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/users/${jane.id}`)).statusCode).toBe(404);
    expect((await call('PATCH', '/api/v1/users/nope', { role: 'admin' })).statusCode).toBe(404);
  });

  it('rejects duplicate emails, weak passwords and empty patches', async () => {
    const duplicate = await call('POST', '/api/v1/users', {
      email: 'ADMIN@example.com',
      displayName: 'Again',
      role: 'requester',
      password: 'a long enough password',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(errorCode(duplicate.body)).toBe('email_taken');

    const weak = await call('POST', '/api/v1/users', {
      email: 'w@example.com',
      displayName: 'W',
      role: 'requester',
      password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(errorCode(weak.body)).toBe('invalid_input');
    const badRole = await call('POST', '/api/v1/users', {
      email: 'w@example.com',
      displayName: 'W',
      role: 'root',
      password: PASSWORD,
    });
    expect(badRole.statusCode).toBe(400);

    const user = await addUser(app, 'requester');
    expect((await call('PATCH', `/api/v1/users/${user.id}`, {})).statusCode).toBe(400);
  });

  it('never demotes, disables or deletes the last active admin', async () => {
    const me = await findUserByEmail(app.db, 'admin@example.com');
    if (!me) throw new Error('admin missing');
    for (const [method, payload] of [
      ['PATCH', { role: 'auditor' }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      const response = await call(method, `/api/v1/users/${me.id}`, payload);
      expect(response.statusCode).toBe(409);
      expect(errorCode(response.body)).toBe('last_admin');
    }
    expect((await findUserByEmail(app.db, 'admin@example.com'))?.role).toBe('admin');
    // With a second admin, the first may step down.
    await addUser(app, 'admin', 'second@example.com');
    expect((await call('PATCH', `/api/v1/users/${me.id}`, { role: 'auditor' })).statusCode).toBe(200);
  });

  it('signs a user out when their password changes or they are disabled', async () => {
    const user = await addUser(app, 'approver');
    const first = await login(server, 'approver@example.com');
    expect(
      (await call('PATCH', `/api/v1/users/${user.id}`, { password: 'a brand new password' })).statusCode,
    ).toBe(200);
    expect(
      (await server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first.cookie } }))
        .statusCode,
    ).toBe(401);
    await expect(login(server, 'approver@example.com')).rejects.toThrow(/401/);
    const second = await login(server, 'approver@example.com', 'a brand new password');

    expect((await call('PATCH', `/api/v1/users/${user.id}`, { disabled: true })).statusCode).toBe(200);
    expect(
      await authTables(app.db).selectFrom('sessions').select('id').where('user_id', '=', user.id).execute(),
    ).toEqual([]);
    expect(
      (await server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: second.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('is for admins only', async () => {
    await addUser(app, 'approver');
    const approver = await login(server, 'approver@example.com');
    expect((await call('GET', '/api/v1/users', undefined, approver)).statusCode).toBe(403);
    expect(
      (
        await call(
          'POST',
          '/api/v1/users',
          { email: 'x@example.com', displayName: 'X', role: 'admin', password: PASSWORD },
          approver,
        )
      ).statusCode,
    ).toBe(403);
  });
});
