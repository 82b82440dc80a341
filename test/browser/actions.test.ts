// Provisioning from the browser, against the simulator: every action shows its dry-run plan first,
// then runs on confirmation, and the page and the simulator both show the change. An auditor sees
// no action at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimAccount } from '../../sim/index.ts';
import { ADMIN, startStack, type Stack } from './harness.ts';

let stack: Stack;
let integrationId = '';

interface Json {
  [key: string]: unknown;
}

async function signIn(email: string): Promise<void> {
  const { page } = stack;
  await page.goto('/');
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/** Connects the simulator through the API with the browser's own session, and syncs it. */
async function connectAndSync(): Promise<string> {
  const { page, sim } = stack;
  const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': me.csrfToken };
  const created = await page.request.post('/api/v1/integrations', {
    headers,
    data: {
      label: 'acme',
      siteUrl: sim.siteUrl,
      email: sim.credentials.adminEmail,
      apiToken: sim.credentials.apiToken,
      orgId: sim.orgId,
      orgApiKey: sim.credentials.orgApiKey,
      adminApiUrl: sim.adminApiUrl,
    },
  });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  expect((await page.request.post(`/api/v1/integrations/${id}/sync`, { headers, data: {} })).status()).toBe(
    202,
  );
  // Polled by hand: expect.poll works only inside a test, and this runs in beforeAll.
  for (const deadline = Date.now() + 30_000; ;) {
    const summary = (await (await page.request.get(`/api/v1/integrations/${id}`)).json()) as Json;
    const status = (summary.lastRun as Json | null | undefined)?.status;
    if (status === 'succeeded') break;
    if (status === 'failed' || Date.now() > deadline)
      throw new Error(`first sync did not succeed: ${String(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return id;
}

/** A plain, active, managed person the credentials do not belong to. */
function candidates(): SimAccount[] {
  const { state } = stack.sim;
  const own = new Set([state.adminAccountId, state.userAccountId]);
  return [...state.accounts.values()].filter(
    (a) =>
      a.accountType === 'atlassian' &&
      a.managed &&
      a.directoryId !== null &&
      a.accountStatus === 'active' &&
      a.membershipStatus === 'active' &&
      a.jiraActive &&
      a.pendingDeletionSince === null &&
      !a.orgAdmin &&
      !a.siteAdmin &&
      !own.has(a.accountId),
  );
}

const nonIdpGroups = () => [...stack.sim.state.groups.values()].filter((g) => !g.idpManaged);
const groupsOf = (accountId: string) => nonIdpGroups().filter((g) => g.members.has(accountId));
const accountPage = (accountId: string) =>
  `/integrations/${encodeURIComponent(integrationId)}/accounts/${encodeURIComponent(accountId)}`;

beforeAll(async () => {
  stack = await startStack({ users: 80 });
  await stack.addUser('auditor@example.test', 'auditor');
  await signIn(ADMIN.email);
  integrationId = await connectAndSync();
}, 60_000);

afterAll(async () => {
  await stack.close();
});

describe('actions in the web UI', () => {
  let added = '';

  it('adds an account to a group: plan, confirm, then the page and the simulator agree', async () => {
    const { page, sim } = stack;
    const target = candidates().find((a) =>
      nonIdpGroups().some((g) => g.directoryId === a.directoryId && !g.members.has(a.accountId)),
    );
    if (!target) throw new Error('the simulator has no account to add to a group');
    added = target.accountId;
    const group = nonIdpGroups().find(
      (g) => g.directoryId === target.directoryId && !g.members.has(target.accountId),
    );
    if (!group) throw new Error('no group to add to');

    await page.goto(accountPage(target.accountId));
    await page.getByTestId('account-name').waitFor();
    await page.getByRole('button', { name: 'Add to group', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Group' }).fill(group.name);
    await page.getByRole('option', { name: group.name, exact: true }).first().click();
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const plan = dialog.getByTestId('operation-plan');
    await plan.waitFor();
    const call = (await plan.getByTestId('planned-call').innerText()).trim();
    expect(call).toMatch(/^POST \//);
    expect(call).toContain(encodeURIComponent(group.groupId));
    expect(await plan.locator('[data-decision="run"]').count()).toBe(1);
    // Planning changed nothing.
    expect(sim.state.groups.get(group.groupId)?.members.has(target.accountId)).toBe(false);
    await stack.screenshot('30-add-to-group-plan');

    await dialog.getByRole('button', { name: 'Confirm: Add to group' }).click();
    await dialog.locator('[data-testid="operation-result"][data-status="succeeded"]').waitFor();
    await stack.screenshot('31-add-to-group-done');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The inventory shown updates at once, without a sync.
    await page
      .getByRole('table', { name: 'Groups' })
      .getByRole('link', { name: group.name, exact: true })
      .waitFor();
    expect(sim.state.groups.get(group.groupId)?.members.has(target.accountId)).toBe(true);
  });

  it('offboards an account: per-item results, then suspended and out of every non-IdP group', async () => {
    const { page, sim } = stack;
    const target = candidates().find((a) => a.accountId !== added && groupsOf(a.accountId).length >= 2);
    if (!target) throw new Error('the simulator has no account in two groups');
    const before = groupsOf(target.accountId).length;

    await page.goto(accountPage(target.accountId));
    await page.getByTestId('account-name').waitFor();
    await page.getByRole('button', { name: 'Offboard', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const plan = dialog.getByTestId('operation-plan');
    await plan.waitFor();
    expect(await plan.getByTestId('operation-item').count()).toBeGreaterThanOrEqual(before + 1);
    expect(await plan.getByTestId('planned-call').count()).toBeGreaterThanOrEqual(before + 1);
    expect(sim.state.accounts.get(target.accountId)?.membershipStatus).toBe('active');
    await stack.screenshot('32-offboard-plan');

    const confirm = dialog.getByRole('button', { name: 'Confirm (destructive): Offboard' });
    await confirm.click();
    const result = dialog.getByTestId('operation-result');
    await result.waitFor({ timeout: 30_000 });
    expect(['succeeded', 'partial']).toContain(await result.getAttribute('data-status'));
    const items = result.getByTestId('operation-item');
    expect(await items.count()).toBeGreaterThanOrEqual(before + 1);
    expect(
      await result.locator('[data-testid="operation-item"][data-status="succeeded"]').count(),
    ).toBeGreaterThanOrEqual(before + 1);
    expect(await result.locator('[data-testid="operation-item"][data-status="failed"]').count()).toBe(0);
    await stack.screenshot('33-offboard-done');
    await dialog.getByRole('button', { name: 'Close' }).click();

    expect(sim.state.accounts.get(target.accountId)?.membershipStatus).toBe('suspended');
    expect(groupsOf(target.accountId)).toEqual([]);
    // The page shows the suspension and the empty groups without a sync.
    await page.getByRole('button', { name: 'Restore', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Groups (0)' }).waitFor();
    expect(stack.dialogs).toEqual([]);
  });

  it('shows an auditor no action buttons', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn('auditor@example.test');

    await page.goto(accountPage(added));
    await page.getByTestId('account-name').waitFor();
    await page.getByRole('heading', { name: /^Groups \(\d+\)$/ }).waitFor();
    expect(await page.getByTestId('account-actions').count()).toBe(0);
    expect(
      await page
        .locator('main button')
        .filter({ hasText: /Remove|Offboard|Suspend|Add to group/ })
        .count(),
    ).toBe(0);

    await page.goto('/groups');
    await page.getByRole('table', { name: 'Groups' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create group' }).count()).toBe(0);
    await page.goto('/accounts');
    await page.getByRole('table', { name: 'Accounts' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create user' }).count()).toBe(0);
    await stack.screenshot('34-auditor-no-actions');
  });
});
