// Integrations: list, add (tested first), test without saving, read, change, remove, test,
// and start a sync (a job; one per integration at a time).
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_ADMIN_API_URL, testConnection } from '../../atlassian/index.ts';
import { integrationInputSchema } from '../../integrations/input.ts';
import {
  addIntegration,
  ConnectionFailedError,
  connectorConfigFor,
  findIntegration,
  integrations,
  removeIntegration,
  testIntegration,
} from '../../integrations/service.ts';
import { getSyncSchedule, resetSyncSchedule, setSyncSchedule } from '../../jobs/index.ts';
import { updateIntegration, type IntegrationSummary } from '../../storage/integrations.ts';
import { listRuns, SyncAlreadyRunningError } from '../../storage/sync-runs.ts';
import { errorBodySchema } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import { toRunView } from '../run-view.ts';
import { connectionReportSchema, errorResponses, idParam, integrationSummarySchema } from '../schemas.ts';
import type { App } from '../../app.ts';

/** null turns scheduled syncs off; a cron expression (UTC) sets them. */
const syncScheduleField = z.string().max(120).nullable().optional();

const createBody = integrationInputSchema.safeExtend({ syncSchedule: syncScheduleField });

const patchBody = z
  .strictObject({
    label: z.string().trim().min(1).max(100),
    email: z.email().trim(),
    apiToken: z.string().trim().min(1),
    orgApiKey: z.string().trim().min(1).nullable(),
    orgKeyExpiresAt: z.iso.date().nullable(),
    syncSchedule: syncScheduleField,
  })
  .partial();

/** Same threshold as the sync runner's: older heartbeats mean the worker died. */
const RUN_STALE_AFTER_MS = 2 * 60_000;

const params = z.object({ id: idParam });
const integrationResponse = { 200: integrationSummarySchema, ...errorResponses };

async function withScheduleAndLastRun(app: App, integration: IntegrationSummary) {
  const [schedule, runs] = await Promise.all([
    getSyncSchedule(app.db, integration.id),
    listRuns(app.db, { integrationId: integration.id, limit: 1 }),
  ]);
  const lastRun = runs[0];
  return {
    ...integration,
    syncSchedule: schedule?.enabled ? schedule.cron : null,
    lastRun: lastRun ? toRunView(lastRun) : null,
  };
}

