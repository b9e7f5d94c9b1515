/**
 * `sipwall probe sip` and `sipwall probe rtp`: the thin layer between flags and src/probe —
 * parse and check every input first (exit 2, nothing sent), run, report (human or --json).
 */
import type { Argv } from 'yargs';
import { InputError } from '../net/errors.js';
import { parsePortRange } from '../net/ports.js';
import { DnsFailure, resolveTarget } from '../probe/resolve.js';
import { rtpReport, sipReport } from '../probe/report.js';
import { parseSsrcRanges, probeRtp, samplePorts, withDirection, type PortResult } from '../probe/rtp-probe.js';
import { RTP_QUERY } from '../probe/sip-options.js';
import { exitCodeOf, probeSip, withConcurrency, type SipProbeResult } from '../probe/sip-probe.js';
import { header } from '../probe/sip-message.js';
import { parseSipTarget, TRANSPORTS, type SipTarget, type Transport } from '../probe/target.js';
import type { Context } from './context.js';
import { describeRtp, describeSip, progress, type Progress } from './probe-report.js';

export interface ProbeSipArgs {
  target: string[] | undefined;
  transport: string | undefined;
  targets: string | undefined;
  concurrency: number;
  timeout: number;
  insecure: boolean;
  ca: string | undefined;
  'dns-server': string[] | undefined;
  json: boolean;
}

export interface ProbeRtpArgs {
  host: string;
  ports: string;
  all: boolean;
  sample: number | undefined;
  count: number | undefined;
  interval: string;
  rate: number;
  wait: number;
  sip: string;
  timeout: number;
  'dns-server': string[] | undefined;
  json: boolean;
}

const common = (y: Argv) =>
  y
    .option('timeout', { type: 'number', default: 5000, describe: 'Milliseconds to wait for an answer (UDP retransmits at 500 ms, doubling)' })
    .option('dns-server', { type: 'string', array: true, describe: 'DNS server(s) for NAPTR/SRV/A lookups, e.g. 127.0.0.1:5353 (default: the system resolver)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the versioned JSON result (docs/probe-result.schema.json)' });

export function probeOptions(y: Argv): Argv {
  return y
    .command('sip [target..]', 'Send SIP OPTIONS over udp, tcp and tls and report what answers', (s) =>
      common(s)
        .positional('target', { type: 'string', array: true, describe: 'host, host:port, IP, [IPv6]:port or SIP URI' })
        .option('transport', { type: 'string', choices: ['udp', 'tcp', 'tls'], describe: 'Only this transport (default: udp, tcp and tls in turn, or the URI\'s ;transport=)' })
        .option('targets', { type: 'string', describe: 'File with one target per line (# comments)' })
        .option('concurrency', { type: 'number', default: 100, describe: 'Probes in flight at once' })
        .option('insecure', { type: 'boolean', default: false, describe: 'TLS: probe even when the certificate does not verify (reported as such)' })
        .option('ca', { type: 'string', describe: 'TLS: PEM file of the CA(s) to trust instead of the system\'s (a private CA)' })
        .example('$0 probe sip pbx.example.com', 'OPTIONS over udp, tcp and tls in turn')
        .example('$0 probe sip sip:+13025551234@abc.sip.vapi.ai --transport tcp --json', 'one transport, JSON result')
        .example('$0 probe sip --targets hosts.txt --concurrency 200', 'many targets at once'),
    )
    .command('rtp <host>', 'Send RTP to a sipwall responder and report which ports echo', (s) =>
      common(s)
        .positional('host', { type: 'string', demandOption: true, describe: 'the responder host (IP or name)' })
        .option('ports', { type: 'string', default: '10000-20000', describe: 'RTP port range of the responder' })
        .option('all', { type: 'boolean', default: false, describe: 'Sweep every port of the range (one packet each, silent ports retried)' })
        .option('sample', { type: 'number', describe: 'Probe N ports spread evenly over the range (default 32 unless --all)' })
        .option('count', { type: 'number', describe: 'Packets per port (default 1 with --all, else 20)' })
        .option('interval', { type: 'string', default: '20ms', describe: 'Time between packets to one port (20ms = a call)' })
        .option('rate', { type: 'number', default: 8000, describe: 'Packets per second at most (the responder limits each source to its --rtp-rate)' })
        .option('wait', { type: 'number', default: 500, describe: 'Milliseconds to wait for echoes after the last packet' })
        .option('sip', { type: 'string', default: 'udp:5060', describe: 'Where the responder answers SIP (asks it which packets arrived)' })
        .example('$0 probe rtp pbx.example.com --ports 10000-20000 --all', 'every port, progress bar')
        .example('$0 probe rtp pbx.example.com --ports 10000-20000 --sample 64 --count 50 --interval 20ms', 'loss, jitter and RTT on 64 ports'),
    )
    .demandCommand(1, 'name what to probe: sip or rtp');
}

