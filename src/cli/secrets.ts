// Secrets come from the environment or a hidden prompt, never from argv (where `ps` shows them).
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { CliUsageError } from './errors.ts';

export async function readSecret(
  envName: string,
  prompt: string,
  required: boolean,
): Promise<string | undefined> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  if (!process.stdin.isTTY) {
    if (!required) return undefined;
    throw new CliUsageError(`Set ${envName} (no terminal to prompt for it)`);
  }
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    const answer = (await rl.question('')).trim();
    process.stderr.write('\n');
    if (answer === '' && required) throw new CliUsageError(`${prompt.replace(/:\s*$/, '')} is required`);
    return answer === '' ? undefined : answer;
  } finally {
    rl.close();
  }
}
