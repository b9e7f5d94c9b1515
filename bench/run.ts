/**
 * npm run bench: render time for 10, 1,000 and 100,000 prefixes (mixed IPv4/IPv6) to nftables
 * and iptables, CLI cold start against bare `node -e 0`, the prober, the exporter and the watch,
 * and our CIDR parser against ip-cidr.
 * Prints a Markdown report and writes it into BENCHMARKS.md between the markers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Agent, get } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import IPCIDR from 'ip-cidr';
import { parseCidr } from '../src/net/cidr.js';
import { buildPolicy } from '../src/policy/build.js';
import { PBX_PRESETS } from '../src/providers/pbx.js';
import { toProvider } from '../src/providers/parse.js';
import { findTarget, TARGETS } from '../src/targets/registry.js';
import { piecesOf } from '../src/targets/pieces.js';
import type { OutputFile, RenderOptions } from '../src/targets/types.js';
import { cell, measured, median, prefixes, renderArgs, startup, writeProfiles } from './process.js';

const root = join(import.meta.dirname, '..');

function time(fn: () => void, runs: number): number {
  fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const options = (ipset: boolean): RenderOptions => ({ mode: 'standalone', form: 'restore', ipset, header: { version: 'bench', command: 'bench' } });

function policyFor(list: string[]) {
  const provider = toProvider(
    { id: 'bench', name: 'Bench', source: 'bench', retrieved: '2026-11-23', roles: { sip: { addresses: list, transports: { udp: 5060, tcp: 5060, tls: 5061 } }, media: { addresses: list, hostPorts: '10000-20000' } } },
    'bench',
  );
  return buildPolicy({ providers: [provider], host: PBX_PRESETS.asterisk!, direction: 'in', families: [4, 6] });
}

/**
 * Makes every file's text as the writer takes it (in pieces where a file has them: iptables and
 * ufw make their rules only then) and gives its length in UTF-16 units. Timed with the render.
 */
const made = (files: readonly OutputFile[]) => files.reduce((n, f) => {
  for (const piece of piecesOf(f)) n += piece.length;
  return n;
}, 0);

const rows: string[] = [
  '| prefixes | parse + policy | nftables | iptables | iptables --ipset | **total: policy + nftables + iptables** | output nft / ipt |',
  '|---:|---:|---:|---:|---:|---:|---:|',
];
for (const n of [10, 1_000, 100_000]) {
  const list = prefixes(n);
  const runs = n >= 100_000 ? 9 : 30;
  const policy = policyFor(list);
  const sizes = [made(findTarget('nftables').render(policy, options(false)).files), made(findTarget('iptables').render(policy, options(false)).files)];
  const build = time(() => policyFor(list), runs);
  const nft = time(() => made(findTarget('nftables').render(policy, options(false)).files), runs);
  const ipt = time(() => made(findTarget('iptables').render(policy, options(false)).files), runs);
  const ips = time(() => made(findTarget('iptables').render(policy, options(true)).files), runs);
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  rows.push(`| ${n.toLocaleString('en')} | ${ms(build)} | ${ms(nft)} | ${ms(ipt)} | ${ms(ips)} | **${ms(build + nft + ipt)}** | ${(sizes[0]! / 1e6).toFixed(2)} MB / ${(sizes[1]! / 1e6).toFixed(2)} MB |`);
}

/** Every target at 100,000 prefixes, each with its default form (a refusal over a platform limit counts as done). */
const everyRows: string[] = ['| target | time | result |', '|---|---:|---|'];
let everyTotal = 0;
{
  const policy = policyFor(prefixes(100_000));
  for (const target of TARGETS) {
    const opts = { ...options(false), form: target.meta.forms[0]! };
    let result = '';
    const ms = time(() => {
      try {
        const out = target.render(policy, opts);
        result = `${(made(out.files) / 1e6).toFixed(2)} MB`;
      } catch (error) {
        result = `refused: ${(error as Error).message.slice(0, 90)}…`;
      }
    }, 5);
    everyTotal += ms;
    everyRows.push(`| ${target.meta.id} | ${ms.toFixed(1)} ms | ${result} |`);
  }
}

const big = prefixes(100_000);
const ours = time(() => big.forEach((p) => parseCidr(p, 'bench')), 5);
const theirs = time(() => big.forEach((p) => new IPCIDR(p).start({ type: 'bigInteger' })), 1);

