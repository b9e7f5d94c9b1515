/**
 * `sipwall watch --config checks.yaml`: the checks, their schedule and expectations, the history
 * and the alerts. The schema is zod's; docs/watch-config.schema.json is generated from it
 * (`npm run schema`) and a test keeps the two equal. Errors name the file, the field and the fix.
 * Imported lazily (yaml and zod cost start-up time).
 */
import { commandError } from '../errors/commands.js';
import { Cron } from 'croner';
import { z } from 'zod';
import { InputError } from '../net/errors.js';
import { parsePortRange, type PortRange } from '../net/ports.js';
import { parseSipTarget, type SipTarget, type Transport } from '../probe/target.js';
import { parseDuration } from '../text/duration.js';
import { readStructured } from '../text/structured.js';

export const WATCH_CONFIG_SCHEMA = 'urn:sipwall:schema:watch-config:v1';

const duration = z.string().regex(/^\d{1,9}(ms|s|m|h|d)$/, 'a duration such as 500ms, 5s, 10m, 24h or 30d');
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'letters, digits, _ . - (up to 63, starting with a letter or digit)');
/** Prometheus label names (data model: [a-zA-Z_][a-zA-Z0-9_]*, `__` reserved) and short values. */
const RESERVED_LABELS = ['check', 'target', 'transport', 'direction', 'result', 'job', 'instance'];
const labels = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, 'a Prometheus label name'), z.string().max(200))
  .refine((l) => Object.keys(l).length <= 16, 'at most 16 labels')
  .refine((l) => !Object.keys(l).some((k) => RESERVED_LABELS.includes(k)), `label names other than ${RESERVED_LABELS.join(', ')} (the exporter's own)`);

const expect = z
  .strictObject({
    status: z.union([z.literal('any'), z.number().int().min(100).max(699)]).optional().describe('the status the answer must have (default: any answer)'),
    maxRtt: duration.optional().describe('the round trip must be at most this'),
    certDays: z.number().int().min(0).max(3650).optional().describe('TLS: the certificate must stay valid this many more days'),
    maxLoss: z.number().min(0).max(1).optional().describe('rtp: the loss each way must be at most this fraction (default: any loss, so long as every port echoes)'),
  })
  .describe('what counts as up');

const rtp = z
  .strictObject({
    ports: z.string().regex(/^\d{1,5}(-\d{1,5})?$/, 'a port range such as 10000-20000').describe('the responder\'s RTP range'),
    sample: z.number().int().min(1).max(1024).default(8).describe('ports spread evenly over the range'),
    count: z.number().int().min(1).max(1000).default(20).describe('packets per port'),
    interval: duration.default('20ms').describe('between packets to one port (20ms = a call)'),
    sip: z.string().regex(/^(udp|tcp|tls):\d{1,5}$/, 'transport:port such as udp:5060').default('udp:5060').describe('where the responder answers SIP (asked which packets arrived)'),
  })
  .describe('probe: rtp, against sipwall responder');

const probe = {
  probe: z.enum(['sip', 'rtp']).optional().describe('sip: OPTIONS (default); rtp: a sample of RTP ports echoed by sipwall responder, loss each way'),
  rtp: rtp.optional(),
  transport: z.enum(['udp', 'tcp', 'tls']).optional().describe('default: udp, or the target URI\'s ;transport='),
  timeout: duration.optional().describe('default: defaults.timeout'),
  insecure: z.boolean().optional().describe('TLS: probe even when the certificate does not verify'),
  expect: expect.optional(),
};

const check = z.strictObject({
  name: name.describe('unique; the history, the alerts and the metrics use it'),
  target: z.string().min(1).max(300).describe('host, host:port, IP or SIP URI, as for sipwall probe sip'),
  ...probe,
  interval: duration.optional().describe('default: defaults.interval (use interval or cron)'),
  cron: z.string().max(100).optional().describe('a cron expression (croner), instead of interval'),
  labels: labels.optional(),
});

const module = z.strictObject(probe);

