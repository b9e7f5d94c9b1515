/**
 * Runs `sipwall probe sip` and `sipwall probe rtp`: the thin layer between flags and src/probe —
 * parse and check every input first (exit 2, nothing sent), run, report (human or --json).
 */
import { commandError } from '../errors/commands.js';
import { parseDuration } from '../text/duration.js';
import { parsePortRange } from '../net/ports.js';
import { DnsFailure } from '../probe/resolve.js';
import { rtpReport, sipReport } from '../probe/report.js';
import { samplePorts } from '../probe/rtp-probe.js';
import { runRtp, type RtpRun } from '../probe/rtp-run.js';
import { exitCodeOf, probeSip, withConcurrency, type SipProbeResult } from '../probe/sip-probe.js';
import { defaultPort, parseSipTarget, TRANSPORTS, type SipTarget, type Transport } from '../probe/target.js';
import type { SipReport } from '../probe/report.js';
import { explainAnswer } from '../lint/explain.js';
import { lint, platformOf, type Platform } from '../lint/rules.js';
import { findBuiltinProvider } from '../providers/registry.js';
import { readInput, type Context } from './context.js';
import type { ProbeRtpArgs, ProbeSipArgs } from './probe.js';
import { describeRtp, describeSip, progress, type Progress } from './probe-report.js';
import { parseListeners } from './responder.js';
import { terminalLines } from '../text/escape.js';

function positive(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw commandError('E_PROBE_COUNT', { flag: name, value, max });
  return value;
}

function dnsServers(list: string[] | undefined): string[] | undefined {
  for (const s of list ?? []) {
    if (!/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(:\d{1,5})?$|^[0-9a-fA-F:]+$/.test(s)) throw commandError('E_DNS_SERVER', { value: s.slice(0, 40) });
  }
  return list;
}

function readCa(path: string, ctx: Context): string {
  const text = readInput(ctx, '--ca', path, 'name a PEM file with the CA certificate');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw commandError('E_CA_NOT_PEM', { path });
  return text;
}

/** Every (target, transport) pair to probe, all checked before anything is sent. */
function plan(args: ProbeSipArgs, ctx: Context): Array<{ target: SipTarget; transport: Transport }> {
  const inputs = (args.target ?? []).map((t, i) => ({ text: t, name: `target ${i + 1}` }));
  const file = args.targets;
  if (file !== undefined) {
    const text = readInput(ctx, '--targets', file, 'name a file with one target per line');
    text.split('\n').forEach((line, i) => {
      const t = line.replace(/#.*/, '').trim();
      if (t !== '') inputs.push({ text: t, name: `${file} line ${i + 1}` });
    });
  }
  if (inputs.length === 0) throw commandError('E_NO_TARGET', {});
  return inputs.flatMap(({ text, name }) => {
    const target = parseSipTarget(text, name);
    const wanted = args.transport as Transport | undefined;
    if (wanted && target.transport && wanted !== target.transport) {
      throw commandError('E_TRANSPORT_CONFLICT', { name, text, theirs: target.transport, wanted });
    }
    if (args.as !== undefined && target.user === undefined) throw commandError('E_AS_USER', { name, text });
    // A forwarding uses one transport: the provider's panel defaults to UDP.
    const transports = wanted ? [wanted] : target.transport ? [target.transport] : args.as !== undefined ? (['udp'] as const) : TRANSPORTS;
    return transports.map((transport) => ({ target, transport }));
  });
}

export async function runProbeSip(args: ProbeSipArgs, ctx: Context): Promise<number> {
  if (args.as !== undefined) findBuiltinProvider(args.as);
  const probes = plan(args, ctx);
  const concurrency = positive(args.concurrency, '--concurrency', 10_000);
  const timeoutMs = positive(args.timeout, '--timeout', 600_000);
  const servers = dnsServers(args['dns-server']);
  const ca = args.ca === undefined ? undefined : [readCa(args.ca, ctx)];
  const bar: Progress = progress(ctx, args.json, `probing ${probes.length} ${probes.length === 1 ? 'target' : 'targets'}`);
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
  const report = forwardingOf(args, probes, results, sipReport(results, code));
  ctx.io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : terminalLines(describeSip(report)));
  return code;
}

