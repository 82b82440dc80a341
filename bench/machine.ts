// The machine and code a benchmark ran on, printed with every result so figures are comparable.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** The commit the benchmark ran on, and whether the tree had uncommitted changes. */
  commit: string;
  dirty: boolean;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(): MachineInfo {
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: git(['rev-parse', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
  };
}
