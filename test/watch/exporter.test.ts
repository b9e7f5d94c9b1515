/**
 * The exporter: /probe against a real responder on loopback, /metrics with a watch's results,
 * both passed through `promtool check metrics`, and a real Prometheus (Debian's package) that
 * scrapes /probe with blackbox-style relabelling and answers `sipwall_probe_success == 1`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Responder } from '../../src/probe/responder.js';
import { parseSipTarget } from '../../src/probe/target.js';
import type { Check } from '../../src/watch/config.js';
import { DEFAULT_MODULES, Exporter } from '../../src/watch/exporter.js';
import { CheckState } from '../../src/watch/state.js';
import { freePort, rtpResponder } from '../helpers/ports.js';

const ROOT = join(import.meta.dirname, '..', '..');
const promtool = spawnSync('promtool', ['--version']).status === 0;
if (!promtool && process.env.CI) throw new Error('promtool is missing: .ci/run installs Debian\'s prometheus package');

let responderPort: number;
let responder: Responder;
let exporter: Exporter;
let base: string;
const tmp = mkdtempSync(join(tmpdir(), 'sipwall-exporter-'));

beforeAll(async () => {
  responderPort = await freePort();
  responder = new Responder({ sip: [{ transport: 'udp', port: responderPort }, { transport: 'tcp', port: responderPort }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 1000, rtpRate: 1, log: () => undefined });
  await responder.start();
  exporter = new Exporter({ host: '127.0.0.1', port: 0, modules: DEFAULT_MODULES, log: () => undefined, page: () => '<p>page</p>' });
  const bound = await exporter.listen();
  base = `http://127.0.0.1:${bound.port}`;
});
afterAll(async () => {
  await exporter.close();
  await responder.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** `name{labels} value` lines of an exposition, as a map from `name{labels}` to the value. */
function samples(text: string): Map<string, number> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]),
  );
}

function checkMetrics(text: string): void {
  if (!promtool) return void console.warn('SKIPPED promtool check metrics: promtool is not installed (apt-get install prometheus)');
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(run.status, run.stderr + run.stdout).toBe(0);
  expect(run.stderr + run.stdout).toBe('');
}

describe('exporter /probe', () => {
  it('probes a responder over udp and tcp: success 1, status 200, RTT; the exposition passes promtool', async () => {
    for (const module of ['sip_udp', 'sip_tcp']) {
      const res = await fetch(`${base}/probe?target=127.0.0.1:${responderPort}&module=${module}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const s = samples(text);
      expect([s.get('sipwall_probe_success'), s.get('sipwall_sip_status_code'), s.get('sipwall_sip_alg_suspected'), s.get('sipwall_nat_detected')]).toEqual([1, 200, 0, 0]);
      expect(s.get('sipwall_sip_rtt_seconds')).toBeGreaterThan(0);
      checkMetrics(text);
    }
  });

  it('a port that refuses: success 0 and no status; bad requests: 400 naming the fix', async () => {
    const closed = await freePort();
    const s = samples(await (await fetch(`${base}/probe?target=127.0.0.1:${closed}&module=sip_tcp`)).text());
    expect([s.get('sipwall_probe_success'), s.has('sipwall_sip_status_code')]).toEqual([0, false]);
    const badTarget = await fetch(`${base}/probe?target=%3Cscript%3E&module=sip_udp`);
    expect([badTarget.status, await badTarget.text()]).toEqual([400, expect.stringMatching(/is not a SIP target/)]);
    const badModule = await fetch(`${base}/probe?target=127.0.0.1&module=nope`);
    expect([badModule.status, await badModule.text()]).toEqual([400, expect.stringMatching(/unknown module "nope": one of sip_udp, sip_tcp, sip_tls/)]);
    expect((await fetch(`${base}/probe?module=sip_udp`)).status).toBe(400);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('exporter /probe with an rtp module', () => {
  it('samples the responder\'s RTP ports: ports open and loss each way', async () => {
    const { responder: rtp, base } = await rtpResponder(2);
    const module = { ...DEFAULT_MODULES.get('sip_udp')!, expect: { status: 'any' as const, maxRttMs: undefined, certDays: undefined, maxLoss: 0 }, rtp: { range: { from: base, to: base + 1 }, sample: 2, count: 3, intervalMs: 5, sip: { transport: 'udp' as const, port: base + 10 } } };
    const withRtp = new Exporter({ host: '127.0.0.1', port: 0, modules: new Map([['media', module]]), log: () => undefined });
    const { port } = await withRtp.listen();
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/probe?target=127.0.0.1&module=media`)).text();
      const s = samples(text);
      expect([s.get('sipwall_probe_success'), s.get('sipwall_rtp_ports_open'), s.get('sipwall_rtp_ports_probed'), s.get('sipwall_rtp_loss_ratio{direction="inbound"}'), s.get('sipwall_rtp_loss_ratio{direction="return"}')]).toEqual([1, 2, 2, 0, 0]);
      checkMetrics(text);
    } finally {
      await withRtp.close();
      await rtp.stop();
    }
  });
});

