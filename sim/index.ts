// Public surface of the simulator for tests, the demo and benchmarks.

export * from './model.ts';
export {
  startSimulator,
  DEFAULT_SEED,
  DEFAULT_USERS,
  type Simulator,
  type SimulatorOptions,
} from './server.ts';
export { generateState, hashState, MAX_USERS, MIN_USERS, type GenerateOptions } from './generate.ts';
export type { Budget, FaultKind, FaultRule, SimConfig, SimConfigPatch } from './config.ts';
export { FAULT_KINDS } from './config.ts';
export type { SimStats, HostLabel } from './stats.ts';
export type { SimRuntime, SimUrls } from './runtime.ts';
export type { Principal } from './auth.ts';
export { indexesFor, type SimIndexes } from './indexes.ts';
export * as mutate from './mutate.ts';
export { countState, type StateCounts } from './control.ts';
export { applicationRoleUserCount, productUserCount, productIsFull, isBillable } from './licensing.ts';
