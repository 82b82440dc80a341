// `seatwarden requests` end to end, as an operator runs it on the server (SQLite data dir): a
// requester asks, the lead sees it in the inbox and approves, and the access is provisioned
// before the command returns; deciding one's own request is refused with a one-line error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.ts';
import { createCatalogItem } from '../../src/approvals/index.ts';
import { createUser } from '../../src/http/auth/index.ts';
import { openStore } from '../../src/storage/db.ts';
import { runCli } from '../cli/run-cli.ts';
import { FAST_BUDGETS, testApp } from '../support/app.ts';
import { dialects } from '../support/databases.ts';
import { DEVELOPERS_ROLE, pickProject, pickRequester } from './harness.ts';

let sim: Simulator;
let dataDir: string;
beforeAll(async () => {
  sim = await startSimulator({ users: 200, seed: 11 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'seatwarden-requests-cli-'));
});
afterAll(async () => {
  await sim.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({
  ...FAST_BUDGETS,
  SEATWARDEN_DATA_DIR: dataDir,
  SEATWARDEN_API_TOKEN: sim.credentials.apiToken,
  SEATWARDEN_ORG_API_KEY: sim.credentials.orgApiKey,
});

it.runIf(dialects.includes('sqlite'))(
  'creates, lists, approves and provisions a request from the command line',
  { timeout: 120_000 },
  async () => {
    const add = await runCli(
      [
        'integrations',
        'add',
        '--label',
        'acme',
        '--site-url',
        sim.siteUrl,
        '--email',
        sim.credentials.adminEmail,
        '--org-id',
        sim.orgId,
        '--admin-api-url',
        sim.adminApiUrl,
      ],
      env(),
    );
    expect(add.code, add.stderr).toBe(0);
    expect((await runCli(['sync'], env())).code).toBe(0);

    const { project, lead } = pickProject(sim);
    const requester = pickRequester(sim, project);
    const store = await openStore({ dataDir });
    let itemId: string;
    try {
      const app = testApp(store, dataDir);
      const integrationId = (await app.db.selectFrom('integrations').select('id').executeTakeFirstOrThrow())
        .id;
      for (const [email, role] of [
        [lead.email ?? '', 'approver'],
        [requester.email ?? '', 'requester'],
      ] as const)
        await createUser(app.db, {
          email,
          displayName: email,
          role,
          password: 'correct horse battery staple',
        });
      itemId = (
        await createCatalogItem(
          app,
          integrationId,
          { kind: 'projectRole', target: { projectId: project.id, roleId: DEVELOPERS_ROLE } },
          { actor: 'test', via: 'cli', requestId: null },
        )
      ).id;
    } finally {
      await store.close();
    }

    const catalog = await runCli(['requests', 'catalog', '--as', requester.email ?? '', '--json'], env());
    expect(catalog.code, catalog.stderr).toBe(0);
    expect((JSON.parse(catalog.stdout) as { id: string }[]).map((i) => i.id)).toEqual([itemId]);

    const created = await runCli(
      [
        'requests',
        'create',
        '--as',
        requester.email ?? '',
        '--item',
        itemId,
        '--reason',
        'joining',
        '--days',
        '7',
        '--json',
      ],
      env(),
    );
    expect(created.code, created.stderr).toBe(0);
    const [request] = JSON.parse(created.stdout) as { id: string; status: string }[];
    expect(request?.status).toBe('pending');
    const id = request?.id ?? '';

    const inbox = await runCli(['requests', 'inbox', '--as', lead.email ?? '', '--json'], env());
    expect((JSON.parse(inbox.stdout) as { id: string }[]).map((r) => r.id)).toEqual([id]);

    const self = await runCli(['requests', 'approve', id, '--as', requester.email ?? ''], env());
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/needs requests:decide/);

    const approved = await runCli(['requests', 'approve', id, '--as', lead.email ?? '', '--json'], env());
    expect(approved.code, approved.stderr).toBe(0);
    expect((JSON.parse(approved.stdout) as { status: string }).status).toBe('provisioned');
    expect(
      sim.state.projects.get(project.id)?.roles.get(Number(DEVELOPERS_ROLE))?.users.has(requester.accountId),
    ).toBe(true);

    const listed = await runCli(['requests', 'list', '--as', requester.email ?? ''], env());
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('provisioned');
  },
);