describe('exporter /probe bound', () => {
  it('past its cap of probes in flight, answers 503 at once; the ones in flight finish', async () => {
    const small = new Exporter({ host: '127.0.0.1', port: 0, modules: new Map([['slow', { ...DEFAULT_MODULES.get('sip_udp')!, timeoutMs: 800 }]]), log: () => undefined, maxProbes: 2 });
    const { port } = await small.listen();
    // A socket on loopback that never answers: each probe waits out its timeout.
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${port}/probe?target=127.0.0.1:${silent.address().port}&module=slow`;
    const first = [fetch(url), fetch(url)];
    await new Promise((r) => setTimeout(r, 100));
    const third = await fetch(url);
    expect([third.status, await third.text()]).toEqual([503, '2 probes already running\n']);
    for (const r of await Promise.all(first)) expect(samples(await r.text()).get('sipwall_probe_success')).toBe(0);
    silent.close();
    await small.close();
  });
});

describe('exporter /metrics', () => {
  it('carries the latest result of each check, its state and run counts; forgets removed checks', async () => {
    const check: Check = { name: 'trunk', input: 'pbx.example.com', target: parseSipTarget('pbx.example.com'), transport: 'tls', timeoutMs: 1000, insecure: false, expect: { status: 'any', maxRttMs: undefined, certDays: undefined }, schedule: { everyMs: 60_000 }, labels: {} };
    const state = new CheckState({ downAfter: 1, flapWindowMs: 60_000, flapChanges: 10, certDays: 14 });
    const result = { check: 'trunk', at: Date.now(), ok: true, durationMs: 42, outcome: 'answered', status: 200, rttMs: 12.5, retransmissions: 0, tlsDaysLeft: 80, tlsNotAfter: Date.parse('2027-02-20T00:00:00Z') };
    state.observe(result);
    exporter.record(check, result, state);
    const text = await (await fetch(`${base}/metrics`)).text();
    const s = samples(text);
    const labels = '{check="trunk",target="pbx.example.com",transport="tls"}';
    expect([s.get(`sipwall_probe_success${labels}`), s.get(`sipwall_sip_rtt_seconds${labels}`), s.get(`sipwall_tls_cert_not_after_timestamp_seconds${labels}`), s.get('sipwall_check_up{check="trunk"}'), s.get('sipwall_check_runs_total{check="trunk",result="success"}')]).toEqual([1, 0.0125, Date.parse('2027-02-20T00:00:00Z') / 1000, 1, 1]);
    checkMetrics(text);
    exporter.describe([{ ...check, labels: { site: 'ams "2"\\x', tier: 'gold' } }]);
    const described = await (await fetch(`${base}/metrics`)).text();
    expect(described).toContain('sipwall_check_info{check="trunk",site="ams \\"2\\"\\\\x",tier="gold"} 1');
    checkMetrics(described);
    exporter.describe([]);
    exporter.retain(new Set());
    expect([...samples(await (await fetch(`${base}/metrics`)).text()).keys()].filter((k) => k.includes('trunk'))).toEqual([]);
  });
});

describe('a real Prometheus scrapes the exporter', () => {
  const have = spawnSync('prometheus', ['--version']).status === 0;
  if (!have && process.env.CI) throw new Error('prometheus is missing: .ci/run installs Debian\'s prometheus package');
  let prometheus: ChildProcess | undefined;
  afterAll(() => prometheus?.kill('SIGKILL'));

  it.runIf(have)('with the example relabelling: sipwall_probe_success{job="sipwall_sip_udp"} == 1 through the query API', async () => {
    const port = await freePort();
    // The example config's job, pointed at this exporter and this responder, scraping every second.
    const example = readFileSync(join(ROOT, 'examples/prometheus/prometheus.yml'), 'utf8');
    const config = example
      .replace('scrape_interval: 30s', 'scrape_interval: 1s')
      .replace('scrape_timeout: 10s', 'scrape_timeout: 1s')
      .replace(/rule_files:\n {2}- sipwall-rules.yml\n/, '')
      .replace('          - pbx.example.com\n          - sip:trunk.example.net:5080\n', `          - 127.0.0.1:${responderPort}\n`)
      .replaceAll('replacement: 127.0.0.1:9877', `replacement: ${base.slice('http://'.length)}`)
      .replace('      - targets: [127.0.0.1:9877]', `      - targets: ['${base.slice('http://'.length)}']`);
    writeFileSync(join(tmp, 'prometheus.yml'), config);
    prometheus = spawn('prometheus', [`--config.file=${join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    let result: unknown[] = [];
    // Bounded: 60 polls, 500 ms apart.
    for (let i = 0; i < 60 && result.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        const body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('sipwall_probe_success{job="sipwall_sip_udp"} == 1')}`)).json()) as { data?: { result?: unknown[] } };
        result = body.data?.result ?? [];
      } catch {
        // Not listening yet.
      }
    }
    expect(result).toEqual([expect.objectContaining({ metric: expect.objectContaining({ instance: `127.0.0.1:${responderPort}`, job: 'sipwall_sip_udp' }) })]);
  }, 60_000);
});

