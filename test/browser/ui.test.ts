// The admin's first hour, in a real browser against the real server and the simulator: sign in,
// connect a site (test, a wrong token, save), watch the first sync, filter and open accounts, see
// licenses, and check that hostile display names render as text with no script running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate } from '../../sim/index.ts';
import { ADMIN, startStack, type Stack } from './harness.ts';

const IMG_NAME = '<img src=x onerror=alert(1)>';
const SCRIPT_NAME = '<script>alert("xss")</script>';
const DAY = 86_400_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ users: 300 });
  // The generator plants hostile names only rarely: make sure two are there, idle and billable-looking.
  const longAgo = new Date(Date.now() - 200 * DAY).toISOString();
  for (const displayName of [IMG_NAME, SCRIPT_NAME]) {
    const input = mutate.mutationSchema.parse({ op: 'addUser', displayName, lastActive: longAgo });
    mutate.applyMutation(stack.sim.state, input, new Date());
  }
});

afterAll(async () => {
  await stack.close();
});

async function lastActiveDays(): Promise<number[]> {
  const cells = await stack.page
    .locator('table[aria-label="Accounts"] tbody tr td:nth-child(6)')
    .allInnerTexts();
  return cells.map((text) => {
    const match = /^(\d+) days ago$/.exec(text.trim());
    if (!match?.[1]) throw new Error(`unexpected last-active cell: ${text}`);
    return Number(match[1]);
  });
}

