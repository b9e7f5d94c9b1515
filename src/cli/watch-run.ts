/** `sipwall watch`, `sipwall history` and `sipwall exporter`: the runs (see watch.ts for flags). */
import { commandError } from '../errors/commands.js';
import { realpathSync } from 'node:fs';
import { terminalText } from '../text/escape.js';
import type { WatchConfig } from '../watch/config.js';
import { DEFAULT_MODULES, Exporter } from '../watch/exporter.js';
import { History, readHistory } from '../watch/history.js';
import { Notifier } from '../watch/notify.js';
import { statusPage } from '../watch/page.js';
import { Watch } from '../watch/watch.js';
import { shellWord } from '../text/shell-word.js';
import type { Context } from './context.js';
import { loadConfig } from './watch-config.js';
import type { ExporterArgs, WatchArgs } from './watch.js';

function logger(ctx: Context): (line: string) => void {
  return (line) => ctx.io.stdout(`${ctx.io.now().toISOString()} ${terminalText(line)}\n`);
}

function openHistory(config: WatchConfig): History {
  const history = new History(config.history.dir, { maxFileBytes: config.history.maxFileBytes, retentionMs: config.history.retentionMs });
  try {
    history.open();
  } catch (error) {
    throw commandError('E_HISTORY_DIR', { dir: shellWord(config.history.dir), why: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  }
  return history;
}

/** The history the states are rebuilt from: the flap window, and a day at least. */
function recent(config: WatchConfig) {
  return readHistory(config.history.dir, Date.now() - Math.max(config.alerts.flapWindowMs, 86_400_000)).results;
}

export async function runWatch(args: WatchArgs, ctx: Context): Promise<number> {
  if (args['print-systemd']) return printSystemd(args, ctx);
  if (args.json && !args.once) throw commandError('E_JSON_NEEDS_ONCE', {});
  const config = await loadConfig(ctx, args.config);
  const log = logger(ctx);
  const history = openHistory(config);
  const notifier = new Notifier({ ...config.alerts, log });
  const watch = new Watch(config, { history, notifier, log });
  watch.restore(recent(config));
  try {
    if (args.once) {
      const results = await watch.round();
      for (const r of results) ctx.io.stdout(args.json ? `${JSON.stringify(r)}\n` : `${r.ok ? 'up  ' : 'DOWN'} ${terminalText(r.check)}: ${r.outcome}${r.status ? ` ${r.status}` : ''}${r.rttMs !== undefined ? ` ${r.rttMs} ms` : ''}${r.why ? ` (${terminalText(r.why)})` : ''}\n`);
      await notifier.drain(30_000);
      return results.every((r) => r.ok) ? 0 : 3;
    }
    // The signal handlers before the line that says it runs: a SIGTERM sent on that line must be caught.
    const stopped = new Promise<void>((resolve) => ctx.io.onStop(resolve));
    ctx.io.onReload(() => void reload(ctx, args.config!, watch, log));
    watch.start();
    log(`watching ${config.checks.length} checks; history in ${config.history.dir}`);
    await stopped;
    log('stopping: finishing the running checks');
    await watch.stop();
    await notifier.drain(10_000);
    log('stopped');
    return 0;
  } finally {
    history.close();
  }
}

/** SIGHUP: a config that does not parse keeps the old one, and says why. */
async function reload(ctx: Context, path: string, watch: Watch, log: (line: string) => void, onConfig?: (config: WatchConfig) => void): Promise<void> {
  try {
    const config = await loadConfig(ctx, path);
    watch.reload(config);
    onConfig?.(config);
    log(`reloaded ${path}: ${config.checks.length} checks`);
  } catch (error) {
    log(`reload failed, keeping the running config: ${(error as Error).message}`);
  }
}

const PAGE_MS = 10_000;

function cached(ms: number, make: () => string): () => string {
  let last: { at: number; html: string } | undefined;
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= ms) last = { at: now, html: make() };
    return last.html;
  };
}

