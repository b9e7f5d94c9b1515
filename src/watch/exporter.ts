/**
 * `sipwall exporter`: Prometheus metrics over HTTP (prom-client).
 * - `/metrics`: the latest result of every check of the watch, labelled by check, target and
 *   transport, and the exporter's own process metrics.
 * - `/probe?target=…&module=…`: one probe now, blackbox_exporter style (Prometheus is the
 *   scheduler; relabelling puts the target in the URL), its metrics alone in the answer.
 * Names follow Prometheus' conventions (prometheus.io/docs/practices/naming: a `sipwall_`
 * prefix, base units in the name, `_seconds`, `_total` on counters, `_timestamp_seconds`).
 */
import http from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { InputError } from '../net/errors.js';
import { parseSipTarget } from '../probe/target.js';
import type { Check, ProbeSpec } from './config.js';
import { runProbe, type CheckResult } from './run.js';
import type { CheckState } from './state.js';

/** Modules /probe knows without a config. */
export const DEFAULT_MODULES: ReadonlyMap<string, Omit<ProbeSpec, 'target'>> = new Map(
  (['udp', 'tcp', 'tls'] as const).map((t) => [`sip_${t}`, { transport: t, timeoutMs: 5000, insecure: false, expect: { status: 'any', maxRttMs: undefined, certDays: undefined } }]),
);

/** Probes in flight through /probe at once; past that the answer is 503. */
export const MAX_PROBES = 500;

/** The probe metrics: name, help, and what a result says (undefined: not reported, not left stale). */
const PROBE_METRICS: ReadonlyArray<{ readonly name: string; readonly help: string; readonly value: (r: CheckResult) => number | boolean | undefined }> = [
  { name: 'sipwall_probe_success', help: 'Whether the probe met its expectations (1) or not (0)', value: (r) => r.ok },
  { name: 'sipwall_probe_duration_seconds', help: 'How long the probe took, name resolution and TLS handshake included', value: (r) => r.durationMs / 1000 },
  { name: 'sipwall_sip_rtt_seconds', help: 'Round trip of the OPTIONS to its final answer', value: (r) => (r.rttMs === undefined ? undefined : r.rttMs / 1000) },
  { name: 'sipwall_sip_status_code', help: 'Status code of the final answer', value: (r) => r.status },
  { name: 'sipwall_sip_retransmissions', help: 'UDP retransmissions before the answer', value: (r) => r.retransmissions },
  { name: 'sipwall_tls_cert_not_after_timestamp_seconds', help: 'When the TLS certificate expires (Unix time)', value: (r) => (r.tlsNotAfter === undefined ? undefined : Math.floor(r.tlsNotAfter / 1000)) },
  { name: 'sipwall_nat_detected', help: 'Whether the far end saw another source address or port than ours (1) or not (0)', value: (r) => r.nat },
  { name: 'sipwall_sip_alg_suspected', help: 'Whether a SIP ALG rewrote the request on the way (1) or not (0); only against sipwall responder', value: (r) => r.alg },
  { name: 'sipwall_rtp_ports_open', help: 'RTP ports of the sample that echoed', value: (r) => r.rtpOpen },
  { name: 'sipwall_rtp_ports_probed', help: 'RTP ports in the sample', value: (r) => r.rtpPorts },
];
const LOSS = { name: 'sipwall_rtp_loss_ratio', help: 'Fraction of RTP packets lost on the way in (inbound) or back (return), as sipwall responder counted them' } as const;
const DIRECTIONS = ['inbound', 'return'] as const;

/**
 * One probe's exposition (text format 0.0.4), written directly: /probe answers hundreds of
 * requests at once, and a prom-client registry per request cost more than the probe itself.
 */
export function probeExposition(result: CheckResult): string {
  const out: string[] = [];
  for (const m of PROBE_METRICS) {
    const value = m.value(result);
    out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} gauge`);
    if (value !== undefined) out.push(`${m.name} ${Number(value)}`);
  }
  out.push(`# HELP ${LOSS.name} ${LOSS.help}`, `# TYPE ${LOSS.name} gauge`);
  for (const direction of DIRECTIONS) if (result.rtpLoss) out.push(`${LOSS.name}{direction="${direction}"} ${result.rtpLoss[direction]}`);
  return `${out.join('\n')}\n`;
}

export interface ExporterOptions {
  readonly host: string;
  readonly port: number;
  readonly modules: ReadonlyMap<string, Omit<ProbeSpec, 'target'>>;
  readonly log: (line: string) => void;
  /** The status page's HTML, when a watch runs with the exporter. */
  readonly page?: () => string;
  /** Probes in flight through /probe at once (default MAX_PROBES). */
  readonly maxProbes?: number;
}

export class Exporter {
  readonly registry = new Registry();
  private readonly gauges = PROBE_METRICS.map((m) => ({ m, gauge: new Gauge({ name: m.name, help: m.help, labelNames: ['check', 'target', 'transport'], registers: [this.registry] }) }));
  private readonly loss = new Gauge({ name: LOSS.name, help: LOSS.help, labelNames: ['check', 'target', 'transport', 'direction'], registers: [this.registry] });
  private readonly up = new Gauge({ name: 'sipwall_check_up', help: 'Check state: 1 up, 0 down (absent while unknown)', labelNames: ['check'], registers: [this.registry] });
  private readonly runs = new Counter({ name: 'sipwall_check_runs_total', help: 'Check runs by result', labelNames: ['check', 'result'], registers: [this.registry] });
  /** `sipwall_check_info` lines: each check's labels from the config (written by hand: label names vary by check). */
  private info = '';
  /** The labels each check was recorded with. */
  private readonly recorded = new Map<string, Record<string, string>>();
  private server: http.Server | undefined;
  private inFlight = 0;

