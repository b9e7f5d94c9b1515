/** One check run: the prober's result held to the check's expectations. */
import { probeSip, type SipProbeResult } from '../probe/sip-probe.js';
import type { ProbeSpec } from './config.js';

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

export function resultOf(name: string, at: number, durationMs: number, probe: SipProbeResult, spec: Pick<ProbeSpec, 'expect'>): CheckResult {
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
  const probe = await probeSip(spec.target, spec.transport, { timeoutMs: spec.timeoutMs, insecure: spec.insecure });
  return resultOf(name, at, performance.now() - started, probe, spec);
}