export async function runExporter(args: ExporterArgs, ctx: Context): Promise<number> {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(args.listen);
  const port = Number(m?.[2]);
  if (!m || !(port >= 1 && port <= 65_535)) throw commandError('E_LISTEN', { value: args.listen.slice(0, 60) });
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const config = args.config === undefined ? undefined : await loadConfig(ctx, args.config);
  const log = logger(ctx);
  let watch: Watch | undefined;
  const exporter = new Exporter({
    host,
    port,
    modules: new Map([...DEFAULT_MODULES, ...(config?.modules ?? [])]),
    log,
    ...(config ? { page: cached(PAGE_MS, () => statusPage(watch!, readHistory(config.history.dir, Date.now() - 86_400_000).results, Date.now())) } : {}),
  });
  const history = config ? openHistory(config) : undefined;
  const notifier = new Notifier({ command: config?.alerts.command, webhook: config?.alerts.webhook, log });
  if (config) {
    watch = new Watch(config, { history, notifier, log, onResult: (check, result, state) => exporter.record(check, result, state) });
    watch.restore(recent(config));
    exporter.describe(config.checks);
  }
  try {
    let bound;
    try {
      bound = await exporter.listen();
    } catch (error) {
      ctx.io.stderr(`sipwall: exporter: cannot listen on ${args.listen} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
      return 1;
    }
    const stopped = new Promise<void>((resolve) => ctx.io.onStop(resolve));
    watch?.start();
    if (watch) ctx.io.onReload(() => void reload(ctx, args.config!, watch!, log, (c) => {
      exporter.retain(new Set(c.checks.map((x) => x.name)));
      exporter.describe(c.checks);
    }));
    log(`exporter on http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}/metrics${watch ? `, watching ${config!.checks.length} checks` : ''}`);
    await stopped;
    await watch?.stop();
    await exporter.close();
    await notifier.drain(10_000);
    return 0;
  } finally {
    history?.close();
  }
}

/**
 * A hardened unit (systemd.exec(5)): its own dynamic user, no new privileges, the whole file
 * system read-only but for its StateDirectory (the history), no devices, no kernel tunables,
 * internet sockets only. `--timer`: a oneshot service running one round, and its timer.
 */
function printSystemd(args: WatchArgs, ctx: Context): number {
  if (args.config === undefined) throw commandError('E_CONFIG_MISSING', { flag: '--config', fix: 'name the config the service will read, e.g. --config /etc/sipwall/checks.yaml' });
  if (!args.config.startsWith('/')) throw commandError('E_SYSTEMD_CONFIG_RELATIVE', { value: args.config.slice(0, 60) });
  if (/[\s"'\\%$;]/.test(args.config)) throw commandError('E_SYSTEMD_CONFIG_CHARACTERS', {});
  const node = process.execPath;
  const bin = realpathSync(process.argv[1] ?? 'sipwall');
  const exec = `${node} ${bin} watch --config ${args.config}${args.timer ? ' --once' : ''}`;
  const hardening = [
    'DynamicUser=yes',
    'StateDirectory=sipwall',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    'RestrictNamespaces=yes',
    'RestrictRealtime=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'SystemCallArchitectures=native',
    'CapabilityBoundingSet=',
    'UMask=0027',
  ];
  const unit = (type: string, extra: string[]) =>
    ['[Unit]', `Description=sipwall watch: SIP reachability checks (${args.config})`, 'Wants=network-online.target', 'After=network-online.target', '', '[Service]', `Type=${type}`, `ExecStart=${exec}`, ...extra, ...hardening, ''].join('\n');
  if (args.timer) {
    ctx.io.stdout(`# sipwall-watch.service\n${unit('oneshot', [])}\n# sipwall-watch.timer\n[Unit]\nDescription=sipwall watch: one round a minute\n\n[Timer]\nOnBootSec=1min\nOnUnitActiveSec=1min\nAccuracySec=1s\n\n[Install]\nWantedBy=timers.target\n`);
  } else {
    ctx.io.stdout(`${unit('simple', ['ExecReload=/bin/kill -HUP $MAINPID', 'Restart=on-failure', 'RestartSec=5s'])}\n[Install]\nWantedBy=multi-user.target\n`);
  }
  return 0;
}
