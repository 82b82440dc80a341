// The inventory API over a store synced from the simulator: paging, filters, sorting, exports,
// detail views, 404s and validation errors; and no secret in any response.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { listAccounts } from '../../src/storage/inventory-reads.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { connectSimulator } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { call, expectErrorShape, signIn, startTestServer, type Caller, type TestServer } from './support.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ users: 1200, seed: 11 });
});
afterAll(async () => {
  await sim.stop();
});

interface Page<T> {
  items: T[];
  total: number;
}
interface AccountItem {
  integrationId: string;
  accountId: string;
  displayName: string | null;
  status: string | null;
  accountType: string | null;
  billable: boolean | null;
  lastActive: string | null;
  groups: { groupId: string }[];
  products: { productKey: string }[];
}

describeEachDialect('inventory API', ({ getStore, getDataDir }) => {
  let t: TestServer;
  let admin: Caller;
  let integration: IntegrationSummary;
  const bodies: string[] = [];
  const get = async (url: string, caller: Caller = admin) => {
    const response = await call(t.server, caller, { method: 'GET', url });
    bodies.push(response.body);
    return response;
  };

  async function setUp(): Promise<void> {
    t = await startTestServer(getStore(), getDataDir());
    integration = await connectSimulator(t.app, sim);
    const outcome = await syncIntegration(t.app, integration);
    expect(outcome.status).toBe('succeeded');
    admin = await signIn(t.server, t.app, 'admin');
  }

  it('lists, pages, filters and sorts accounts', async () => {
    await setUp();
    try {
      const first = (await get('/api/v1/accounts?limit=25')).json<Page<AccountItem>>();
      expect(first.total).toBeGreaterThan(100);
      expect(first.items).toHaveLength(25);
      const second = (await get('/api/v1/accounts?limit=25&offset=25')).json<Page<AccountItem>>();
      expect(second.total).toBe(first.total);
      const firstIds = new Set(first.items.map((a) => a.accountId));
      expect(second.items.some((a) => firstIds.has(a.accountId))).toBe(false);

      // Same answers as the store's own query for the same filters.
      const billableActive = (
        await get(`/api/v1/accounts?integrationId=${integration.id}&status=active&billable=true&limit=1000`)
      ).json<Page<AccountItem>>();
      const expected = await listAccounts(
        t.app.db,
        { integrationId: integration.id, status: ['active'], billable: true },
        undefined,
        { limit: 1000, offset: 0 },
      );
      expect(billableActive.total).toBe(expected.total);
      expect(billableActive.items.every((a) => a.status === 'active' && a.billable === true)).toBe(true);

      const types = (await get('/api/v1/accounts?type=app,customer&limit=1000')).json<Page<AccountItem>>();
      expect(types.items.every((a) => a.accountType === 'app' || a.accountType === 'customer')).toBe(true);

      const sorted = (
        await get('/api/v1/accounts?sort=lastActive&direction=desc&neverActive=false&limit=200')
      ).json<Page<AccountItem>>();
      const times = sorted.items.map((a) => a.lastActive ?? '');
      expect(times).toEqual([...times].sort().reverse());

      const someGroup = first.items.flatMap((a) => a.groups)[0];
      expect(someGroup).toBeDefined();
      const inGroup = (await get(`/api/v1/accounts?groupId=${someGroup?.groupId ?? ''}&limit=1000`)).json<
        Page<AccountItem>
      >();
      expect(inGroup.total).toBeGreaterThan(0);
      expect(inGroup.items.every((a) => a.groups.some((g) => g.groupId === someGroup?.groupId))).toBe(true);

      const someName = first.items.find((a) => a.displayName)?.displayName ?? '';
      const found = (await get(`/api/v1/accounts?search=${encodeURIComponent(someName.toUpperCase())}`)).json<
        Page<AccountItem>
      >();
      expect(found.items.map((a) => a.displayName)).toContain(someName);

      for (const bad of [
        'limit=0',
        'limit=1001',
        'offset=-1',
        'status=sleeping',
        'sort=password',
        'billable=maybe',
        'inactiveDays=abc',
        'roleId=10002',
      ]) {
        expectErrorShape(await get(`/api/v1/accounts?${bad}`), 400, 'invalid_input');
      }
      const invalid = (await get('/api/v1/accounts?status=sleeping')).json<{
        error: { details: { issues: { path: string[] }[] } };
      }>();
      expect(invalid.error.details.issues[0]?.path).toContain('status');
    } finally {
      await t.close();
    }
  });

  it('exports every matching account as CSV and as JSON', async () => {
    await setUp();
    try {
      const all = (await get('/api/v1/accounts?limit=1')).json<Page<AccountItem>>().total;
      // More than one export page (1000 rows), so the paging of the stream is exercised.
      expect(all).toBeGreaterThan(1000);
      const everything = (await get('/api/v1/accounts/export?format=json')).json<AccountItem[]>();
      expect(everything).toHaveLength(all);
      expect(new Set(everything.map((a) => `${a.integrationId} ${a.accountId}`)).size).toBe(all);
      const total = (await get('/api/v1/accounts?billable=true&limit=1')).json<Page<AccountItem>>().total;
      const csv = await get('/api/v1/accounts/export?format=csv&billable=true');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toMatch(
        /^attachment; filename="seatwarden-accounts-.*\.csv"$/,
      );
      const lines = csv.body.trim().split('\n');
      expect(lines[0]).toMatch(/^integrationId,accountId,displayName,email/);
      expect(lines).toHaveLength(total + 1);

      const json = await get('/api/v1/accounts/export?format=json&billable=true&sort=accountId');
      expect(json.headers['content-disposition']).toContain('.json');
      const items = json.json<AccountItem[]>();
      expect(items).toHaveLength(total);
      const ids = items.map((a) => a.accountId);
      expect(ids).toEqual([...ids].sort());
      expectErrorShape(await get('/api/v1/accounts/export?format=xml'), 400, 'invalid_input');
      // Auditors read the inventory; requesters do not.
      expect(
        (await get('/api/v1/accounts/export', await signIn(t.server, t.app, 'auditor'))).statusCode,
      ).toBe(200);
      expect(
        (await get('/api/v1/accounts/export', await signIn(t.server, t.app, 'requester'))).statusCode,
      ).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('shows account, group and project details, and 404s for unknown ones', async () => {
    await setUp();
    try {
      const account = (await get('/api/v1/accounts?limit=1&type=atlassian')).json<Page<AccountItem>>()
        .items[0];
      expect(account).toBeDefined();
      const detail = await get(`/api/v1/integrations/${integration.id}/accounts/${account?.accountId ?? ''}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json<{ account: { accountId: string } }>().account.accountId).toBe(account?.accountId);
      // By label too.
      expect((await get(`/api/v1/integrations/acme/accounts/${account?.accountId ?? ''}`)).statusCode).toBe(
        200,
      );
      expectErrorShape(await get(`/api/v1/integrations/${integration.id}/accounts/nobody`), 404, 'not_found');
      expectErrorShape(
        await get(`/api/v1/integrations/nope/accounts/${account?.accountId ?? ''}`),
        404,
        'not_found',
      );

      const groups = (await get('/api/v1/groups?limit=5')).json<
        Page<{ groupId: string; memberCount: number; name: string }>
      >();
      expect(groups.items).toHaveLength(5);
      const allGroups = (await get('/api/v1/groups?limit=1000')).json<
        Page<{ groupId: string; memberCount: number; name: string }>
      >();
      expect(allGroups.total).toBe(groups.total);
      const biggest = [...allGroups.items].sort((a, b) => b.memberCount - a.memberCount)[0];
      expect(biggest?.memberCount).toBeGreaterThan(1);
      const groupPage = (
        await get(`/api/v1/integrations/${integration.id}/groups/${biggest?.groupId ?? ''}?limit=1`)
      ).json<{
        group: { memberCount: number };
        members: Page<{ accountId: string }>;
      }>();
      expect(groupPage.members.items).toHaveLength(1);
      expect(groupPage.members.total).toBe(biggest?.memberCount);
      const viaFilter = (await get(`/api/v1/accounts?groupId=${biggest?.groupId ?? ''}&limit=1`)).json<
        Page<AccountItem>
      >();
      expect(viaFilter.total).toBe(biggest?.memberCount);
      const named = (await get(`/api/v1/groups?search=${encodeURIComponent(biggest?.name ?? '')}`)).json<
        Page<{ groupId: string }>
      >();
      expect(named.items.map((g) => g.groupId)).toContain(biggest?.groupId);
      expectErrorShape(
        await get(`/api/v1/integrations/${integration.id}/groups/no-such-group`),
        404,
        'not_found',
      );

      const projects = (await get('/api/v1/projects?limit=1000')).json<
        Page<{ projectId: string; key: string; lead: { accountId: string } | null }>
      >();
      expect(projects.total).toBeGreaterThan(0);
      expect(projects.items.some((p) => p.lead !== null)).toBe(true);
      const project = projects.items[0];
      const projectDetail = (
        await get(`/api/v1/integrations/${integration.id}/projects/${project?.projectId ?? ''}`)
      ).json<{
        project: { key: string };
        roles: { roleId: string; actors: { actorType: string; actorId: string }[] }[];
      }>();
      expect(projectDetail.project.key).toBe(project?.key);
      expect(projectDetail.roles.length).toBeGreaterThan(0);
      const byKey = (await get(`/api/v1/projects?search=${encodeURIComponent(project?.key ?? '')}`)).json<
        Page<{ key: string }>
      >();
      expect(byKey.items.map((p) => p.key)).toContain(project?.key);
      expectErrorShape(
        await get(`/api/v1/integrations/${integration.id}/projects/99999999`),
        404,
        'not_found',
      );
      expectErrorShape(await get('/api/v1/groups?limit=5000'), 400, 'invalid_input');
    } finally {
      await t.close();
    }
  });

  it('prices idle seats from the seat-price settings', async () => {
    await setUp();
    try {
      interface Licenses {
        lines: {
          productKey: string;
          inactiveBillable: number;
          pricePerSeat: number | null;
          monthlyWaste: number | null;
        }[];
        totals: { monthlyWaste: number; inactiveBillable: number };
      }
      const before = (await get('/api/v1/licenses')).json<Licenses>();
      expect(before.lines.length).toBeGreaterThan(0);
      expect(before.lines.every((l) => l.pricePerSeat === null && l.monthlyWaste === null)).toBe(true);
      const line = before.lines.find((l) => l.inactiveBillable > 0) ?? before.lines[0];
      const key = line?.productKey ?? '';

      const put = await call(t.server, admin, {
        method: 'PUT',
        url: '/api/v1/settings/seat-prices',
        payload: { prices: { [key]: 8.15 } },
      });
      expect(put.statusCode).toBe(200);
      expect((await get('/api/v1/settings/seat-prices')).json()).toEqual({ prices: { [key]: 8.15 } });
      const after = (await get('/api/v1/licenses?inactiveDays=90')).json<Licenses>();
      const priced = after.lines.find((l) => l.productKey === key);
      expect(priced?.pricePerSeat).toBe(8.15);
      expect(priced?.monthlyWaste).toBeCloseTo(8.15 * (priced?.inactiveBillable ?? 0), 2);
      expect(after.totals.monthlyWaste).toBeCloseTo(priced?.monthlyWaste ?? 0, 2);
      expect(after.totals.inactiveBillable).toBe(after.lines.reduce((s, l) => s + l.inactiveBillable, 0));

      // A longer idle threshold never finds more idle seats.
      const lenient = (await get('/api/v1/licenses?inactiveDays=3650')).json<Licenses>();
      expect(lenient.totals.inactiveBillable).toBeLessThanOrEqual(after.totals.inactiveBillable);

      for (const payload of [{ prices: { [key]: -1 } }, { prices: { [key]: 'ten' } }, { prices: [] }, {}]) {
        expectErrorShape(
          await call(t.server, admin, { method: 'PUT', url: '/api/v1/settings/seat-prices', payload }),
          400,
          'invalid_input',
        );
      }
      const approver = await signIn(t.server, t.app, 'approver');
      expect((await get('/api/v1/licenses', approver)).statusCode).toBe(200);
      const denied = await call(t.server, approver, {
        method: 'PUT',
        url: '/api/v1/settings/seat-prices',
        payload: { prices: {} },
      });
      expectErrorShape(denied, 403, 'forbidden');
    } finally {
      await t.close();
    }
  });

  it('lists runs and shows one; never returns a secret', async () => {
    await setUp();
    try {
      const runs = (await get(`/api/v1/integrations/${integration.id}/runs?limit=5`)).json<{
        items: { id: string; status: string }[];
      }>();
      expect(runs.items).toHaveLength(1);
      const run = runs.items[0];
      expect(run?.status).toBe('succeeded');
      const one = (await get(`/api/v1/runs/${run?.id ?? ''}`)).json<Record<string, unknown>>();
      expect(one.id).toBe(run?.id);
      expect(one).not.toHaveProperty('checkpoint');
      expectErrorShape(await get('/api/v1/runs/no-such-run'), 404, 'not_found');
      expectErrorShape(await get('/api/v1/integrations/nope/runs'), 404, 'not_found');
      expectErrorShape(
        await get(`/api/v1/integrations/${integration.id}/runs?limit=0`),
        400,
        'invalid_input',
      );

      const list = (await get('/api/v1/integrations')).json<{
        items: { hasApiToken: boolean; hasOrgKey: boolean; lastRun: { id: string } | null }[];
      }>();
      expect(list.items[0]?.hasApiToken).toBe(true);
      expect(list.items[0]?.hasOrgKey).toBe(true);
      expect(list.items[0]?.lastRun?.id).toBe(run?.id);
      await get(`/api/v1/integrations/${integration.id}`);
      await get('/api/v1/accounts/export?format=json');
      for (const secret of [sim.credentials.apiToken, sim.credentials.orgApiKey]) {
        expect(bodies.some((body) => body.includes(secret))).toBe(false);
      }
      expect(bodies.length).toBeGreaterThan(5);
    } finally {
      await t.close();
    }
  });
});