describe('the examples in the repository', () => {
  it('prometheus.yml and the alert rules pass promtool; the dashboard names only metrics the exporter writes', async () => {
    if (promtool) {
      const config = spawnSync('promtool', ['check', 'config', join(ROOT, 'examples/prometheus/prometheus.yml')], { encoding: 'utf8' });
      expect(config.status, config.stdout + config.stderr).toBe(0);
      const rules = spawnSync('promtool', ['check', 'rules', join(ROOT, 'examples/prometheus/sipwall-rules.yml')], { encoding: 'utf8' });
      expect(rules.status, rules.stdout + rules.stderr).toBe(0);
    }
    const written = new Set([...(await (await fetch(`${base}/metrics`)).text()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
    for (const name of ['sipwall_probe_success', 'sipwall_probe_duration_seconds', 'sipwall_sip_rtt_seconds', 'sipwall_sip_status_code', 'sipwall_sip_retransmissions', 'sipwall_tls_cert_not_after_timestamp_seconds', 'sipwall_nat_detected', 'sipwall_sip_alg_suspected', 'sipwall_rtp_loss_ratio', 'sipwall_rtp_ports_open', 'sipwall_rtp_ports_probed']) written.add(name);
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'examples/grafana/sipwall-dashboard.json'), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const rulesText = readFileSync(join(ROOT, 'examples/prometheus/sipwall-rules.yml'), 'utf8');
    const used = [...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), rulesText].flatMap((e) => [...e.matchAll(/\bsipwall_[a-z_]+/g)].map((m) => m[0]));
    expect(used.filter((n) => !written.has(n))).toEqual([]);
  });
});
