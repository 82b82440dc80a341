// Sync an integration as the rest of the app asks for it: by integration, with its own plan.
import type { App } from '../app.ts';
import { connectorConfigFor } from '../integrations/service.ts';
import {
  recordCredentialFailure,
  recordCredentialOk,
  type IntegrationSummary,
} from '../storage/integrations.ts';
import type { SyncProgressEvent } from './context.ts';
import { planFor } from './plans.ts';
import { runSync, type SyncOutcome } from './runner.ts';

export async function syncIntegration(
  app: App,
  integration: IntegrationSummary,
  opts: { fresh?: boolean; onProgress?: (event: SyncProgressEvent) => void } = {},
): Promise<SyncOutcome> {
  const log = app.logger.child({ integrationId: integration.id, integration: integration.label });
  const plan = planFor(integration);
  log.info({ plan }, 'sync started');
  const outcome = await runSync(app.db, {
    integrationId: integration.id,
    plan,
    connector: await connectorConfigFor(app, integration),
    staleAfterMs: app.config.syncStaleMs,
    ...opts,
    onProgress: (event) => {
      if (event.type === 'retry') log.warn(event, 'retrying an Atlassian call');
      else if (event.type === 'rateLimited') log.info(event, 'rate limited by Atlassian');
      opts.onProgress?.(event);
    },
  });
  log.info(
    {
      runId: outcome.runId,
      status: outcome.status,
      apiCalls: outcome.apiCalls,
      retries: outcome.retries,
      errors: outcome.errors,
    },
    'sync finished',
  );
  // A sync is also a credential check: an auth failure flags the credential, a success clears it.
  const now = new Date().toISOString();
  const authFailures = outcome.errors.filter((e) => e.kind === 'auth' || e.kind === 'permission');
  for (const failure of authFailures) {
    const which = failure.phase.startsWith('directory') || failure.phase === 'workspaces' ? 'org' : 'site';
    await recordCredentialFailure(app.db, integration.id, which, failure.message, now);
  }
  if (outcome.status === 'succeeded') {
    await recordCredentialOk(app.db, integration.id, 'site', now);
    if (integration.hasOrgKey) await recordCredentialOk(app.db, integration.id, 'org', now);
  }
  return outcome;
}