export const integrationRoutes: FastifyPluginCallbackZod<RouteDeps> = (
  server,
  { app, jobs, schedules },
  done,
) => {
  const applySchedule = async (
    integrationId: string,
    syncSchedule: string | null | undefined,
  ): Promise<void> => {
    if (syncSchedule === undefined) return;
    if (syncSchedule === null) {
      const current = await getSyncSchedule(app.db, integrationId);
      await setSyncSchedule(app.db, integrationId, current?.cron ?? '0 */6 * * *', false);
    } else {
      await setSyncSchedule(app.db, integrationId, syncSchedule, true);
    }
    await schedules?.reload();
  };

  server.get(
    '/integrations',
    {
      config: { permission: 'integrations:read' },
      schema: {
        tags: ['integrations'],
        response: { 200: z.object({ items: z.array(integrationSummarySchema) }) },
      },
    },
    async () => ({
      items: await Promise.all((await integrations(app)).map((i) => withScheduleAndLastRun(app, i))),
    }),
  );

  server.post(
    '/integrations',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['integrations'],
        description:
          'Tests the connection, then saves the integration (422 connection_failed when the test fails).',
        body: createBody,
        response: {
          201: integrationSummarySchema,
          409: errorBodySchema,
          422: errorBodySchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { syncSchedule, ...input } = request.body;
      const saved = await addIntegration(app, input);
      try {
        await applySchedule(saved.id, syncSchedule);
      } catch (error) {
        // An integration with a schedule nobody asked for is worse than none: undo and report.
        await removeIntegration(app, saved);
        throw error;
      }
      await schedules?.reload();
      return reply.status(201).send(await withScheduleAndLastRun(app, saved));
    },
  );

  server.post(
    '/integrations/test',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['integrations'],
        description: 'Tests a connection without saving anything.',
        body: createBody,
        response: { 200: connectionReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body;
      return testConnection({
        siteUrl: body.siteUrl,
        email: body.email,
        apiToken: body.apiToken,
        useGateway: body.useGateway,
        ...(body.gatewayUrl === undefined ? {} : { gatewayUrl: body.gatewayUrl }),
        ...(body.orgId === undefined ? {} : { orgId: body.orgId }),
        ...(body.orgApiKey === undefined ? {} : { orgApiKey: body.orgApiKey }),
        adminApiUrl: body.adminApiUrl ?? DEFAULT_ADMIN_API_URL,
      });
    },
  );

  server.get(
    '/integrations/:id',
    {
      config: { permission: 'integrations:read' },
      schema: { tags: ['integrations'], params, response: integrationResponse },
    },
    async (request) => withScheduleAndLastRun(app, await findIntegration(app, request.params.id)),
  );

  server.patch(
    '/integrations/:id',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['integrations'],
        description:
          'Renames, reschedules or rotates secrets; new credentials are tested before they are saved.',
        params,
        body: patchBody,
        response: { ...integrationResponse, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => {
      const integration = await findIntegration(app, request.params.id);
      const { syncSchedule, ...patch } = request.body;
      const credentialsChange =
        patch.email !== undefined || patch.apiToken !== undefined || patch.orgApiKey !== undefined;
      if (credentialsChange) {
        const current = await connectorConfigFor(app, integration);
        const candidate = {
          ...current,
          ...(patch.email === undefined ? {} : { email: patch.email }),
          ...(patch.apiToken === undefined ? {} : { apiToken: patch.apiToken }),
        };
        if (patch.orgApiKey === null) delete candidate.orgApiKey;
        else if (patch.orgApiKey !== undefined) candidate.orgApiKey = patch.orgApiKey;
        const report = await testConnection(candidate);
        if (!report.ok) throw new ConnectionFailedError(report);
      }
      const updated = await updateIntegration(
        app.db,
        app.secrets,
        integration.id,
        patch,
        new Date().toISOString(),
      );
      await applySchedule(integration.id, syncSchedule);
      request.log.info({ integrationId: integration.id, fields: Object.keys(patch) }, 'integration changed');
      return withScheduleAndLastRun(app, updated);
    },
  );

  server.delete(
    '/integrations/:id',
    {
      config: { permission: 'integrations:write' },
      schema: { tags: ['integrations'], params, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      const integration = await findIntegration(app, request.params.id);
      await resetSyncSchedule(app.db, integration.id);
      await removeIntegration(app, integration);
      await schedules?.reload();
      request.log.info({ integrationId: integration.id }, 'integration removed');
      return reply.status(204).send(null);
    },
  );

  server.post(
    '/integrations/:id/test',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags: ['integrations'],
        params,
        response: { 200: connectionReportSchema, ...errorResponses },
      },
    },
    async (request) => testIntegration(app, await findIntegration(app, request.params.id)),
  );

  server.post(
    '/integrations/:id/sync',
    {
      config: { permission: 'sync:run' },
      schema: {
        tags: ['integrations'],
        params,
        response: { 202: z.object({ jobId: z.string() }), 409: errorBodySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const integration = await findIntegration(app, request.params.id);
      const [latest] = await listRuns(app.db, { integrationId: integration.id, limit: 1 });
      // A running run with a fresh heartbeat is alive somewhere; a stale one is resumed by the next sync.
      const alive =
        latest?.status === 'running' && Date.parse(latest.heartbeatAt) > Date.now() - RUN_STALE_AFTER_MS;
      if (alive) throw new SyncAlreadyRunningError(integration.id);
      const { jobId, deduplicated } = await jobs.enqueue('sync.integration', {
        integrationId: integration.id,
      });
      if (deduplicated) throw new SyncAlreadyRunningError(integration.id);
      request.log.info({ integrationId: integration.id, jobId }, 'sync enqueued');
      return reply.status(202).send({ jobId });
    },
  );
  done();
};
