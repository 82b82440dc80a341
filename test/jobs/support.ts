// Shared by the jobs tests: polling for a state that arrives asynchronously.
import type { JobQueue, JobStatus } from '../../src/jobs/index.ts';

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const SETTLED: readonly string[] = ['succeeded', 'failed', 'skipped'];

export function settled(jobs: JobQueue, jobId: string): Promise<JobStatus> {
  return waitFor(async () => {
    const status = await jobs.status(jobId);
    return status && SETTLED.includes(status.state) ? status : undefined;
  }, `job ${jobId} to settle`);
}
