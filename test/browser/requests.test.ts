// Access requests end to end in the browser, against the simulator: an admin puts a project role in
// the catalogue (through the API: the catalogue UI is not the point here), a requester asks for it
// in the UI, the project's lead signs in, approves it from the inbox and watches it become
// provisioned, and the simulator then has the requester as an actor of that role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimAccount, SimProject } from '../../sim/index.ts';
import { ADMIN, startStack, type Stack } from './harness.ts';

let stack: Stack;
let integrationId = '';

interface Json {
  [key: string]: unknown;
}

/** Names may hold HTML-like text: the UI must show it as text and run nothing. */
const REASON = 'Need it for the <b>release</b> <img src=x onerror="alert(1)">';

const ROLE_NAME = 'Developers';

async function signIn(email: string): Promise<void> {
  const { page } = stack;
  await page.goto('/');
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

async function signOut(): Promise<void> {
  await stack.page.getByRole('button', { name: 'Sign out' }).click();
  await stack.page.getByRole('button', { name: 'Sign in' }).waitFor();
}

/** A JSON call with the browser's own session (and its CSRF token on writes). */
async function callApi(
  method: 'GET' | 'POST',
  path: string,
  data?: Json,
): Promise<{ status: number; body: Json }> {
  const { page } = stack;
  const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': me.csrfToken },
    ...(data === undefined ? {} : { data }),
  });
  const text = await response.text();
  return { status: response.status(), body: text === '' ? {} : (JSON.parse(text) as Json) };
}

