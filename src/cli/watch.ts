/**
 * `sipwall watch`, `sipwall history` and `sipwall exporter`: flags and help. The work is in
 * watch-run.ts, loaded only when one of them runs.
 */
import type { Argv } from 'yargs';

export interface WatchArgs {
  config: string | undefined;
  once: boolean;
  json: boolean;
  'print-systemd': boolean;
  timer: boolean;
}

export interface HistoryArgs {
  config: string | undefined;
  dir: string | undefined;
  since: string;
  check: string[] | undefined;
  json: boolean;
}

export interface ExporterArgs {
  listen: string;
  config: string | undefined;
}

export function watchOptions(y: Argv): Argv {
  return y
    .option('config', { type: 'string', describe: 'Checks, schedule, history and alerts (YAML; docs/watch.md, docs/watch-config.schema.json)' })
    .option('once', { type: 'boolean', default: false, describe: 'Run every check once, record and alert, and exit (0 all up, 3 otherwise): for a timer' })
    .option('json', { type: 'boolean', default: false, describe: 'With --once: print the results as JSON lines' })
    .option('print-systemd', { type: 'boolean', default: false, describe: 'Print a hardened systemd service unit for this watch and exit' })
    .option('timer', { type: 'boolean', default: false, describe: 'With --print-systemd: a oneshot service and a timer that runs one round a minute' })
    .example('$0 watch --config checks.yaml', 'check on schedule until SIGTERM (SIGHUP reloads the config)')
    .example('$0 watch --config checks.yaml --once --json', 'one round, results as JSON lines')
    .example('$0 watch --config /etc/sipwall/checks.yaml --print-systemd > /etc/systemd/system/sipwall-watch.service', 'run it as a service');
}

export function historyOptions(y: Argv): Argv {
  return y
    .option('config', { type: 'string', describe: 'The watch config (its history.dir)' })
    .option('dir', { type: 'string', describe: 'The history folder itself, instead of --config' })
    .option('since', { type: 'string', default: '24h', describe: 'How far back: e.g. 1h, 24h, 7d' })
    .option('check', { type: 'string', array: true, describe: 'Only these checks (repeat)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
    .example('$0 history --config checks.yaml --since 7d', 'uptime, RTT percentiles and state changes per check')
    .example('$0 history --dir /var/lib/sipwall --check trunk-tls --json', 'one check, JSON');
}

export function exporterOptions(y: Argv): Argv {
  return y
    .option('listen', { type: 'string', default: '127.0.0.1:9877', describe: 'Address and port for /metrics, /probe and the status page' })
    .option('config', { type: 'string', describe: 'Run this watch too (its results on /metrics and /), and its modules for /probe' })
    .example('$0 exporter --listen 127.0.0.1:9877', '/probe?target=pbx.example.com&module=sip_udp for Prometheus (modules sip_udp, sip_tcp, sip_tls)')
    .example('$0 exporter --config checks.yaml', 'the watch\'s results on /metrics and a status page on /');
}
