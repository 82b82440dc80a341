// An App over a test store, as the composition root would build it, plus a simulator-backed
// integration, so sync and CLI tests run through the real parts.
import { pino } from 'pino';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { addIntegration } from '../../src/integrations/service.ts';
import type { IntegrationSummary } from '../../src/storage/integrations.ts';
import type { Store } from '../../src/storage/db.ts';
import { createSecretBox } from '../../src/storage/secret-box.ts';
import type { Simulator } from '../../sim/index.ts';

/** The simulator is local: budgets far above Atlassian's defaults keep tests quick. */
export const FAST_BUDGETS = {
  SEATWARDEN_JIRA_RATE: '2000/s, burst 200',
  SEATWARDEN_ADMIN_RATE: '2000/s, burst 200',
};

/** A clock tests can move: `clock.set(date)` or `clock.advance(ms)`; app.now() reads it. */
export interface TestClock {
  now: () => Date;
  set: (at: Date | string) => void;
  advance: (ms: number) => void;
}

export function testClock(start: Date | string = new Date()): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export function testApp(
  store: Store,
  dataDir: string,
  env: NodeJS.ProcessEnv = FAST_BUDGETS,
  opts: { clock?: TestClock } = {},
): App {
  const clock = opts.clock;
  return {
    now: clock ? clock.now : () => new Date(),
    config: loadConfig(env, { dataDir }),
    store,
    db: store.db,
    secrets: createSecretBox(Buffer.alloc(32, 9)),
    logger: pino({ level: 'silent' }),
    close: () => Promise.resolve(),
  };
}

export function connectSimulator(
  app: App,
  sim: Simulator,
  opts: { label?: string; withOrgKey?: boolean } = {},
): Promise<IntegrationSummary> {
  const withOrgKey = opts.withOrgKey ?? true;
  return addIntegration(app, {
    label: opts.label ?? 'acme',
    siteUrl: sim.siteUrl,
    email: sim.credentials.adminEmail,
    apiToken: sim.credentials.apiToken,
    ...(withOrgKey
      ? { orgId: sim.orgId, orgApiKey: sim.credentials.orgApiKey, adminApiUrl: sim.adminApiUrl }
      : {}),
  });
}
