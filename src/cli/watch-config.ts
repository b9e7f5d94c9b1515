/** The watch config as the watch, exporter and history commands read it. */
import { commandError } from '../errors/commands.js';
import type { WatchConfig } from '../watch/config.js';
import { readInput, type Context } from './context.js';

/** Configs are small: 4 MiB is ten thousand checks and room to spare. */
const CONFIG_BYTES = 4 << 20;

export async function loadConfig(ctx: Context, path: string | undefined, flag = '--config'): Promise<WatchConfig> {
  if (path === undefined) throw commandError('E_CONFIG_MISSING', { flag, fix: 'name the watch config, e.g. --config checks.yaml (docs/watch.md)' });
  const text = readInput(ctx, flag, path, 'name a readable YAML file (docs/watch.md)', CONFIG_BYTES);
  const { parseWatchConfig } = await import('../watch/config.js');
  return parseWatchConfig(text, path, ctx.io.env);
}

