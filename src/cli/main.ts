#!/usr/bin/env node
// The `seatwarden` command line.
import { Command } from 'commander';
import { registerAccountCommands } from './accounts.ts';
import { registerActionCommands } from './actions.ts';
import { registerAuditCommands } from './audit.ts';
import type { GlobalOptions } from './context.ts';
import { registerDemoCommand } from './demo.ts';
import { describeError } from './errors.ts';
import { registerIntegrationCommands } from './integrations.ts';
import { registerLicenseCommand } from './licenses.ts';
import { registerRequestCommands } from './requests.ts';
import { registerMigrateCommand } from './migrate.ts';
import { registerServeCommand } from './serve.ts';
import { registerSyncCommand } from './sync.ts';

export function buildProgram(): Command {
  const program = new Command('seatwarden')
    .description('Access and license governance for Atlassian Cloud')
    .option('--data-dir <dir>', 'where the data lives (SEATWARDEN_DATA_DIR, default ./data)')
    .showHelpAfterError()
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerIntegrationCommands(program, globals);
  registerSyncCommand(program, globals);
  registerAccountCommands(program, globals);
  registerLicenseCommand(program, globals);
  registerDemoCommand(program, globals);
  registerServeCommand(program, globals);
  registerMigrateCommand(program, globals);
  registerActionCommands(program, globals);
  registerAuditCommands(program, globals);
  registerRequestCommands(program, globals);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (
      error instanceof Error &&
      'exitCode' in error &&
      typeof error.exitCode === 'number' &&
      'code' in error
    ) {
      // commander already printed help or its own error.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : error.exitCode;
    }
    const { message, exitCode } = describeError(error);
    process.stderr.write(`seatwarden: ${message}\n`);
    return exitCode;
  }
}

process.exitCode = await main(process.argv);