async function connectAndSync(): Promise<string> {
  const { sim } = stack;
  const created = await callApi('POST', '/integrations', {
    label: 'acme',
    siteUrl: sim.siteUrl,
    email: sim.credentials.adminEmail,
    apiToken: sim.credentials.apiToken,
    orgId: sim.orgId,
    orgApiKey: sim.credentials.orgApiKey,
    adminApiUrl: sim.adminApiUrl,
  });
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  expect((await callApi('POST', `/integrations/${id}/sync`, {})).status).toBe(202);
  // Polled by hand: expect.poll works only inside a test, and this runs in beforeAll.
  for (const deadline = Date.now() + 30_000; ;) {
    const summary = (await callApi('GET', `/integrations/${id}`)).body;
    const status = (summary.lastRun as Json | null | undefined)?.status;
    if (status === 'succeeded') break;
    if (status === 'failed' || Date.now() > deadline)
      throw new Error(`first sync did not succeed: ${String(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return id;
}

/** A person who can sign in to Atlassian and whose email Seatwarden can match. */
const isPlainActivePerson = (a: SimAccount | undefined): a is SimAccount =>
  a !== undefined &&
  a.accountType === 'atlassian' &&
  a.email !== null &&
  a.emailVisibleInJira &&
  a.directoryId !== null &&
  a.accountStatus === 'active' &&
  a.membershipStatus === 'active' &&
  a.jiraActive &&
  a.pendingDeletionSince === null;

interface Scenario {
  project: SimProject;
  roleId: number;
  lead: SimAccount;
  requester: SimAccount;
}

/** A project with an active lead, and someone else who has no way into its Developers role yet. */
function chooseScenario(): Scenario {
  const { state } = stack.sim;
  const roleId = state.roleDefinitions.find((r) => r.name === ROLE_NAME)?.id;
  if (roleId === undefined) throw new Error(`the simulator has no ${ROLE_NAME} role`);
  const own = new Set([state.adminAccountId, state.userAccountId]);
  for (const project of state.projects.values()) {
    const lead = state.accounts.get(project.leadAccountId);
    const actors = project.roles.get(roleId);
    if (project.archived || !isPlainActivePerson(lead) || actors === undefined) continue;
    const inRole = (accountId: string) =>
      actors.users.has(accountId) ||
      [...actors.groups].some((g) => state.groups.get(g)?.members.has(accountId) === true);
    const requester = [...state.accounts.values()].find(
      (a) =>
        isPlainActivePerson(a) &&
        a.accountId !== lead.accountId &&
        a.email !== lead.email &&
        !own.has(a.accountId) &&
        !a.orgAdmin &&
        !a.siteAdmin &&
        !inRole(a.accountId),
    );
    if (requester) return { project, roleId, lead, requester };
  }
  throw new Error('the simulator has no project with an active lead and a possible requester');
}

let scenario: Scenario;
let itemLabel = '';

beforeAll(async () => {
  stack = await startStack({ users: 80 });
  await signIn(ADMIN.email);
  integrationId = await connectAndSync();
  scenario = chooseScenario();
  // Seatwarden users matched to the Atlassian accounts by email.
  await stack.addUser(scenario.requester.email ?? '', 'requester');
  await stack.addUser(scenario.lead.email ?? '', 'approver');
  const item = await callApi('POST', `/integrations/${integrationId}/catalog`, {
    kind: 'projectRole',
    target: { projectId: scenario.project.id, roleId: String(scenario.roleId) },
    description: 'Build and <i>release</i> access',
  });
  if (item.status !== 201) throw new Error(`catalogue item not created: ${JSON.stringify(item.body)}`);
  itemLabel = String(item.body.label);
}, 90_000);

afterAll(async () => {
  await stack.close();
});

describe('access requests in the web UI', () => {
  it('shows the admin the catalogue item on the Catalogue page', async () => {
    const { page } = stack;
    const nav = await page.getByRole('navigation', { name: 'Main' }).innerText();
    for (const entry of ['Inbox', 'Request access', 'My requests', 'All requests', 'Catalogue'])
      expect(nav).toContain(entry);
    await page.goto('/admin/catalogue');
    const row = page.getByTestId('catalog-row').filter({ hasText: itemLabel });
    await row.waitFor();
    expect(await row.innerText()).toContain("The project's lead");
    // The description is shown as text, not markup.
    await row.getByText('Build and <i>release</i> access').waitFor();
    await stack.screenshot('50-admin-catalogue');
  });

  it('lets the admin add a product to the catalogue and change reminder hours in the UI', async () => {
    const { page, sim } = stack;
    const product = sim.state.products[0];
    if (!product) throw new Error('the simulator has no product');
    await page.getByRole('button', { name: 'Add item' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Product', { exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Product' }).click();
    await page.getByRole('option', { name: product.key }).first().click();
    await dialog.getByRole('textbox', { name: 'Longest access (days)' }).fill('30');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByTestId('catalog-row').filter({ hasText: '30 days' });
    await row.waitFor();
    expect(await row.innerText()).toContain("The integration's owners");

    await page.getByRole('textbox', { name: 'Remind after (hours)' }).fill('8');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    const settings = await callApi('GET', `/integrations/${integrationId}/approval-settings`);
    expect(settings.body.reminderAfterHours).toBe(8);
    await signOut();
  });

  it('lets the requester ask for the project role, and lists it as pending', async () => {
    const { page } = stack;
    await signIn(scenario.requester.email ?? '');
    const nav = await page.getByRole('navigation', { name: 'Main' }).innerText();
    expect(nav).toContain('Request access');
    expect(nav).toContain('My requests');
    expect(nav).not.toContain('Inbox');
    expect(nav).not.toContain('Catalogue');

    await page.getByRole('navigation', { name: 'Main' }).getByText('Request access').click();
    await page.getByRole('checkbox', { name: `Request ${itemLabel}` }).check();
    await page.getByLabel(/^Reason/).fill(REASON);
    await page.getByText('For a number of days', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Days' }).fill('14');
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    await page.getByTestId('requested').waitFor();
    await stack.screenshot('51-requester-requested');

    await page.getByRole('link', { name: 'See my requests' }).click();
    const row = page
      .getByRole('table', { name: 'My requests' })
      .getByRole('row')
      .filter({ hasText: itemLabel });
    await row.locator('[data-testid="request-status"][data-status="pending"]').waitFor();

    // The detail page shows the route to the lead, and the reason as text.
    await row.getByRole('link', { name: itemLabel }).click();
    await page.getByTestId('request-label').waitFor();
    await page.getByText(REASON, { exact: true }).waitFor();
    const step = page.getByTestId('request-step').first();
    expect(await step.getAttribute('data-status')).toBe('pending');
    await step
      .getByTestId('approver')
      .filter({ hasText: scenario.lead.email ?? '' })
      .waitFor();
    await stack.screenshot('52-requester-detail');
    await signOut();
  });

  it('lets the project lead approve from the inbox and see it provisioned', async () => {
    const { page, sim } = stack;
    await signIn(scenario.lead.email ?? '');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.innerText()).not.toContain('Catalogue');
    await nav.getByText('Inbox').click();

    const row = page.getByRole('table', { name: 'Inbox' }).getByRole('row').filter({ hasText: itemLabel });
    await row.waitFor();
    expect(await row.innerText()).toContain(scenario.requester.email ?? '');
    await stack.screenshot('53-lead-inbox');
    await row.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Comment/).fill('Welcome aboard');
    await dialog.getByRole('button', { name: 'Confirm approve' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Decided requests stay on the page with their live status, until provisioned.
    const decided = page.getByTestId('decided-request').filter({ hasText: itemLabel });
    await decided
      .locator('[data-testid="request-status"][data-status="provisioned"]')
      .waitFor({ timeout: 30_000 });
    await stack.screenshot('54-lead-provisioned');
    // It has left the inbox.
    await page.getByText('Nothing waits for your decision.').waitFor();

    // The request page agrees: approved by the lead, with their comment, and provisioned.
    await decided.getByRole('link', { name: itemLabel }).click();
    await page.locator('[data-testid="request-status"][data-status="provisioned"]').waitFor();
    await page.getByTestId('decision-comment').getByText('Welcome aboard', { exact: false }).waitFor();
    await page.getByTestId('provisioning').waitFor();
    await stack.screenshot('55-request-provisioned');

    // And Atlassian (the simulator) has the requester in the role.
    const actors = sim.state.projects.get(scenario.project.id)?.roles.get(scenario.roleId);
    expect(actors?.users.has(scenario.requester.accountId)).toBe(true);
    expect(stack.dialogs).toEqual([]);
    expect(stack.pageErrors).toEqual([]);
    await signOut();
  });

  it('shows the requester the request provisioned, with its expiry', async () => {
    const { page } = stack;
    await signIn(scenario.requester.email ?? '');
    await page.goto('/requests');
    const row = page
      .getByRole('table', { name: 'My requests' })
      .getByRole('row')
      .filter({ hasText: itemLabel });
    await row.locator('[data-testid="request-status"][data-status="provisioned"]').waitFor();
    expect(await row.innerText()).not.toContain('never');
    expect(stack.dialogs).toEqual([]);
  });
});