export async function runProbeRtp(args: ProbeRtpArgs, ctx: Context): Promise<number> {
  const range = parsePortRange(args.ports, '--ports');
  const target = parseSipTarget(args.host, 'host');
  if (target.scheme !== 'sip' || target.user !== undefined || target.port !== undefined) throw commandError('E_RTP_HOST', { host: args.host });
  const listeners = parseListeners(args.sip);
  if (listeners.length !== 1) throw commandError('E_RTP_LISTENERS', { value: args.sip.slice(0, 40), count: listeners.length });
  const sip = listeners[0]!;
  if (args.all && args.sample !== undefined) throw commandError('E_SAMPLE_WITH_ALL', {});
  const span = range.to - range.from + 1;
  const ports = args.all ? samplePorts(range.from, range.to, span) : samplePorts(range.from, range.to, positive(args.sample ?? 32, '--sample', 65_535));
  const count = positive(args.count ?? (args.all ? 1 : 20), '--count', 10_000);
  const intervalMs = parseDuration(args.interval, '--interval');
  const rate = positive(args.rate, '--rate', 1_000_000);
  const waitMs = positive(args.wait, '--wait', 60_000);
  const timeoutMs = positive(args.timeout, '--timeout', 600_000);
  const servers = dnsServers(args['dns-server']);
  const bar = progress(ctx, args.json, `RTP to ${ports.length} ports`);
  let run: RtpRun;
  try {
    run = await runRtp({ target, sip, ports, count, intervalMs, waitMs, retries: args.all ? 2 : 0, ratePerSecond: rate, sweep: args.all, timeoutMs, ...(servers ? { servers } : {}), onProgress: (sent, total) => bar.update(sent, total) });
  } catch (error) {
    if (!(error instanceof DnsFailure)) throw error;
    ctx.io.stderr(`sipwall: ${error.message}\n`);
    return 6;
  } finally {
    bar.stop();
  }
  const code = run.ports.every((r) => r.verdict === 'open') ? 0 : 3;
  const report = rtpReport({ target: args.host, address: run.address, mode: args.all ? 'sweep' : 'sample', directionKnown: run.directionKnown, ...(run.directionUnknown ? { directionUnknown: run.directionUnknown } : {}), ports: run.ports }, run.wallMs, code);
  ctx.io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : terminalLines(describeRtp(report)));
  return code;
}

/**
 * --as PROVIDER (issue 18.4): each target stands for a forwarding (its user the username, its host
 * the domain, its port and transport those chosen): the forwarding is linted, and each answer
 * explained in the destination's terms.
 */
function forwardingOf(args: ProbeSipArgs, probes: ReadonlyArray<{ target: SipTarget; transport: Transport }>, results: readonly SipProbeResult[], report: SipReport): SipReport {
  if (args.as === undefined) return report;
  const platform = (args.platform as Platform | undefined) ?? probes.map((p) => platformOf(p.target.host)).find((p) => p !== undefined);
  const findings = probes.flatMap(({ target, transport }) =>
    lint({ name: target.input, ...(platform ? { platform } : {}), ...(target.user !== undefined ? { username: target.user } : {}), domain: target.host, port: target.port ?? defaultPort(transport), transport, network: 'ipv4-only' }),
  );
  const explanations = results.map((r, i) => explainAnswer(platform, r, probes[i]!.target.user));
  return { ...report, forwarding: { as: args.as, ...(platform ? { platform } : {}), findings: [...new Map(findings.map((f) => [`${f.forwarding} ${f.code}`, f])).values()], explanations } };
}