export const watchConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    defaults: z
      .strictObject({
        interval: duration.default('60s'),
        timeout: duration.default('5s'),
        jitter: z.number().min(0).max(1).default(0.1).describe('checks start spread over this fraction of their interval'),
      })
      .prefault({}),
    history: z
      .strictObject({
        dir: z.string().min(1).max(4096).optional().describe('default: $STATE_DIRECTORY (systemd), else ./sipwall-history'),
        retention: duration.default('30d'),
        maxFileBytes: z.number().int().min(4096).max(1 << 30).default(16 << 20).describe('a history file is rotated past this size'),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        downAfter: z.number().int().min(1).max(100).default(3).describe('consecutive failures before a check is down'),
        flap: z.strictObject({ window: duration.default('30m'), changes: z.number().int().min(2).max(100).default(4) }).prefault({}).describe('more state changes than this within the window: one flapping alert, then quiet until stable for a window'),
        certDays: z.number().int().min(0).max(3650).default(14).describe('alert when a TLS certificate has fewer days left'),
        command: z.string().min(1).max(4096).optional().describe('run through /bin/sh with the alert in SIPWALL_* environment variables'),
        webhook: z.strictObject({ url: z.url({ protocol: /^https?$/ }), timeout: duration.default('5s'), retries: z.number().int().min(0).max(10).default(5) }).optional().describe('POST the alert as JSON'),
      })
      .prefault({}),
    checks: z.array(check).min(1).max(10_000),
    modules: z.record(name, module).optional().describe('for the exporter\'s /probe?target=…&module=NAME'),
  })
  .describe('sipwall watch configuration');

type RawWatchConfig = z.infer<typeof watchConfigSchema>;

/** Every field name of a config, for "did you mean". */
const FIELDS = ['$schema', 'defaults', 'interval', 'timeout', 'jitter', 'history', 'dir', 'retention', 'maxFileBytes', 'alerts', 'downAfter', 'flap', 'window', 'changes', 'certDays', 'command', 'webhook', 'url', 'retries', 'checks', 'name', 'target', 'probe', 'rtp', 'ports', 'sample', 'count', 'sip', 'transport', 'insecure', 'expect', 'status', 'maxRtt', 'maxLoss', 'cron', 'labels', 'modules'];

export interface Expectation {
  readonly status: number | 'any';
  readonly maxRttMs: number | undefined;
  readonly certDays: number | undefined;
  readonly maxLoss?: number;
}

export interface RtpSpec {
  readonly range: PortRange;
  readonly sample: number;
  readonly count: number;
  readonly intervalMs: number;
  readonly sip: { readonly transport: Transport; readonly port: number };
}

export interface ProbeSpec {
  readonly target: SipTarget;
  /** Present for an rtp check. */
  readonly rtp?: RtpSpec;
  readonly transport: Transport;
  readonly timeoutMs: number;
  readonly insecure: boolean;
  readonly expect: Expectation;
}

export interface Check extends ProbeSpec {
  readonly name: string;
  /** The target as written (for reports and labels). */
  readonly input: string;
  readonly schedule: { readonly everyMs: number } | { readonly cron: string };
  readonly labels: Readonly<Record<string, string>>;
}

export interface WatchConfig {
  readonly jitter: number;
  readonly history: { readonly dir: string; readonly retentionMs: number; readonly maxFileBytes: number };
  readonly alerts: {
    readonly downAfter: number;
    readonly flapWindowMs: number;
    readonly flapChanges: number;
    readonly certDays: number;
    readonly command: string | undefined;
    readonly webhook: { readonly url: string; readonly timeoutMs: number; readonly retries: number } | undefined;
  };
  readonly checks: readonly Check[];
  readonly modules: ReadonlyMap<string, Omit<ProbeSpec, 'target'>>;
}

/** Parses the text of a config file; `file` names it in errors; `env` gives STATE_DIRECTORY. */
export function parseWatchConfig(text: string, file: string, env: Readonly<Record<string, string | undefined>> = {}): WatchConfig {
  const where = `config ${file}`;
  const data = readStructured(text, where, watchConfigSchema, 'docs/watch.md', FIELDS);
  return toConfig(data, where, env);
}

