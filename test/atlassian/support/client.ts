import {
  createAtlassianClient,
  type AtlassianClient,
  type ClientEvent,
  type ConnectorConfig,
} from '../../../src/atlassian/index.ts';
import { SECRET_ORG_KEY, SECRET_TOKEN } from './scripted-server.ts';

/** A client pointed at a local scripted server, with fast retries so the suite stays quick. */
export function testClient(
  baseUrl: string,
  overrides: Partial<ConnectorConfig> = {},
): { client: AtlassianClient; events: ClientEvent[] } {
  const events: ClientEvent[] = [];
  const client = createAtlassianClient({
    siteUrl: baseUrl,
    email: 'admin@example.com',
    apiToken: SECRET_TOKEN,
    orgId: 'org-1',
    orgApiKey: SECRET_ORG_KEY,
    adminApiUrl: baseUrl,
    retry: { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 4, deadlineMs: 10_000 },
    budgets: { site: { ratePerSecond: 1000, burst: 1000 }, org: { ratePerSecond: 1000, burst: 1000 } },
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { client, events };
}
