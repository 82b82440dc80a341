// Opens the app for one CLI command and closes it afterwards, whatever happens.
import { openApp, type App } from '../app.ts';
import { loadConfig } from '../config/config.ts';

export interface GlobalOptions {
  dataDir?: string;
}

export async function withApp<T>(
  globals: GlobalOptions,
  work: (app: App) => Promise<T>,
  opts: { migrate?: boolean; checkSchema?: boolean } = {},
): Promise<T> {
  const config = loadConfig(process.env, globals.dataDir ? { dataDir: globals.dataDir } : {});
  const app = await openApp(config, opts);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
