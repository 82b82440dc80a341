// An HTTP server over a test store with a movable clock, a synced simulator integration, a job
// queue the test drains by hand, and Seatwarden users matched to simulator accounts by email.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { startSimulator, type SimAccount, type SimProject, type Simulator } from '../../sim/index.ts';
import type { App } from '../../src/app.ts';
import { createUser, type Role } from '../../src/http/auth/index.ts';
import { buildServer } from '../../src/http/server.ts';
import { JOB_HANDLERS, type EnqueueResult, type JobQueue, type JobType } from '../../src/jobs/index.ts';
import { singletonKeyOf, type Payload } from '../../src/jobs/types.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import { syncIntegration } from '../../src/sync/service.ts';
import { connectSimulator, FAST_BUDGETS, testApp, testClock, type TestClock } from '../support/app.ts';
import type { DialectContext } from '../support/databases.ts';
import { notificationTables } from '../../src/storage/notifications.ts';
import { person } from '../actions/harness.ts';
import { PASSWORD, type Caller } from '../http/support.ts';

export const START = '2026-03-02T09:00:00.000Z';
export const HOUR = 3_600_000;
export const DEVELOPERS_ROLE = '10001';
const ADMINISTRATORS_ROLE = 10002;

/** A queue that only records; `drain()` runs what was queued (request jobs), in order. */
export interface ManualJobs extends JobQueue {
  queued: { type: JobType; payload: unknown }[];
  drain(): Promise<void>;
}

export function manualJobs(
  app: App,
  handle: readonly JobType[] = ['requests.provision', 'requests.sweep'],
): ManualJobs {
  const queued: { type: JobType; payload: unknown; key: string | undefined }[] = [];
  let n = 0;
  const queue: ManualJobs = {
    engine: 'in-process',
    queued,
    enqueue<T extends JobType>(type: T, payload: Payload<T>): Promise<EnqueueResult> {
      const key = singletonKeyOf(type, payload);
      const existing = key === undefined ? -1 : queued.findIndex((q) => q.key === key);
      if (existing >= 0) return Promise.resolve({ jobId: `job-${String(existing)}`, deduplicated: true });
      queued.push({ type, payload, key });
      n += 1;
      return Promise.resolve({ jobId: `job-${String(n)}`, deduplicated: false });
    },
    status: () => Promise.resolve(undefined),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    async drain() {
      while (queued.length > 0) {
        const next = queued.shift();
        if (!next || !handle.includes(next.type)) continue;
        const handler = JOB_HANDLERS[next.type] as (
          app: App,
          payload: unknown,
          ctx: { jobId: string; attempt: number; jobs: JobQueue },
        ) => Promise<unknown>;
        await handler(app, next.payload, { jobId: 'manual', attempt: 1, jobs: queue });
      }
    },
  };
  return queue;
}

export interface ApprovalWorld {
  sim: Simulator;
  app: App;
  clock: TestClock;
  jobs: ManualJobs;
  server: FastifyInstance;
  integration: IntegrationSummary;
  close(): Promise<void>;
}

export async function startApprovalWorld(
  ctx: DialectContext,
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<ApprovalWorld> {
  const sim = await startSimulator({ users: 200, seed: 11 });
  const clock = testClock(START);
  const app = testApp(ctx.getStore(), ctx.getDataDir(), { ...FAST_BUDGETS, ...opts.env }, { clock });
  const integration = await connectSimulator(app, sim);
  const outcome = await syncIntegration(app, integration);
  if (outcome.status !== 'succeeded') throw new Error(`sync ${outcome.status}`);
  sim.resetStats();
  const jobs = manualJobs(app);
  const server = await buildServer(
    app,
    { jobs },
    { webDistDir: await mkdtemp(path.join(tmpdir(), 'sw-no-web-')) },
  );
  await server.ready();
  return {
    sim,
    app,
    clock,
    jobs,
    server,
    integration,
    close: async () => {
      await server.close();
      await sim.stop();
    },
  };
}

export interface Person extends Caller {
  userId: string;
  email: string;
  account: SimAccount | null;
}

/** A Seatwarden user (for a simulator account's email, or a made-up one) signed in over HTTP. */
export async function signInAs(w: ApprovalWorld, role: Role, account: SimAccount | string): Promise<Person> {
  const email = typeof account === 'string' ? account : (account.email ?? '');
  const user = await createUser(w.app.db, {
    email,
    displayName: email.split('@')[0] ?? email,
    role,
    password: PASSWORD,
  });
  const response = await w.server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'sw_session');
  if (!cookie) throw new Error('no session cookie');
  return {
    role,
    userId: user.id,
    email: user.email,
    account: typeof account === 'string' ? null : account,
    headers: {
      cookie: `sw_session=${cookie.value}`,
      'x-csrf-token': response.json<{ csrfToken: string }>().csrfToken,
    },
  };
}

