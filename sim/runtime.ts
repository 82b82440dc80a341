// The simulator's runtime handed to every route module (Jira routes here, admin/UM routes by
// helper "sim-admin"). Handlers read and write `state`; after writing state directly (not through
// sim/mutate.ts) they must call `indexes.invalidate()` so list endpoints see the change.

import type { SimState } from './model.ts';
import { indexesFor, type SimIndexes } from './indexes.ts';
import { mulberry32 } from './prng.ts';

export interface SimUrls {
  /** Base URL of the Jira site host, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  site: string;
  /** Base URL of the API host standing in for https://api.atlassian.com (no trailing slash). */
  api: string;
}

export interface SimRuntime {
  readonly state: SimState;
  /** The simulator clock; use it for every timestamp a handler writes. */
  now(): Date;
  /** Seeded PRNG in [0, 1): the only source of randomness in handlers. */
  readonly rng: () => number;
  readonly indexes: SimIndexes;
  /** Filled in once both listeners are bound; read it per request, not at registration. */
  readonly urls: SimUrls;
}

export function createRuntime(
  state: SimState,
  urls: SimUrls,
  now: () => Date = () => new Date(),
): SimRuntime {
  const rng = mulberry32(state.seed ^ 0x5eed);
  return { state, now, rng, indexes: indexesFor(state), urls };
}
