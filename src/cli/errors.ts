// A user mistake is one clear line and a non-zero exit, never a stack trace.
import { AtlassianError } from '../atlassian/index.ts';
import { ConnectionFailedError } from '../integrations/service.ts';

export class CliUsageError extends Error {
  readonly code = 'usage';
}

export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof ConnectionFailedError) {
    return { message: `Connection test failed:\n${error.message}\nNothing was saved.`, exitCode: 3 };
  }
  if (error instanceof AtlassianError) return { message: error.message, exitCode: 3 };
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return { message: error.message, exitCode: 1 };
  }
  if (process.env.SEATWARDEN_DEBUG && error instanceof Error && error.stack) {
    return { message: error.stack, exitCode: 2 };
  }
  return {
    message: `Unexpected error: ${error instanceof Error ? error.message : String(error)} (set SEATWARDEN_DEBUG=1 for details)`,
    exitCode: 2,
  };
}