export function api(
  w: ApprovalWorld,
  who: Caller,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return w.server.inject({
    method,
    url: `/api/v1${url}`,
    headers: who.headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

// The caller names the body's type, as light-my-request's response.json<T>() does.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function ok<T>(response: LightMyRequestResponse, status = 200): T {
  if (response.statusCode !== status)
    throw new Error(`expected ${String(status)}, got ${String(response.statusCode)}: ${response.body}`);
  return response.json<T>();
}

/** A project with an active lead and an active administrator other than the lead, both with emails. */
export function pickProject(sim: Simulator): { project: SimProject; lead: SimAccount; admin: SimAccount } {
  for (const project of sim.state.projects.values()) {
    const lead = sim.state.accounts.get(project.leadAccountId);
    if (project.archived || !lead?.email || lead.accountStatus !== 'active' || !lead.jiraActive) continue;
    const admin = [...(project.roles.get(ADMINISTRATORS_ROLE)?.users ?? [])]
      .map((id) => sim.state.accounts.get(id))
      .find(
        (a) =>
          a !== undefined &&
          a.accountId !== lead.accountId &&
          a.email !== null &&
          a.accountStatus === 'active' &&
          a.membershipStatus === 'active',
      );
    if (admin) return { project, lead, admin };
  }
  throw new Error('no suitable project in the simulator');
}

/** Someone with an email who holds no role in the project and leads nothing there. */
export function pickRequester(sim: Simulator, project: SimProject, not: readonly string[] = []): SimAccount {
  return person(
    sim,
    (a) =>
      a.email !== null &&
      a.managed &&
      a.emailVisibleInJira &&
      a.accountId !== project.leadAccountId &&
      !not.includes(a.accountId) &&
      ![...project.roles.values()].some((r) => r.users.has(a.accountId)),
  );
}

export interface AccessRequestView {
  id: string;
  status: string;
  expiresAt: string | null;
  steps: {
    status: string;
    routedBy: string;
    fallbackReason: string | null;
    approvers: {
      userId: string | null;
      email: string | null;
      accountId: string | null;
      isSeatwardenUser: boolean;
    }[];
    remindersSent: number;
    escalated: boolean;
  }[];
  notes: { text: string }[];
  provisioning: { operationId: string | null; error: string | null } | null;
  revoke: { operationId: string | null; error: string | null } | null;
}

/** Admin adds the project's Developers role to the catalogue; returns the item id. */
export async function catalogProjectRole(
  w: ApprovalWorld,
  admin: Caller,
  project: SimProject,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const item = ok<{ id: string }>(
    await api(w, admin, 'POST', `/integrations/${w.integration.id}/catalog`, {
      kind: 'projectRole',
      target: { projectId: project.id, roleId: DEVELOPERS_ROLE },
      ...extra,
    }),
    201,
  );
  return item.id;
}

export async function requestItem(
  w: ApprovalWorld,
  who: Caller,
  catalogItemId: string,
  extra: Record<string, unknown> = {},
): Promise<AccessRequestView> {
  const body = ok<{ requests: AccessRequestView[] }>(
    await api(w, who, 'POST', '/requests', {
      items: [{ catalogItemId }],
      reason: 'I join the team',
      ...extra,
    }),
    201,
  );
  const request = body.requests[0];
  if (!request) throw new Error('no request created');
  return request;
}

export async function auditActions(w: ApprovalWorld, requestId: string): Promise<string[]> {
  const rows = await w.app.db
    .withTables<{ audit_events: { seq: number; action: string; target: string } }>()
    .selectFrom('audit_events')
    .select(['action', 'seq'])
    .where('target', '=', `request:${requestId}`)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

/** Notification events recorded for a request (type and the users who got the in-app row). */
export async function noticesOf(
  w: ApprovalWorld,
  requestId: string,
): Promise<{ type: string; userIds: string[] }[]> {
  const t = notificationTables(w.app.db);
  const events = await t
    .selectFrom('notification_events')
    .select(['id', 'type', 'created_at'])
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .execute();
  const rows = await t
    .selectFrom('notifications')
    .select(['event_id', 'user_id'])
    .where('request_id', '=', requestId)
    .execute();
  return events.map((e) => ({
    type: e.type,
    userIds: rows.filter((r) => r.event_id === e.id).map((r) => r.user_id),
  }));
}
