// The connector's public API. Knows nothing of storage, HTTP routes, CLI or sync.
export * from './errors.ts';
export * from './endpoints.ts';
export { DEFAULT_BUDGETS, RateLimiter, type BucketBudget, type Release } from './rate-limit.ts';
export * from './retry.ts';
export {
  createAtlassianClient,
  DEFAULT_ADMIN_API_URL,
  DEFAULT_GATEWAY_URL,
  type AtlassianClient,
  type AtlassianResponse,
  type ClientEvent,
  type ClientStats,
  type ConnectorConfig,
  type QueryValue,
  type RequestOptions,
} from './client.ts';
export { DEFAULT_TIMEOUT_MS, discoverCloudId, networkCode } from './fetch-utils.ts';
export * from './paginate.ts';
export * from './types.ts';
export * from './jira.ts';
export * from './admin.ts';
export * from './user-management.ts';
export * from './diagnose.ts';