function positive(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new InputError(name, `${value} is not a whole number from 1 to ${max}`, `use e.g. ${name} ${Math.min(max, 100)}`);
  return value;
}

function parseDuration(text: string, name: string): number {
  const m = /^(\d{1,6})(ms|s)?$/.exec(text.trim());
  if (!m) throw new InputError(name, `"${text.slice(0, 20)}" is not a duration`, 'write e.g. 20ms or 1s');
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

function dnsServers(list: string[] | undefined): string[] | undefined {
  for (const s of list ?? []) {
    if (!/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(:\d{1,5})?$|^[0-9a-fA-F:]+$/.test(s)) throw new InputError('--dns-server', `"${s.slice(0, 40)}" is not an IP address (with an optional :port)`, 'write e.g. 127.0.0.1:5353 or [2001:db8::53]:53');
  }
  return list;
}

function readCa(path: string, ctx: Context): string {
  let text: string;
  try {
    text = ctx.io.readFile(path);
  } catch (error) {
    throw new InputError('--ca', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'name a PEM file with the CA certificate');
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new InputError('--ca', `${path} holds no PEM certificate`, 'name a PEM file with the CA certificate');
  return text;
}

/** Every (target, transport) pair to probe, all checked before anything is sent. */
function plan(args: ProbeSipArgs, ctx: Context): Array<{ target: SipTarget; transport: Transport }> {
  const inputs = (args.target ?? []).map((t, i) => ({ text: t, name: `target ${i + 1}` }));
  const file = args.targets;
  if (file !== undefined) {
    let text: string;
    try {
      text = ctx.io.readFile(file);
    } catch (error) {
      throw new InputError('--targets', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'name a file with one target per line');
    }
    text.split('\n').forEach((line, i) => {
      const t = line.replace(/#.*/, '').trim();
      if (t !== '') inputs.push({ text: t, name: `${file} line ${i + 1}` });
    });
  }
  if (inputs.length === 0) throw new InputError('target', 'none given', 'name a host or SIP URI, e.g. sipwall probe sip pbx.example.com, or --targets FILE');
  return inputs.flatMap(({ text, name }) => {
    const target = parseSipTarget(text, name);
    const wanted = args.transport as Transport | undefined;
    if (wanted && target.transport && wanted !== target.transport) {
      throw new InputError(name, `"${text}" says transport ${target.transport} but --transport is ${wanted}`, 'drop one of them');
    }
    const transports = wanted ? [wanted] : target.transport ? [target.transport] : TRANSPORTS;
    return transports.map((transport) => ({ target, transport }));
  });
}

export async function runProbeSip(args: ProbeSipArgs, ctx: Context): Promise<number> {
  const probes = plan(args, ctx);
  const concurrency = positive(args.concurrency, '--concurrency', 10_000);
  const timeoutMs = positive(args.timeout, '--timeout', 600_000);
  const servers = dnsServers(args['dns-server']);
  const ca = args.ca === undefined ? undefined : [readCa(args.ca, ctx)];
  const bar: Progress = await progress(ctx, args.json, `probing ${probes.length} ${probes.length === 1 ? 'target' : 'targets'}`);
  let results: SipProbeResult[];
  try {
    results = await withConcurrency(
      probes,
      concurrency,
      (p) => probeSip(p.target, p.transport, { timeoutMs, insecure: args.insecure, ...(ca ? { ca } : {}), ...(servers ? { dnsServers: servers } : {}) }),
      (done) => bar.update(done, probes.length),
    );
  } finally {
    bar.stop();
  }
  const code = exitCodeOf(results.map((r) => r.outcome));
  const report = sipReport(results, code);
  ctx.io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : describeSip(report));
  return code;
}

export async function runProbeRtp(args: ProbeRtpArgs, ctx: Context): Promise<number> {
  const range = parsePortRange(args.ports, '--ports');
  const target = parseSipTarget(args.host, 'host');
  if (target.scheme !== 'sip' || target.user !== undefined || target.port !== undefined) throw new InputError('host', `"${args.host}" is not a bare host`, 'name the responder host alone, e.g. pbx.example.com or 203.0.113.5; ports go in --ports and --sip');
  const sip = /^(udp|tcp|tls):(\d{1,5})$/.exec(args.sip);
  if (!sip) throw new InputError('--sip', `"${args.sip.slice(0, 30)}" is not transport:port`, 'write e.g. udp:5060 or tcp:5060');
  const sipPort = parsePortRange(sip[2]!, '--sip').from;
  if (args.all && args.sample !== undefined) throw new InputError('--sample', 'cannot go with --all', 'use --all (every port) or --sample N');
  const span = range.to - range.from + 1;
  const ports = args.all ? samplePorts(range.from, range.to, span) : samplePorts(range.from, range.to, positive(args.sample ?? 32, '--sample', 65_535));
  const count = positive(args.count ?? (args.all ? 1 : 20), '--count', 10_000);
  const intervalMs = parseDuration(args.interval, '--interval');
  const rate = positive(args.rate, '--rate', 1_000_000);
  const waitMs = positive(args.wait, '--wait', 60_000);
  const timeoutMs = positive(args.timeout, '--timeout', 600_000);
  const servers = dnsServers(args['dns-server']);
  let address: { address: string; family: 4 | 6 };
  try {
    address = await resolveTarget(target, 'udp', { timeoutMs, ...(servers ? { servers } : {}) });
  } catch (error) {
    if (!(error instanceof DnsFailure)) throw error;
    ctx.io.stderr(`sipwall: ${error.message}\n`);
    return 6;
  }
  const started = performance.now();
  const bar = await progress(ctx, args.json, `RTP to ${ports.length} ports`);
  let results: PortResult[];
  try {
    results = await probeRtp({ address: address.address, family: address.family, ports, count, intervalMs, waitMs, retries: args.all ? 2 : 0, ratePerSecond: rate, onProgress: (sent, total) => bar.update(sent, total) });
  } finally {
    bar.stop();
  }
  // Ask the responder which of the silent ports' packets arrived.
  const silent = results.filter((r) => r.verdict === 'no echo');
  let arrived: Set<number> | undefined;
  if (silent.length > 0) {
    arrived = new Set();
    const ssrcs = silent.map((r) => r.ssrc).sort((a, b) => a - b);
    for (let i = 0; i < ssrcs.length && arrived; ) {
      const first = ssrcs[i]!;
      let j = i;
      while (j + 1 < ssrcs.length && ssrcs[j + 1]! - first < 65_536) j++;
      const answer = await probeSip({ ...target, transport: sip[1] as Transport, port: sipPort }, sip[1] as Transport, {
        timeoutMs: Math.min(timeoutMs, 3000),
        insecure: true,
        extraHeaders: [{ name: RTP_QUERY, value: `${first}-${ssrcs[j]!}` }],
        ...(servers ? { dnsServers: servers } : {}),
      });
      const said = answer.response ? header(answer.response, `${RTP_QUERY}-received`) : undefined;
      if (said === undefined) arrived = undefined;
      else for (const s of parseSsrcRanges(said)) arrived.add(s);
      i = j + 1;
    }
  }
  const final = withDirection(results, arrived);
  const code = final.every((r) => r.verdict === 'open') ? 0 : 3;
  const report = rtpReport({ target: args.host, address: address.address, mode: args.all ? 'sweep' : 'sample', directionKnown: arrived !== undefined || silent.length === 0, ports: final }, performance.now() - started, code);
  ctx.io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : describeRtp(report));
  return code;
}