const cold = startup(root, { sipwall: join(root, 'bin', 'sipwall.cjs') });
const coldRows = cold.rows.map(({ label, ms }) => `| \`${label}\` | ${ms.sipwall!.toFixed(1)} ms | ${(ms.sipwall! / cold.bare).toFixed(2)}× |`);

/**
 * --profile files as users run them (issue 15): 100,000 prefixes (80 % IPv4) in JSON, YAML and
 * an address list file, to nftables, iptables and gcp (median of 3, peak RSS the largest of
 * them), and 1,000,000 once.
 */
function profileBench(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-bench-profiles-'));
  const cli = join(root, 'bin', 'sipwall.cjs');
  let out = 0;
  const run = (profile: string, target: string) => measured(cli, renderArgs(profile, target, join(dir, `out-${out++}`)));
  try {
    const rows = ['| profile (100,000 prefixes, 80 % IPv4), median of 5 | nftables | iptables | gcp |', '|---|---:|---:|---:|'];
    const files = writeProfiles(dir, 100_000);
    // This machine's speed drifts by half within minutes: bare node start-up, timed between the
    // runs, says how fast it was.
    const bare: number[] = [];
    const timed = (profile: string, target: string) => {
      const t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      bare.push(performance.now() - t);
      return run(profile, target);
    };
    for (const [format, file] of Object.entries(files)) {
      rows.push(`| ${format} | ${['nftables', 'iptables', 'gcp'].map((t) => cell([0, 1, 2, 3, 4].map(() => timed(file, t)))).join(' | ')} |`);
    }
    rows.push('', `\`node -e 0\` between those runs: median ${median(bare).toFixed(0)} ms (${Math.min(...bare).toFixed(0)}-${Math.max(...bare).toFixed(0)}).`);
    const million = writeProfiles(dir, 1_000_000);
    rows.push('', '| profile (1,000,000 prefixes, one run) | nftables | iptables |', '|---|---:|---:|');
    for (const [format, file] of Object.entries(million)) rows.push(`| ${format} | ${cell([run(file, 'nftables')])} | ${cell([run(file, 'iptables')])} |`);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const profileRows = profileBench();

/**
 * The prober (issue 4): OPTIONS to 1,000 responder ports on loopback against a sequential sipsak
 * loop on the same targets, and an RTP sweep of 16,384 ports (one responder process, its own
 * socket per port: needs an open-file limit above 16,400).
 */
async function probeBench(): Promise<string[]> {
  const cli = join(root, 'bin', 'sipwall.cjs');
  const sipPorts = Array.from({ length: 1000 }, (_, i) => 41_000 + i);
  const responder = spawn(process.execPath, [cli, 'responder', '--bind', '127.0.0.1', '--sip-rate', '100000', '--sip', sipPorts.map((p) => `udp:${p}`).join(','), '--rtp', '10000-26383'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      responder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      responder.on('exit', (code) => reject(new Error(`responder exited ${code}`)));
    });
    const targets = join(tmpdir(), `sipwall-bench-${process.pid}.txt`);
    writeFileSync(targets, sipPorts.map((p) => `127.0.0.1:${p}`).join('\n'));
    const wall = (args: string[]) => {
      const t = performance.now();
      const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      return { ms: performance.now() - t, code: r.status, stdout: r.stdout };
    };
    const sipRuns = [0, 1, 2].map(() => wall(['probe', 'sip', '--targets', targets, '--transport', 'udp', '--concurrency', '1000', '--timeout', '3000', '--json']));
    const answered = JSON.parse(sipRuns.at(-1)!.stdout).summary.outcomes.answered ?? 0;
    const ours = median(sipRuns.map((r) => r.ms));
    let sipsak = 'sipsak not installed (apt-get install sipsak)';
    let ratio = '';
    if (spawnSync('sh', ['-c', 'command -v sipsak'], { stdio: 'ignore' }).status === 0) {
      const t = performance.now();
      let ok = 0;
      for (const p of sipPorts) ok += spawnSync('sipsak', ['-s', `sip:probe@127.0.0.1:${p}`], { stdio: 'ignore' }).status === 0 ? 1 : 0;
      const loop = performance.now() - t;
      sipsak = `${loop.toFixed(0)} ms (${ok} answered)`;
      ratio = `${(loop / ours).toFixed(1)}×`;
    }
    const sweeps = [0, 1, 2].map(() => wall(['probe', 'rtp', '127.0.0.1', '--ports', '10000-26383', '--all', '--sip', 'udp:41000', '--json']));
    const closed = sweeps.map((r) => 16_384 - JSON.parse(r.stdout).summary.open);
    return [
      '### Prober (loopback; median of 3 runs of the CLI, start-up included)',
      '',
      '| measure | figure | goal |',
      '|---|---:|---|',
      `| \`probe sip\` OPTIONS to 1,000 responder ports (udp, --concurrency 1000) | ${ours.toFixed(0)} ms (${answered} answered) | |`,
      `| sequential sipsak loop on the same 1,000 targets | ${sipsak} | |`,
      `| ratio | ${ratio || 'n/a'} | ≥ 20× |`,
      `| \`probe rtp --all\` sweep of 16,384 ports | ${median(sweeps.map((r) => r.ms)).toFixed(0)} ms | ≤ 3 s |`,
      `| false "closed" ports on the clean path (3 sweeps) | ${closed.join(', ')} | 0 |`,
    ];
  } finally {
    responder.kill('SIGTERM');
  }
}
const probeRows = await probeBench();

/** Peak and current RSS of a process, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function startCli(args: string[], ready: string): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, [join(root, 'bin', 'sipwall.cjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let said = '';
    child.stdout!.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes(ready)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`sipwall ${args[0]} exited ${code}: ${said}`)));
  });
}

/**
 * The exporter and the watch (issue 13): /probe under 200 concurrent requests against a responder
 * on loopback (latency against the probe's own RTT, the exporter's RSS), and a watch of 1,000
 * checks at a 60 s interval over two rounds (CPU per round, RSS, drift of the second run of each
 * check from its slot).
 */
async function watchBench(): Promise<string[]> {
  const sip = 42_000;
  const responder = await startCli(['responder', '--bind', '127.0.0.1', '--sip-rate', '1000000', '--sip', `udp:${sip}`], 'ready');
  const exporterPort = 42_100;
  const exporter = await startCli(['exporter', '--listen', `127.0.0.1:${exporterPort}`], 'exporter on');
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-bench-watch-'));
  try {
    const url = `http://127.0.0.1:${exporterPort}/probe?target=127.0.0.1:${sip}&module=sip_udp`;
    // The load generator is node:http with kept-alive connections, as Prometheus scrapes: it shares
    // the two cores with the exporter and the responder, and fetch() cost twice its CPU.
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const one = (target = url) =>
      new Promise<{ ms: number; rtt: number; ok: boolean }>((resolve, reject) => {
        const t = performance.now();
        get(target, { agent }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ ms: performance.now() - t, rtt: Number(/^sipwall_sip_rtt_seconds (\S+)$/m.exec(text)?.[1]) * 1000, ok: /^sipwall_probe_success 1$/m.test(text) }));
        }).on('error', reject);
      });
    // The probe's own RTT, one request at a time.
    const alone: Array<{ ms: number; rtt: number }> = [];
    for (let i = 0; i < 50; i++) alone.push(await one());
    const rtt = median(alone.map((r) => r.rtt));
    const latencies: number[] = [];
    let failed = 0;
    const exporterCpu0 = cpuOf(exporter.pid!);
    for (let batch = 0; batch < 5; batch++) {
      const results = await Promise.all(Array.from({ length: 200 }, () => one()));
      for (const r of results) {
        latencies.push(r.ms);
        if (!r.ok) failed++;
      }
    }
    const cpuPerProbe = ((cpuOf(exporter.pid!) - exporterCpu0) / latencies.length) * 1000;
    latencies.sort((a, b) => a - b);
    const at = (list: number[], q: number) => list[Math.min(list.length - 1, Math.ceil(q * list.length) - 1)]!;
    const p = (q: number) => at(latencies, q);
    // The floor of this machine: the same load on the exporter's static page (no probe).
    const floor: number[] = [];
    for (let batch = 0; batch < 5; batch++) floor.push(...(await Promise.all(Array.from({ length: 200 }, () => one(`http://127.0.0.1:${exporterPort}/`)))).map((r) => r.ms));
    floor.sort((a, b) => a - b);
    const exporterMemory = memoryOf(exporter.pid!);
    agent.destroy();

    const checks = Array.from({ length: 1000 }, (_, i) => `  - { name: c${i}, target: "127.0.0.1:${sip}", transport: udp, interval: 60s }`);
    writeFileSync(join(dir, 'checks.yaml'), `history: { dir: ${join(dir, 'history')} }\nchecks:\n${checks.join('\n')}\n`);
    const watch = await startCli(['watch', '--config', join(dir, 'checks.yaml')], 'watching');
    const cpu0 = cpuOf(watch.pid!);
    const rss: number[] = [];
    // Two rounds: every check's first slot falls within jitter (10 %) of 60 s, its second 60 s later.
    for (let t = 0; t < 75; t++) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(memoryOf(watch.pid!).rss);
    }
    const cpu = cpuOf(watch.pid!) - cpu0;
    const peak = memoryOf(watch.pid!).peak;
    watch.kill('SIGTERM');
    await new Promise((r) => watch.on('exit', r));
    const byCheck = new Map<string, number[]>();
    for (const file of readdirSync(join(dir, 'history'))) {
      for (const line of readFileSync(join(dir, 'history', file), 'utf8').split('\n')) {
        if (!line) continue;
        const r = JSON.parse(line) as { check: string; at: number };
        byCheck.set(r.check, [...(byCheck.get(r.check) ?? []), r.at]);
      }
    }
    const drifts = [...byCheck.values()].filter((ats) => ats.length >= 2).map((ats) => Math.abs(ats[1]! - ats[0]! - 60_000));
    const runs = [...byCheck.values()].reduce((n, ats) => n + ats.length, 0);
    const rounds = runs / 1000;
    return [
      '### Exporter and watch (loopback)',
      '',
      '| measure | figure | goal |',
      '|---|---:|---|',
      `| \`/probe\` alone: the probe's own RTT (median of 50) | ${rtt.toFixed(1)} ms | |`,
      `| \`/probe\` under 200 concurrent requests (1,000 requests): p50 / p99 | ${p(0.5).toFixed(1)} ms / ${p(0.99).toFixed(1)} ms (${failed} not successful) | p99 ≤ RTT + 20 ms |`,
      `| the exporter's CPU per \`/probe\` request under that load | ${cpuPerProbe.toFixed(2)} ms | |`,
      `| the same load on the static page \`/\` (HTTP and the load generator alone): p50 / p99 | ${at(floor, 0.5).toFixed(1)} ms / ${at(floor, 0.99).toFixed(1)} ms | |`,
      `| exporter RSS after them (peak) | ${(exporterMemory.rss / 2 ** 20).toFixed(0)} MB (${(exporterMemory.peak / 2 ** 20).toFixed(0)} MB) | ≤ 80 MB |`,
      `| watch of 1,000 checks at 60 s: runs in 75 s | ${runs} (${rounds.toFixed(2)} rounds) | |`,
      `| CPU per round of 1,000 checks | ${(cpu / rounds).toFixed(2)} s | |`,
      `| watch RSS (min / max over 75 s; peak) | ${(Math.min(...rss) / 2 ** 20).toFixed(0)} / ${(Math.max(...rss) / 2 ** 20).toFixed(0)} MB (${(peak / 2 ** 20).toFixed(0)} MB) | |`,
      `| schedule drift of the second run from its slot: median / max (${drifts.length} checks) | ${median(drifts).toFixed(0)} ms / ${Math.max(...drifts).toFixed(0)} ms | ≤ 1 s |`,
    ];
  } finally {
    exporter.kill('SIGTERM');
    responder.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
const watchRows = await watchBench();

/**
 * diagnose (issue 14), as a user runs it: reading a capture of 1,000,000 RTP packets (230 MB),
 * and the firewall replay of FlyNumber + VAPI against sipwall's own nftables output (root).
 */
async function diagnoseBench(): Promise<string[]> {
  const { pcap, rtp, sip, sdpOf } = await import('../test/diagnose/capture-writer.js');
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-bench-diagnose-'));
  try {
    const [pbx, far] = ['192.0.2.10', '198.51.100.10'];
    const h = (c: string) => ({ Via: `SIP/2.0/UDP ${far}:5060;branch=z9hG4bK1`, From: '<sip:a@x>;tag=1', To: '<sip:b@y>', 'Call-ID': 'c1@x', CSeq: c });
    const specs: import('../test/diagnose/capture-writer.js').Spec[] = [
      { time: 1, source: far, destination: pbx, sourcePort: 5060, destinationPort: 5060, payload: sip(`INVITE sip:b@${pbx} SIP/2.0`, h('1 INVITE'), sdpOf(far, 30000)) },
      { time: 1.1, source: pbx, destination: far, sourcePort: 5060, destinationPort: 5060, payload: sip('SIP/2.0 200 OK', h('1 INVITE'), sdpOf(pbx, 12000)) },
    ];
    for (let i = 0; i < 500_000; i++) {
      specs.push({ time: 2 + i * 0.02, source: far, destination: pbx, sourcePort: 30000, destinationPort: 12000, payload: rtp(i) });
      specs.push({ time: 2 + i * 0.02, source: pbx, destination: far, sourcePort: 12000, destinationPort: 30000, payload: rtp(i, 7) });
    }
    const capture = join(dir, 'call.pcap');
    writeFileSync(capture, pcap(specs));
    const cli = join(root, 'bin', 'sipwall.cjs');
    const timed = (args: string[]) => {
      const t = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      return { ms: performance.now() - t, kb: Number(r.stderr.trim().split('\n').at(-1)), code: r.status };
    };
    const reads = [0, 1, 2].map(() => timed(['diagnose', 'call', capture, '--max-capture-mib', '512']));
    const rows = [
      '### diagnose (as a user runs it; median of 3)',
      '',
      '| measure | wall | peak RSS |',
      '|---|---:|---:|',
      `| \`diagnose call\` of a 1,000,000-packet capture (230 MB pcap, one call) | ${median(reads.map((r) => r.ms)).toFixed(0)} ms | ${(Math.max(...reads.map((r) => r.kb)) / 1024).toFixed(0)} MB |`,
    ];
    if (process.getuid?.() === 0) {
      const nft = spawnSync(process.execPath, [cli, 'render', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--target', 'nftables'], { encoding: 'utf8' }).stdout;
      writeFileSync(join(dir, 'own.nft'), nft);
      const replays = [0, 1, 2].map(() => timed(['diagnose', 'firewall', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--ruleset', join(dir, 'own.nft')]));
      rows.push(`| \`diagnose firewall -p flynumber -p vapi --pbx asterisk\` (36 flows replayed in namespaces, sipwall's own rules) | ${median(replays.map((r) => r.ms)).toFixed(0)} ms | ${(Math.max(...replays.map((r) => r.kb)) / 1024).toFixed(0)} MB |`);
    } else rows.push('| `diagnose firewall` | not run: needs root | |');
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const diagnoseRows = await diagnoseBench();

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const report = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  '',
  '### Render time (median; one provider whose SIP and media lists hold N prefixes, 70 % IPv4)',
  '',
  ...rows,
  '',
  'Target: 100,000 prefixes to nftables + iptables in under 1 s.',
  '',
  '### Every target, 100,000 prefixes (median of 5; the policy is built once, as `--target all` does)',
  '',
  ...everyRows,
  `| **all targets** | **${everyTotal.toFixed(1)} ms** | target: under 1 s |`,
  '',
  '### CLI cold start (median of 20 runs, alternating with `node -e 0`)',
  '',
  '| command | time | ratio to `node -e 0` |',
  '|---|---:|---:|',
  `| \`node -e 0\` | ${cold.bare.toFixed(1)} ms | 1.00× |`,
  ...coldRows,
  '',
  'Target: every command path at most 1.5× bare node start-up (issue 15).',
  '',
  '### `--profile` as users run it (wall / peak RSS)',
  '',
  ...profileRows,
  '',
  'Target: 100,000 prefixes to each target in at most 1.0 s and 300 MB, for every format.',
  '',
  ...probeRows,
  '',
  ...watchRows,
  '',
  ...diagnoseRows,
  '',
  '### CIDR parsing, 100,000 mixed prefixes',
  '',
  '| parser | time |',
  '|---|---:|',
  `| src/net (ours) | ${ours.toFixed(1)} ms |`,
  `| ip-cidr 4 (\`new IPCIDR(p).start()\`) | ${theirs.toFixed(1)} ms |`,
].join('\n');

console.log(report);
const file = join(root, 'BENCHMARKS.md');
const text = readFileSync(file, 'utf8');
const begin = '<!-- bench:begin -->';
const end = '<!-- bench:end -->';
writeFileSync(file, `${text.slice(0, text.indexOf(begin) + begin.length)}\n${report}\n${text.slice(text.indexOf(end))}`);