describe('web UI against the simulator', () => {
  it('refuses a wrong password, then signs in', async () => {
    const { page } = stack;
    await page.goto('/');
    await page.getByLabel(/^Email/).fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();

    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').getByText(`${ADMIN.displayName} (admin)`).waitFor();
    // An admin lands on integrations and sees every section.
    await page.waitForURL('**/integrations');
    const nav = await page.getByRole('navigation', { name: 'Main' }).innerText();
    for (const item of ['Integrations', 'Accounts', 'Groups', 'Projects', 'Licenses', 'Sync runs & health']) {
      expect(nav).toContain(item);
    }
    await stack.screenshot('01-signed-in');
  });

  it('tests the connection: success, then a wrong token with the 401 guidance', async () => {
    const { page, sim } = stack;
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByLabel(/^Label/).fill('acme');
    await page.getByLabel(/^Site URL/).fill(sim.siteUrl);
    await page.getByLabel(/^Admin email/).fill(sim.credentials.adminEmail);
    await page.getByLabel(/^API token/).fill(sim.credentials.apiToken);
    await page.getByLabel(/^Organization ID/).fill(sim.orgId);
    await page.getByLabel(/^Organization API key/).fill(sim.credentials.orgApiKey);
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByLabel(/^Admin API URL/).fill(sim.adminApiUrl);

    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('connection-result');
    await result.getByText('Connection works').waitFor();
    const checks = result.getByRole('listitem');
    expect(await checks.count()).toBeGreaterThanOrEqual(3);
    expect(await result.getByLabel('failed').count()).toBe(0);
    expect(await result.innerText()).toContain('jira.myself');
    await stack.screenshot('02-connection-ok');

    await page.getByLabel(/^API token/).fill('not-a-real-token');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await result.getByText('Connection failed').waitFor();
    const failed = result.locator('li[data-ok="false"]');
    expect(await failed.count()).toBeGreaterThanOrEqual(1);
    const guidance = await failed.first().innerText();
    expect(guidance).toContain('Jira rejected the email or API token');
    expect(guidance).toContain('id.atlassian.com/manage-profile/security/api-tokens');
    await stack.screenshot('03-connection-401');
  });

  it('saves the integration and shows the first sync progressing to the end', async () => {
    const { page, sim } = stack;
    // Enough latency per call that the sync lasts several of the page's one-second polls.
    sim.configure({ latencyMs: 400 });
    await page.getByLabel(/^API token/).fill(sim.credentials.apiToken);
    await page.getByRole('button', { name: 'Save and sync' }).click();
    await page.getByRole('heading', { name: 'acme is connected' }).waitFor();
    const progress = page.getByTestId('sync-progress');
    // Polled every second: a running sync shows its phase and growing counts.
    await page
      .locator('[data-testid="sync-progress"][data-status="running"]')
      .filter({ hasText: /Phase: \S+ · [1-9][\d,]* items · [1-9][\d,]* API calls/ })
      .waitFor({ timeout: 30_000 });
    await stack.screenshot('04-sync-running');
    await page.locator('[data-testid="sync-progress"][data-status="succeeded"]').waitFor({ timeout: 90_000 });
    sim.configure({ latencyMs: 0 });
    expect(await progress.innerText()).toMatch(/Finished · [\d,]+ items · [1-9][\d,]* API calls/);
    await stack.screenshot('05-sync-done');

    // The integrations list now shows healthy credentials and the run.
    await page.getByRole('navigation', { name: 'Main' }).getByText('Integrations').click();
    const row = page.getByRole('table', { name: 'Integrations' });
    await row.getByText('site: ok').waitFor();
    await row.getByText('org: ok').waitFor();
    await row.getByText('succeeded').waitFor();
  });

  it('filters accounts inactive for 90 days and opens one', async () => {
    const { page } = stack;
    await page.getByRole('navigation', { name: 'Main' }).getByText('Accounts').click();
    const summary = page.getByTestId('pager-summary');
    await summary.getByText(/of [\d,]+$/).waitFor();
    const totalOf = async () =>
      Number(/of ([\d,]+)$/.exec(await summary.innerText())?.[1]?.replaceAll(',', ''));
    const all = await totalOf();
    expect(all).toBeGreaterThan(300);

    await page.getByLabel('Inactive for (days)').fill('90');
    await page.waitForURL(/inactiveDays=90/);
    await expect.poll(totalOf).toBeLessThan(all);
    const days = await lastActiveDays();
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect(d).toBeGreaterThanOrEqual(90);
    await stack.screenshot('06-accounts-inactive-90');

    // Sorting by last active (server side) puts the longest idle first.
    await page.getByRole('button', { name: 'Last active' }).click();
    await page.waitForURL(/sort=lastActive/);
    await expect.poll(async () => (await lastActiveDays())[0]).toBeGreaterThanOrEqual(90);

    // The export links carry the same filters.
    const csvHref = await page.getByTestId('export-csv').getAttribute('href');
    expect(csvHref).toContain('/api/v1/accounts/export?');
    expect(csvHref).toContain('inactiveDays=90');
    expect(csvHref).toContain('format=csv');
    const download = await page.request.get(csvHref ?? '');
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toContain('attachment');
    const csvLines = (await download.text()).trim().split('\n');
    expect(csvLines.length - 1).toBe(await totalOf());

    const first = page
      .locator('table[aria-label="Accounts"] tbody tr')
      .first()
      .locator('td')
      .first()
      .getByRole('link');
    const name = (await first.innerText()).trim();
    await first.click();
    await page.waitForURL(/\/integrations\/[^/]+\/accounts\//);
    expect((await page.getByTestId('account-name').innerText()).trim()).toBe(name);
    for (const section of ['Products', 'Groups', 'Project roles', 'Projects led', 'History']) {
      await page.getByRole('heading', { name: new RegExp(`^${section} \\(\\d+\\)$`) }).waitFor();
    }
    await stack.screenshot('07-account');
  });

  it('renders hostile display names as text and runs no script', async () => {
    const { page } = stack;
    await page.goto('/accounts?search=onerror');
    // The generator may plant the same hostile name too: any of them will do.
    const cell = page.getByRole('table', { name: 'Accounts' }).getByText(IMG_NAME, { exact: true }).first();
    await cell.waitFor();
    expect(await cell.isVisible()).toBe(true);
    expect(await page.locator('main img').count()).toBe(0);
    await cell.click();
    await page.waitForURL(/\/accounts\//);
    expect(await page.getByTestId('account-name').innerText()).toBe(IMG_NAME);
    expect(await page.locator('main img').count()).toBe(0);
    await stack.screenshot('08-hostile-img');

    await page.goto('/accounts?search=%3Cscript');
    await page
      .getByRole('table', { name: 'Accounts' })
      .getByText(SCRIPT_NAME, { exact: true })
      .first()
      .waitFor();
    expect(await page.locator('main script').count()).toBe(0);
    expect(stack.dialogs).toEqual([]);
  });

  it('shows the licenses chart and prices idle seats', async () => {
    const { page } = stack;
    await page.getByRole('navigation', { name: 'Main' }).getByText('Licenses').click();
    const chart = page.getByTestId('license-chart');
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(3);
    const idle = Number((await page.getByTestId('inactive-billable').innerText()).replaceAll(',', ''));
    expect(idle).toBeGreaterThan(0);

    const prices = page.getByLabel(/^Price per seat for /);
    const count = await prices.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await prices.nth(i).fill('10');
    // Waste follows the draft at once: $10 per idle seat over every product line.
    const rows = page.getByRole('table', { name: 'Licenses' }).locator('tbody tr');
    let idleSeats = 0;
    for (const text of await rows.locator('td:nth-child(6)').allInnerTexts())
      idleSeats += Number(text.replaceAll(',', ''));
    const expected = (idleSeats * 10).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    await page.getByTestId('total-waste').getByText(expected, { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Save seat prices' }).click();
    await page.getByText('Seat prices saved.').waitFor();
    await page.reload();
    await page
      .getByLabel(/^Price per seat for /)
      .first()
      .waitFor();
    expect(
      await page
        .getByLabel(/^Price per seat for /)
        .first()
        .inputValue(),
    ).toBe('$10');
    await stack.screenshot('09-licenses');
  });

  it('browses groups, projects and sync runs', async () => {
    const { page } = stack;
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByText('Groups').click();
    const groups = page.getByRole('table', { name: 'Groups' });
    await groups.getByRole('link').first().waitFor();
    await page.getByLabel('Search').fill('jira-software');
    await page.waitForURL(/search=jira-software/);
    await groups.getByRole('link', { name: 'jira-software-users', exact: true }).click();
    await page.getByRole('heading', { name: 'jira-software-users' }).waitFor();
    const members = page.getByRole('table', { name: 'Members' }).locator('tbody tr');
    await members.first().waitFor();
    expect(await members.count()).toBeGreaterThan(1);
    await stack.screenshot('10-group');

    await nav.getByText('Projects').click();
    const projects = page.getByRole('table', { name: 'Projects' });
    await projects.locator('tbody tr').first().waitFor();
    expect(await projects.locator('tbody tr').count()).toBeGreaterThan(1);
    await projects.locator('tbody tr').first().locator('td:nth-child(2) a').click();
    await page.waitForURL(/\/projects\//);
    await page.getByText('Lead:').waitFor();
    await page.getByRole('heading', { level: 5 }).first().waitFor();
    await stack.screenshot('11-project');

    await nav.getByText('Sync runs & health').click();
    const runs = page.getByRole('table', { name: 'Sync runs' });
    await runs.getByText('succeeded').first().waitFor();
    await stack.screenshot('12-runs');
  });

  it('signs out', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto('/accounts');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(stack.dialogs).toEqual([]);
    expect(stack.pageErrors).toEqual([]);
  });
});