function toConfig(raw: RawWatchConfig, where: string, env: Readonly<Record<string, string | undefined>>): WatchConfig {
  const defaultTimeout = parseDuration(raw.defaults.timeout, `${where}: defaults.timeout`);
  const spec = (p: z.infer<typeof module>, at: string, target?: SipTarget): Omit<ProbeSpec, 'target'> => {
    if (p.probe === 'rtp' && !p.rtp) throw commandError('E_CHECK_RTP_MISSING', { at });
    if (p.probe !== 'rtp' && p.rtp) throw commandError('E_CHECK_RTP_EXTRA', { at });
    if (p.probe === 'rtp' && target && (target.user !== undefined || target.port !== undefined || target.scheme !== 'sip')) throw commandError('E_CHECK_RTP_TARGET', { at });
    const rtpSpec = p.probe === 'rtp' ? toRtp(p.rtp!, `${at}.rtp`) : undefined;
    return {
      transport: p.transport ?? target?.transport ?? 'udp',
      timeoutMs: p.timeout === undefined ? defaultTimeout : positive(parseDuration(p.timeout, `${at}.timeout`), `${at}.timeout`),
      insecure: p.insecure ?? false,
      expect: {
        status: p.expect?.status ?? 'any',
        maxRttMs: p.expect?.maxRtt === undefined ? undefined : parseDuration(p.expect.maxRtt, `${at}.expect.maxRtt`),
        certDays: p.expect?.certDays,
        ...(p.expect?.maxLoss === undefined ? {} : { maxLoss: p.expect.maxLoss }),
      },
      ...(rtpSpec ? { rtp: rtpSpec } : {}),
    };
  };
  const seen = new Set<string>();
  const checks = raw.checks.map((c, i): Check => {
    const at = `${where}: checks.${i}`;
    if (seen.has(c.name)) throw commandError('E_CHECK_NAME_TWICE', { at, name: c.name });
    seen.add(c.name);
    let target: SipTarget;
    try {
      target = parseSipTarget(c.target, `${at}.target`);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw commandError('E_CHECK_TARGET', { at, target: c.target.slice(0, 60) });
    }
    if (c.interval !== undefined && c.cron !== undefined) throw commandError('E_CHECK_SCHEDULE_TWICE', { at });
    let schedule: Check['schedule'];
    if (c.cron !== undefined) {
      try {
        new Cron(c.cron, { paused: true }).stop();
      } catch (error) {
        throw commandError('E_CHECK_CRON', { at, cron: c.cron.slice(0, 40), why: (error as Error).message });
      }
      schedule = { cron: c.cron };
    } else {
      const everyMs = parseDuration(c.interval ?? raw.defaults.interval, `${at}.interval`);
      if (everyMs < 1000) throw commandError('E_CHECK_INTERVAL_SHORT', { at, ms: everyMs });
      schedule = { everyMs };
    }
    return { name: c.name, input: c.target, target, ...spec(c, at, target), schedule, labels: c.labels ?? {} };
  });
  const flapWindowMs = parseDuration(raw.alerts.flap.window, `${where}: alerts.flap.window`);
  return {
    jitter: raw.defaults.jitter,
    history: {
      dir: raw.history.dir ?? env.STATE_DIRECTORY?.split(':')[0] ?? 'sipwall-history',
      retentionMs: parseDuration(raw.history.retention, `${where}: history.retention`),
      maxFileBytes: raw.history.maxFileBytes,
    },
    alerts: {
      downAfter: raw.alerts.downAfter,
      flapWindowMs,
      flapChanges: raw.alerts.flap.changes,
      certDays: raw.alerts.certDays,
      command: raw.alerts.command,
      webhook: raw.alerts.webhook && { url: raw.alerts.webhook.url, timeoutMs: parseDuration(raw.alerts.webhook.timeout, `${where}: alerts.webhook.timeout`), retries: raw.alerts.webhook.retries },
    },
    checks,
    modules: new Map(Object.entries(raw.modules ?? {}).map(([n, m]) => [n, spec(m, `${where}: modules.${n}`)])),
  };
}

function toRtp(r: z.infer<typeof rtp>, at: string): RtpSpec {
  const range = parsePortRange(r.ports, `${at}.ports`);
  const [transport, port] = r.sip.split(':') as [Transport, string];
  return { range, sample: r.sample, count: r.count, intervalMs: positive(parseDuration(r.interval, `${at}.interval`), `${at}.interval`), sip: { transport, port: parsePortRange(port, `${at}.sip`).from } };
}

function positive(ms: number, name: string): number {
  if (ms < 1) throw commandError('E_DURATION_ZERO', { input: name });
  return ms;
}

/** docs/watch-config.schema.json: what a config file may hold (the input side: defaults optional). */
export function watchConfigJsonSchema(): string {
  const schema = z.toJSONSchema(watchConfigSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ ...schema, $id: WATCH_CONFIG_SCHEMA, title: 'sipwall watch configuration (v1)' }, null, 2)}\n`;
}
