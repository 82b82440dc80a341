// Navigation follows the role: an auditor reads but cannot change, a requester sees only tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startStack, type Stack } from './harness.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ users: 50 });
  await stack.addUser('auditor@example.test', 'auditor');
  await stack.addUser('requester@example.test', 'requester');
});

afterAll(async () => {
  await stack.close();
});

async function signInAs(email: string): Promise<string> {
  const { page } = stack;
  await page.goto('/');
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
  return page.getByRole('navigation', { name: 'Main' }).innerText();
}

async function signOut(): Promise<void> {
  await stack.page.getByRole('button', { name: 'Sign out' }).click();
  await stack.page.getByRole('button', { name: 'Sign in' }).waitFor();
}

describe('role-aware navigation', () => {
  it('shows an auditor every read view and no write action', async () => {
    const { page } = stack;
    const nav = await signInAs('auditor@example.test');
    for (const item of ['Integrations', 'Accounts', 'Groups', 'Projects', 'Licenses', 'Sync runs & health']) {
      expect(nav).toContain(item);
    }
    expect(nav).not.toContain('API tokens');
    await page.waitForURL('**/integrations');
    await page.getByText('Ask an admin to connect a site.').waitFor();
    expect(await page.getByRole('button', { name: 'Add integration' }).count()).toBe(0);
    // Typing the address of an admin page does not open it.
    await page.goto('/integrations/new');
    await page.getByText('Your role (auditor) cannot open this page.').waitFor();
    await signOut();
  });

  it('shows a requester only their requests and API tokens, and creates a token shown once', async () => {
    const { page } = stack;
    const nav = await signInAs('requester@example.test');
    expect(nav.trim()).toBe('Request access\nMy requests\nAPI tokens');
    await page.waitForURL('**/requests/new');
    await page.getByRole('navigation', { name: 'Main' }).getByText('API tokens').click();
    await page.waitForURL('**/tokens');
    await page.getByLabel('Token name').fill('ci');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByText(/^swt_/);
    await shown.waitFor();
    const token = await shown.innerText();
    // Outside the browser (no cookie), the token works as a Bearer credential within the role's limits.
    const bearer = { authorization: `Bearer ${token}` };
    const me = await fetch(`${stack.baseUrl}/api/v1/auth/me`, { headers: bearer });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('requester@example.test');
    const accounts = await fetch(`${stack.baseUrl}/api/v1/accounts`, { headers: bearer });
    expect(accounts.status).toBe(403);
    await page.getByRole('table', { name: 'API tokens' }).getByText('ci').waitFor();
    await stack.screenshot('20-requester-tokens');
    await signOut();
    expect(stack.dialogs).toEqual([]);
  });
});
