import { expect } from 'vitest';

/** `expect.stringMatching` typed as unknown, so it can sit inside toMatchObject without `any`. */
export function matching(pattern: RegExp): unknown {
  return expect.stringMatching(pattern);
}
