/**
 * `sipwall exporter`: Prometheus metrics over HTTP (text format written by exposition.ts).
 * - `/metrics`: the latest result of every check of the watch, labelled by check, target and
 *   transport, and the exporter's own process metrics.
 * - `/probe?target=…&module=…`: one probe now, blackbox_exporter style (Prometheus is the
 *   scheduler; relabelling puts the target in the URL), its metrics alone in the answer.
 * Names follow Prometheus' conventions (prometheus.io/docs/practices/naming: a `sipwall_`
 * prefix, base units in the name, `_seconds`, `_total` on counters, `_timestamp_seconds`).
 */
import http from 'node:http';
import { InputError } from '../net/errors.js';
import { parseSipTarget } from '../probe/target.js';
import type { Check, ProbeSpec } from './config.js';
import { runProbe, type CheckResult } from './run.js';
import { Family, processMetrics, type Labels } from './exposition.js';
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

/** The metric families of probe results, labelled by `labelNames`' values. */
class ProbeFamilies {
  readonly gauges = PROBE_METRICS.map((m) => ({ m, family: new Family(m.name, m.help, 'gauge') }));
  readonly loss = new Family(LOSS.name, LOSS.help, 'gauge');

  set(labels: Labels, result: CheckResult): void {
    for (const { m, family } of this.gauges) {
      const value = m.value(result);
      // A value the last run did not give is removed, not left stale.
      if (value === undefined) family.remove(labels);
      else family.set(labels, Number(value));
    }
    for (const direction of DIRECTIONS) {
      if (result.rtpLoss) this.loss.set({ ...labels, direction }, result.rtpLoss[direction]);
      else this.loss.remove({ ...labels, direction });
    }
  }

  removeWhere(label: string, value: string): void {
    for (const { family } of this.gauges) family.removeWhere(label, value);
    this.loss.removeWhere(label, value);
  }

  render(): string {
    return [...this.gauges.map((g) => g.family), this.loss].map((f) => f.render()).join('');
  }
}

/** One probe's exposition: its metrics alone, without labels (the scrape adds the target). */
function probeExposition(result: CheckResult): string {
  const families = new ProbeFamilies();
  families.set({}, result);
  return families.render();
}

/** The text format's content type. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

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
  private readonly probes = new ProbeFamilies();
  private readonly up = new Family('sipwall_check_up', 'Check state: 1 up, 0 down (absent while unknown)', 'gauge');
  private readonly runs = new Family('sipwall_check_runs_total', 'Check runs by result', 'counter');
  private readonly info = new Family('sipwall_check_info', 'The labels of each check in the watch config (value 1)', 'gauge');
  /** Every check name the families hold samples of. */
  private readonly known = new Set<string>();
  private server: http.Server | undefined;
  private inFlight = 0;

  constructor(private readonly options: ExporterOptions) {}

  /** A watch result into /metrics. */
  record(check: Check, result: CheckResult, state: CheckState): void {
    this.known.add(check.name);
    this.probes.set({ check: check.name, target: check.input, transport: check.transport }, result);
    if (state.state === 'unknown') this.up.remove({ check: check.name });
    else this.up.set({ check: check.name }, state.state === 'up' ? 1 : 0);
    this.runs.inc({ check: check.name, result: result.ok ? 'success' : 'failure' });
  }

  /** The checks' labels from the config, as `sipwall_check_info{check="…",<labels>} 1` (join on `check`). */
  describe(checks: readonly Check[]): void {
    for (const check of checks) {
      this.known.add(check.name);
      this.info.removeWhere('check', check.name);
      this.info.set({ check: check.name, ...check.labels }, 1);
    }
  }

  /** Forgets checks that are no longer configured. */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.known) {
      if (names.has(name)) continue;
      for (const family of [this.up, this.runs, this.info]) family.removeWhere('check', name);
      this.probes.removeWhere('check', name);
      this.known.delete(name);
    }
  }

  /** The /metrics text. */
  metrics(): string {
    return this.probes.render() + this.up.render() + this.runs.render() + this.info.render() + processMetrics('sipwall_exporter_');
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
      res.writeHead(200, { 'content-type': CONTENT_TYPE });
      res.end(this.metrics());
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
    res.writeHead(200, { 'content-type': CONTENT_TYPE });
    res.end(probeExposition(result));
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((r) => this.server!.close(r));
  }
}

function text(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
