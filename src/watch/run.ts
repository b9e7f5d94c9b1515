/** One check run: the prober's result held to the check's expectations. */
import { probeSip, type SipProbeResult } from '../probe/sip-probe.js';
import { DnsFailure } from '../probe/resolve.js';
import { samplePorts } from '../probe/rtp-probe.js';
import { lossOf, runRtp } from '../probe/rtp-run.js';
import type { ProbeSpec, RtpSpec } from './config.js';

/** One line of the history: what a check saw at one time. */
export interface CheckResult {
  readonly check: string;
  /** Epoch milliseconds when the run started. */
  readonly at: number;
  readonly ok: boolean;
  /** How long the probe took, name resolution and handshakes included. */
  readonly durationMs: number;
  /** The prober's outcome: answered, timeout, refused, tls-failure, dns-failure, error. */
  readonly outcome: string;
  readonly status?: number;
  readonly rttMs?: number;
  readonly retransmissions?: number;
  readonly tlsDaysLeft?: number;
  /** The certificate's expiry, epoch milliseconds. */
  readonly tlsNotAfter?: number;
  readonly nat?: boolean;
  readonly alg?: boolean;
  /** rtp checks: ports that echoed, of those sampled. */
  readonly rtpOpen?: number;
  readonly rtpPorts?: number;
  /** rtp checks: the fraction lost on the way in and on the way back (when the responder said). */
  readonly rtpLoss?: { readonly inbound: number; readonly return: number };
  /** Why it is not ok: the outcome's error, or the expectations it missed. */
  readonly why?: string;
}

/** Which expectations a probe result misses; empty when it meets them all. */
export function missed(result: SipProbeResult, spec: Pick<ProbeSpec, 'expect'>): string[] {
  if (result.outcome !== 'answered') return [result.error ?? result.outcome];
  const out: string[] = [];
  const e = spec.expect;
  if (e.status !== 'any' && result.status !== e.status) out.push(`status ${result.status}, expected ${e.status}`);
  if (e.maxRttMs !== undefined && (result.rttMs ?? Infinity) > e.maxRttMs) out.push(`RTT ${result.rttMs} ms over ${e.maxRttMs} ms`);
  if (e.certDays !== undefined && result.tls && !(result.tls.daysToExpiry >= e.certDays)) out.push(`TLS certificate expires in ${result.tls.daysToExpiry} days, under ${e.certDays}`);
  return out;
}

function resultOf(name: string, at: number, durationMs: number, probe: SipProbeResult, spec: Pick<ProbeSpec, 'expect'>): CheckResult {
  const why = missed(probe, spec);
  const days = probe.tls?.daysToExpiry;
  return {
    check: name,
    at,
    ok: why.length === 0,
    durationMs: Math.round(durationMs * 10) / 10,
    outcome: probe.outcome,
    ...(probe.status === undefined ? {} : { status: probe.status }),
    ...(probe.rttMs === undefined ? {} : { rttMs: probe.rttMs }),
    ...(probe.retransmissions === undefined ? {} : { retransmissions: probe.retransmissions }),
    ...(days === undefined || !Number.isFinite(days) ? {} : { tlsDaysLeft: days }),
    ...(probe.tls?.notAfter === undefined ? {} : { tlsNotAfter: Date.parse(probe.tls.notAfter) }),
    ...(probe.nat ? { nat: probe.nat.behindNat } : {}),
    ...(probe.alg?.checked ? { alg: probe.alg.suspected } : {}),
    ...(why.length > 0 ? { why: why.join('; ') } : {}),
  };
}

/** Runs one probe as a check; never throws for network outcomes. */
export async function runProbe(name: string, spec: ProbeSpec, now: () => number = Date.now): Promise<CheckResult> {
  const at = now();
  const started = performance.now();
  if (spec.rtp) return rtpCheck(name, at, spec as ProbeSpec & { rtp: RtpSpec }, started);
  const probe = await probeSip(spec.target, spec.transport, { timeoutMs: spec.timeoutMs, insecure: spec.insecure });
  return resultOf(name, at, performance.now() - started, probe, spec);
}

/**
 * An rtp check: a sample of the responder's RTP ports, each a short call-like stream; ok when
 * every port echoes and the loss each way is within `expect.maxLoss`.
 */
async function rtpCheck(name: string, at: number, spec: ProbeSpec & { rtp: RtpSpec }, started: number): Promise<CheckResult> {
  const r = spec.rtp;
  const base = { check: name, at };
  let run;
  try {
    run = await runRtp({
      target: spec.target,
      sip: r.sip,
      ports: samplePorts(r.range.from, r.range.to, r.sample),
      count: r.count,
      intervalMs: r.intervalMs,
      waitMs: 500,
      retries: 0,
      ratePerSecond: 8000,
      sweep: false,
      timeoutMs: spec.timeoutMs,
    });
  } catch (error) {
    const outcome = error instanceof DnsFailure ? 'dns-failure' : 'error';
    return { ...base, ok: false, durationMs: round(performance.now() - started), outcome, why: (error as Error).message };
  }
  const open = run.ports.filter((p) => p.verdict === 'open').length;
  const loss = lossOf(run.ports);
  const why: string[] = [];
  const closed = run.ports.filter((p) => p.verdict !== 'open');
  if (closed.length > 0) {
    const kinds = new Map<string, number>();
    for (const p of closed) kinds.set(p.verdict, (kinds.get(p.verdict) ?? 0) + 1);
    why.push(`${closed.length} of ${run.ports.length} ports silent (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  }
  const max = spec.expect.maxLoss;
  if (max !== undefined && loss && (loss.inbound > max || loss.return > max)) why.push(`loss ${percent(loss.inbound)} in, ${percent(loss.return)} back, over ${percent(max)}`);
  if (max !== undefined && !loss) why.push(`loss unknown: ${run.directionUnknown ?? 'the responder did not say'}`);
  return {
    ...base,
    ok: why.length === 0,
    durationMs: round(performance.now() - started),
    outcome: open === run.ports.length ? 'open' : open === 0 ? 'closed' : 'partly open',
    rtpOpen: open,
    rtpPorts: run.ports.length,
    ...(loss ? { rtpLoss: { inbound: round(loss.inbound, 4), return: round(loss.return, 4) } } : {}),
    ...(why.length > 0 ? { why: why.join('; ') } : {}),
  };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const percent = (x: number) => `${round(x * 100)} %`;
