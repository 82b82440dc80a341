import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/storage/db.ts';
import {
  deleteIntegration,
  getIntegration,
  getIntegrationSecrets,
  IntegrationLabelTakenError,
  insertIntegration,
  listIntegrations,
  recordCredentialFailure,
  recordCredentialOk,
  updateIntegration,
} from '../../src/storage/integrations.ts';
import { upsertAccounts, upsertMemberships } from '../../src/storage/inventory-writes.ts';
import {
  createSecretBox,
  loadSecretKey,
  SecretKeyError,
  SecretOpenError,
} from '../../src/storage/secret-box.ts';
import { describeEachDialect } from '../support/databases.ts';
import { addIntegration, at, beginRun, T0, testBox } from './fixtures.ts';

describe('secret box', () => {
  it('round-trips and never stores the plain text', () => {
    const box = createSecretBox(Buffer.alloc(32, 1));
    const sealed = box.seal('ATATT-secret-token');
    expect(sealed).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(sealed).not.toContain('secret');
    expect(box.open(sealed)).toBe('ATATT-secret-token');
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('detects tampering and a wrong key', () => {
    const box = createSecretBox(Buffer.alloc(32, 1));
    const [v, iv, tag, data] = box.seal('hello world').split(':') as [string, string, string, string];
    const flipped = Buffer.from(data, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64')].join(':'))).toThrow(SecretOpenError);
    expect(() => createSecretBox(Buffer.alloc(32, 2)).open([v, iv, tag, data].join(':'))).toThrow(
      SecretOpenError,
    );
    expect(() => box.open('garbage')).toThrow(SecretOpenError);
  });

  it('loads a key from env (hex or base64) and rejects bad keys clearly', async () => {
    const hex = 'ab'.repeat(32);
    expect((await loadSecretKey({ env: hex, dataDir: '/nonexistent' })).toString('hex')).toBe(hex);
    const b64 = Buffer.alloc(32, 9).toString('base64');
    expect(await loadSecretKey({ env: b64, dataDir: '/nonexistent' })).toEqual(Buffer.alloc(32, 9));
    await expect(loadSecretKey({ env: 'short', dataDir: '/nonexistent' })).rejects.toThrow(SecretKeyError);
    await expect(loadSecretKey({ env: 'short', dataDir: '/nonexistent' })).rejects.toThrow(/32-byte key/);
    expect(() => createSecretBox(Buffer.alloc(16))).toThrow(SecretKeyError);
  });
});

describeEachDialect('store basics', ({ getStore, getDataDir }) => {
  it('migrates from empty and is idempotent', async () => {
    const { db } = getStore();
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['integrations', 'accounts', 'sync_runs', 'sync_seen', 'account_history']),
    );
    const again = await migrateToLatest(db);
    expect(again.results).toEqual([]);
  });

  it('creates the key file with mode 0600 and reuses it', async () => {
    const dir = path.join(getDataDir(), 'keys');
    const first = await loadSecretKey({ dataDir: dir });
    const second = await loadSecretKey({ env: '', dataDir: dir });
    expect(first).toEqual(second);
    expect(first).toHaveLength(32);
    expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
  });

  it('stores integrations with sealed secrets and never returns them', async () => {
    const { db } = getStore();
    const created = await insertIntegration(
      db,
      testBox,
      {
        label: 'acme',
        siteUrl: 'https://acme.atlassian.net',
        email: 'a@example.com',
        apiToken: 'tok-123',
        orgId: 'o1',
        orgApiKey: 'key-456',
      },
      T0,
    );
    expect(created).toMatchObject({ label: 'acme', hasApiToken: true, hasOrgKey: true, useGateway: false });
    const raw = await db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    expect(raw.api_token_enc).not.toContain('tok-123');
    expect(JSON.stringify(await listIntegrations(db))).not.toMatch(/tok-123|key-456|api_token|enc/);
    expect(await getIntegration(db, 'acme')).toEqual(created);
    expect(await getIntegration(db, created.id)).toEqual(created);
    expect(await getIntegration(db, 'nope')).toBeUndefined();
    expect(await getIntegrationSecrets(db, testBox, created.id)).toEqual({
      apiToken: 'tok-123',
      orgApiKey: 'key-456',
    });
    await expect(
      insertIntegration(db, testBox, { label: 'acme', siteUrl: 'https://x', email: 'x', apiToken: 'y' }, T0),
    ).rejects.toThrow(IntegrationLabelTakenError);

    const updated = await updateIntegration(
      db,
      testBox,
      created.id,
      { orgApiKey: null, cloudId: 'c-1' },
      at(1),
    );
    expect(updated).toMatchObject({ hasOrgKey: false, cloudId: 'c-1', updatedAt: at(1) });
  });

  it('tracks credential health, keeping failingSince from the first failure', async () => {
    const { db } = getStore();
    const id = await addIntegration(db);
    await recordCredentialFailure(db, id, 'org', '401 token expired', at(1));
    await recordCredentialFailure(db, id, 'org', '401 again', at(2));
    let health = (await getIntegration(db, id))?.health;
    expect(health?.org).toEqual({ lastOkAt: null, lastError: '401 again', failingSince: at(1) });
    expect(health?.site.failingSince).toBeNull();
    await recordCredentialOk(db, id, 'org', at(3));
    health = (await getIntegration(db, id))?.health;
    expect(health?.org).toEqual({ lastOkAt: at(3), lastError: null, failingSince: null });
  });

  it('deleting an integration removes all its rows and nobody else’s', async () => {
    const { db } = getStore();
    const doomed = await addIntegration(db, 'doomed');
    const kept = await addIntegration(db, 'kept');
    for (const id of [doomed, kept]) {
      const ctx = await beginRun(db, id, T0);
      await upsertAccounts(db, ctx, [{ accountId: 'a1', displayName: 'A' }]);
      await upsertMemberships(db, ctx, [{ groupId: 'g1', accountId: 'a1' }]);
      await db
        .insertInto('account_history')
        .values({
          integration_id: id,
          account_id: 'a1',
          run_id: ctx.runId,
          changed_at: T0,
          change: 'added',
          field: null,
          old_value: null,
          new_value: null,
        })
        .execute();
    }
    expect(await deleteIntegration(db, doomed)).toBe(true);
    expect(await deleteIntegration(db, doomed)).toBe(false);
    const count = async (
      table: 'accounts' | 'group_memberships' | 'sync_runs' | 'account_history' | 'sync_seen',
    ) =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n,
      );
    expect(await count('accounts')).toBe(1);
    expect(await count('group_memberships')).toBe(1);
    expect(await count('sync_runs')).toBe(1);
    expect(await count('account_history')).toBe(1);
    expect(await count('sync_seen')).toBe(2);
    expect((await listIntegrations(db)).map((i) => i.label)).toEqual(['kept']);
  });
});
