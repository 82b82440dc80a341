// The built-in demo: the Atlassian simulator with a demo organization, connected as an integration.
import { startSimulator, type Simulator } from '../../sim/index.ts';
import type { App } from '../app.ts';
import type { IntegrationSummary } from '../storage/integrations.ts';
import { addIntegration, integrations, removeIntegration } from './service.ts';

export const DEMO_LABEL = 'demo';

/** Starts the simulator and connects it, replacing an earlier demo (the simulator's ports change). */
export async function startDemo(
  app: App,
  users: number,
): Promise<{ sim: Simulator; integration: IntegrationSummary }> {
  const sim = await startSimulator({ users, seed: 42 });
  try {
    const previous = (await integrations(app)).find((i) => i.label === DEMO_LABEL);
    if (previous) await removeIntegration(app, previous);
    const integration = await addIntegration(app, {
      label: DEMO_LABEL,
      siteUrl: sim.siteUrl,
      email: sim.credentials.adminEmail,
      apiToken: sim.credentials.apiToken,
      orgId: sim.orgId,
      orgApiKey: sim.credentials.orgApiKey,
      adminApiUrl: sim.adminApiUrl,
    });
    return { sim, integration };
  } catch (error) {
    await sim.stop();
    throw error;
  }
}
