// What each job type does, declared as data: one handler per type.
import { OperationNotFoundError, resumeOperation } from '../actions/service.ts';
import type { App } from '../app.ts';
import { provisionRequest } from '../approvals/provisioning.ts';
import { sweepRequests } from '../approvals/sweep.ts';
import { findIntegration, UnknownIntegrationError } from '../integrations/service.ts';
import { deliverDueNotifications } from '../notifications/deliver.ts';
import { deleteStaleLoginAttempts } from '../storage/login-attempts.ts';
import { pruneTicks } from '../storage/schedule-ticks.ts';
import { deleteExpiredSessions } from '../storage/sessions.ts';
import { syncIntegration } from '../sync/service.ts';
import type { JobContext, JobResult } from './port.ts';
import { PermanentJobError, type JobType, type Payload } from './types.ts';

export type JobHandler<T extends JobType> = (
  app: App,
  payload: Payload<T>,
  context: JobContext,
) => Promise<JobResult>;
export type JobHandlers = { [T in JobType]: JobHandler<T> };

/** A sync that finished as failed; retryable unless the credentials were refused. */
export class SyncFailedError extends Error {
  readonly code = 'sync_failed';
  constructor(
    readonly runId: string,
    detail: string,
  ) {
    super(`Sync run ${runId} failed: ${detail}`);
  }
}

/** Login attempts are only counted over the throttling window; a day covers every lockout. */
const LOGIN_ATTEMPT_RETENTION_MS = 24 * 3_600_000;
/** Schedule tick claims only need to outlive clock skew between nodes; a week keeps the table small. */
const TICK_RETENTION_MS = 7 * 24 * 3_600_000;

export const JOB_HANDLERS: JobHandlers = {
  'requests.provision': async (app, { requestId }, { jobs }) => {
    const request = await provisionRequest(app, jobs, requestId);
    return { requestId, status: request.status };
  },
  'requests.sweep': async (app, _payload, { jobs }) => ({ ...(await sweepRequests(app, jobs, app.now())) }),
  'sync.integration': async (app, { integrationId }) => {
    let integration;
    try {
      integration = await findIntegration(app, integrationId);
    } catch (error) {
      if (error instanceof UnknownIntegrationError) throw new PermanentJobError(error.message);
      throw error;
    }
    const outcome = await syncIntegration(app, integration);
    if (outcome.status !== 'succeeded') {
      const detail = outcome.errors.map((e) => `${e.phase}: ${e.message}`).join('; ') || 'no detail';
      // Refused credentials stay refused until an admin fixes them; the integration is flagged.
      if (outcome.errors.some((e) => e.kind === 'auth' || e.kind === 'permission')) {
        throw new PermanentJobError(`Sync run ${outcome.runId} failed: ${detail}`);
      }
      throw new SyncFailedError(outcome.runId, detail);
    }
    return { runId: outcome.runId, status: outcome.status, apiCalls: outcome.apiCalls };
  },
  'actions.operation': async (app, { operationId, actor, via }) => {
    let operation;
    try {
      operation = await resumeOperation(
        app,
        operationId,
        { actor, via },
        { leaseMs: app.config.actionLeaseMs },
      );
    } catch (error) {
      if (error instanceof OperationNotFoundError) throw new PermanentJobError(error.message);
      throw error;
    }
    if (operation.status === 'pending' || operation.status === 'running') {
      // Some items are still leased by another process (maybe a dead one): try again after the lease.
      throw new Error(`Operation ${operationId} has items held by another process`);
    }
    return { operationId, status: operation.status };
  },
  'auth.housekeeping': async (app) => {
    const now = app.now();
    const sessions = await deleteExpiredSessions(app.db, now);
    const loginAttempts = await deleteStaleLoginAttempts(app.db, LOGIN_ATTEMPT_RETENTION_MS, now);
    const scheduleTicks = await pruneTicks(app.db, new Date(now.getTime() - TICK_RETENTION_MS).toISOString());
    return { sessions, loginAttempts, scheduleTicks };
  },
  'notifications.deliver': async (app) => ({ ...(await deliverDueNotifications(app)) }),
};