  constructor(private readonly options: ExporterOptions) {
    collectDefaultMetrics({ register: this.registry, prefix: 'sipwall_exporter_' });
    // prom-client names three gauges `_total`, which the conventions keep for counters
    // (`promtool check metrics` says so): left out.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(`sipwall_exporter_${name}`);
  }

  /** A watch result into /metrics. */
  record(check: Check, result: CheckResult, state: CheckState): void {
    const labels = { check: check.name, target: check.input, transport: check.transport };
    this.recorded.set(check.name, labels);
    for (const { m, gauge } of this.gauges) {
      const value = m.value(result);
      // A value the last run did not give is removed, not left stale.
      if (value === undefined) gauge.remove(labels);
      else gauge.set(labels, Number(value));
    }
    for (const direction of DIRECTIONS) {
      if (result.rtpLoss) this.loss.set({ ...labels, direction }, result.rtpLoss[direction]);
      else this.loss.remove({ ...labels, direction });
    }
    if (state.state === 'unknown') this.up.remove({ check: check.name });
    else this.up.set({ check: check.name }, state.state === 'up' ? 1 : 0);
    this.runs.inc({ check: check.name, result: result.ok ? 'success' : 'failure' });
  }

  /** The checks' labels from the config, as `sipwall_check_info{check="…",<labels>} 1` (join on `check`). */
  describe(checks: readonly Check[]): void {
    const lines = checks.map((c) => {
      const pairs: Array<[string, string]> = [['check', c.name], ...Object.entries(c.labels)];
      return `sipwall_check_info{${pairs.map(([k, v]) => `${k}="${labelValue(v)}"`).join(',')}} 1`;
    });
    this.info = lines.length === 0 ? '' : `# HELP sipwall_check_info The labels of each check in the watch config (value 1)\n# TYPE sipwall_check_info gauge\n${lines.join('\n')}\n`;
  }

  /** Forgets checks that are no longer configured. */
  retain(names: ReadonlySet<string>): void {
    for (const [name, labels] of this.recorded) {
      if (names.has(name)) continue;
      for (const { gauge } of this.gauges) gauge.remove(labels);
      for (const direction of DIRECTIONS) this.loss.remove({ ...labels, direction });
      this.up.remove({ check: name });
      for (const result of ['success', 'failure']) this.runs.remove({ check: name, result });
      this.recorded.delete(name);
    }
  }

  async listen(): Promise<{ host: string; port: number }> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.log(`exporter: ${(error as Error).message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    });
    // Bounded: slow clients cannot hold sockets for long.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 120_000;
    this.server.maxHeadersCount = 50;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = this.server.address() as { address: string; port: number };
    return { host: address.address, port: address.port };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://exporter');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'only GET\n');
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': this.registry.contentType });
      res.end((await this.registry.metrics()) + this.info);
      return;
    }
    if (url.pathname === '/probe') return this.probe(url, req, res);
    if (url.pathname === '/' && this.options.page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'" });
      res.end(this.options.page());
      return;
    }
    if (url.pathname === '/') return text(res, 200, 'sipwall exporter: /metrics, /probe?target=HOST&module=sip_udp\n');
    return text(res, 404, 'not found: /metrics, /probe?target=HOST&module=NAME\n');
  }

  private async probe(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const targetText = url.searchParams.get('target');
    const moduleName = url.searchParams.get('module') ?? 'sip_udp';
    const module = this.options.modules.get(moduleName);
    if (!module) return text(res, 400, `unknown module "${moduleName.replace(/[^ -~]/g, '?').slice(0, 40)}": one of ${[...this.options.modules.keys()].join(', ')}\n`);
    if (targetText === null) return text(res, 400, 'name a target: /probe?target=pbx.example.com&module=sip_udp\n');
    let target;
    try {
      target = parseSipTarget(targetText, 'target');
    } catch (error) {
      if (error instanceof InputError) return text(res, 400, `${error.message}\n`);
      throw error;
    }
    const cap = this.options.maxProbes ?? MAX_PROBES;
    if (this.inFlight >= cap) return text(res, 503, `${cap} probes already running\n`);
    // Finish within Prometheus' scrape timeout (it says it in this header), as blackbox_exporter does.
    const scrape = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
    const timeoutMs = Number.isFinite(scrape) && scrape > 0 ? Math.max(100, Math.min(module.timeoutMs, scrape * 1000 - 500)) : module.timeoutMs;
    this.inFlight++;
    let result: CheckResult;
    try {
      result = await runProbe('probe', { ...module, target, timeoutMs });
    } finally {
      this.inFlight--;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(probeExposition(result));
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((r) => this.server!.close(r));
  }
}

/** A label value in the text format: backslash, double quote and line feed escaped. */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function text(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
