// seatwarden licenses
import { Option, type Command } from 'commander';
import { findIntegration } from '../integrations/service.ts';
import { licenseSummary, type LicenseLine } from '../storage/inventory-reads.ts';
import { print, withApp, type GlobalOptions } from './context.ts';
import { CliUsageError } from './errors.ts';
import { render, type Column, type Format } from './output.ts';

interface LicenseOptions {
  integration?: string;
  inactiveDays?: string;
  price: string[];
  format: Format;
}

/** `--price jira-software=8.6` (money per seat per month). */
function parsePrices(values: string[]): Map<string, number> {
  const prices = new Map<string, number>();
  for (const value of values) {
    const match = /^([a-z0-9-]+)=(\d+(\.\d+)?)$/.exec(value);
    if (!match?.[1] || !match[2])
      throw new CliUsageError(`--price must look like product-key=8.60, got "${value}"`);
    prices.set(match[1], Number(match[2]));
  }
  return prices;
}

export function registerLicenseCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('licenses')
    .description('seats bought, used and remaining per product, and idle billable seats')
    .option('--integration <integration>', 'label or id')
    .option(
      '--inactive-days <n>',
      'a seat is idle after N days without activity (default SEATWARDEN_INACTIVE_DAYS or 90)',
    )
    .option(
      '--price <product=amount>',
      'price per seat per month, repeatable',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'),
    )
    .action(async (opts: LicenseOptions) => {
      const prices = parsePrices(opts.price);
      await withApp(globals(), async (app) => {
        const inactiveDays = opts.inactiveDays ? Number(opts.inactiveDays) : app.config.inactiveDays;
        if (!Number.isInteger(inactiveDays) || inactiveDays <= 0)
          throw new CliUsageError('--inactive-days must be a positive whole number');
        const integrationId = opts.integration
          ? (await findIntegration(app, opts.integration)).id
          : undefined;
        const lines = await licenseSummary(app.db, {
          now: new Date().toISOString(),
          inactiveDays,
          ...(integrationId ? { integrationId } : {}),
        });
        const rows = lines.map((line) => withWaste(line, prices.get(line.productKey)));
        print(render(rows, COLUMNS, opts.format));
      });
    });
}

function withWaste(line: LicenseLine, price: number | undefined) {
  return {
    ...line,
    pricePerSeat: price ?? null,
    monthlyWaste: price === undefined ? null : Math.round(line.inactiveBillable * price * 100) / 100,
  };
}

const COLUMNS: Column<ReturnType<typeof withWaste>>[] = [
  { header: 'product', value: (l) => l.productKey },
  { header: 'plan', value: (l) => l.plan ?? '' },
  { header: 'bought', value: (l) => l.seatsTotal ?? 'unlimited' },
  { header: 'used', value: (l) => l.seatsUsed },
  { header: 'remaining', value: (l) => l.seatsRemaining ?? '' },
  { header: 'idle billable', value: (l) => l.inactiveBillable },
  { header: 'waste / month', value: (l) => (l.monthlyWaste === null ? '' : l.monthlyWaste.toFixed(2)) },
];
