// Provisioning as the rest of the app asks for it: by integration, with who asked and through
// which path. Builds the Atlassian client and the action context, then lets the engine run.
import type { App } from '../app.ts';
import { createAtlassianClient } from '../atlassian/index.ts';
import { connectorConfigFor, findIntegration } from '../integrations/service.ts';
import { getOperation, type Operation } from '../storage/actions.ts';
import type { IntegrationSummary } from '../storage/integrations.ts';
import {
  createActionOperation,
  executeOperation,
  OperationNotFoundError,
  type EngineOptions,
  type Initiator,
} from './engine.ts';
import { offboardingItems } from './offboard.ts';
import type { ActionContext } from './types.ts';

export interface ActionRequest {
  kind: string;
  input: unknown;
  dryRun?: boolean;
}

export interface OffboardRequest {
  accountId: string;
  /** Deactivate the managed account (platform-wide) instead of suspending it in the directory. */
  deactivate?: boolean;
  dryRun?: boolean;
}

async function contextFor(app: App, integration: IntegrationSummary): Promise<ActionContext> {
  const client = createAtlassianClient(await connectorConfigFor(app, integration));
  return {
    client,
    db: app.db,
    integrationId: integration.id,
    orgId: integration.orgId && integration.hasOrgKey ? integration.orgId : null,
  };
}

function clockOf(opts: EngineOptions): Date {
  return (opts.now ?? (() => new Date()))();
}

/** Runs one action (or plans it, with dryRun) as a one-item operation. */
export async function runAction(
  app: App,
  integration: IntegrationSummary,
  request: ActionRequest,
  who: Initiator,
  opts: EngineOptions = {},
): Promise<Operation> {
  const dryRun = request.dryRun ?? false;
  const id = await createActionOperation(
    app.db,
    {
      integrationId: integration.id,
      kind: request.kind,
      items: [{ action: request.kind as never, input: request.input }],
      dryRun,
    },
    who,
    clockOf(opts),
  );
  const operation = await executeOperation(
    { db: app.db, ctx: await contextFor(app, integration), who, opts },
    id,
  );
  logOperation(app, operation);
  return operation;
}

/**
 * Records an offboarding (every group and project role the account holds, then suspend or
 * deactivate) as a persisted operation, without running it: a worker or offboard() runs it.
 */
export async function createOffboarding(
  app: App,
  integration: IntegrationSummary,
  request: OffboardRequest,
  who: Initiator,
  opts: EngineOptions = {},
): Promise<string> {
  const items = await offboardingItems(
    app.db,
    integration.id,
    request.accountId,
    request.deactivate ?? false,
  );
  return createActionOperation(
    app.db,
    { integrationId: integration.id, kind: 'offboard', items, dryRun: request.dryRun ?? false },
    who,
    clockOf(opts),
  );
}

/** Removes the account from every group and project role it holds, then suspends or deactivates it. */
export async function offboard(
  app: App,
  integration: IntegrationSummary,
  request: OffboardRequest,
  who: Initiator,
  opts: EngineOptions = {},
): Promise<Operation> {
  const id = await createOffboarding(app, integration, request, who, opts);
  const operation = await executeOperation(
    { db: app.db, ctx: await contextFor(app, integration), who, opts },
    id,
  );
  logOperation(app, operation);
  return operation;
}

/** Picks up an operation a stopped process left behind; what already succeeded is not repeated. */
export async function resumeOperation(
  app: App,
  operationId: string,
  who: Initiator,
  opts: EngineOptions = {},
): Promise<Operation> {
  const existing = await getOperation(app.db, operationId);
  if (!existing) throw new OperationNotFoundError(operationId);
  const integration = await findIntegration(app, existing.integrationId);
  const operation = await executeOperation(
    { db: app.db, ctx: await contextFor(app, integration), who, opts },
    operationId,
  );
  logOperation(app, operation);
  return operation;
}

function logOperation(app: App, operation: Operation): void {
  app.logger.info(
    {
      operationId: operation.id,
      integrationId: operation.integrationId,
      kind: operation.kind,
      dryRun: operation.dryRun,
      status: operation.status,
      items: operation.items.map((i) => ({ seq: i.seq, action: i.action, status: i.status })),
    },
    'operation finished',
  );
}

export { getOperation, type Operation } from '../storage/actions.ts';
export { ActionInputError, OperationNotFoundError, type EngineOptions, type Initiator } from './engine.ts';
