/**
 * The JSON results of `probe sip` and `probe rtp`: a versioned shape that monitoring systems
 * parse. Its JSON Schema is docs/probe-result.schema.json (generated from report-schema.ts and
 * kept equal by a test). Pure.
 */
import type { Finding } from '../lint/rules.js';
import { foldRanges, type PortRangeVerdict, type PortResult } from './rtp-probe.js';
import type { SipOutcome, SipProbeResult } from './sip-probe.js';

export const REPORT_SCHEMA = 'urn:sipwall:schema:probe-result:v1';

export interface SipReport {
  readonly $schema: typeof REPORT_SCHEMA;
  readonly kind: 'sip';
  readonly results: ReadonlyArray<Omit<SipProbeResult, 'response'>>;
  /** --as: the forwarding the targets stand for, linted, and each answer explained. */
  readonly forwarding?: { readonly as: string; readonly platform?: string; readonly findings: readonly Finding[]; readonly explanations: readonly string[] };
  readonly summary: { readonly probes: number; readonly outcomes: Partial<Record<SipOutcome, number>>; readonly exitCode: number };
}

export interface RtpReport {
  readonly $schema: typeof REPORT_SCHEMA;
  readonly kind: 'rtp';
  readonly target: string;
  readonly address: string;
  readonly mode: 'sweep' | 'sample';
  /** Whether the responder told which packets arrived (the direction of a loss). */
  readonly directionKnown: boolean;
  /** Why the direction is not known, when it is not. */
  readonly directionUnknown?: string;
  readonly ranges: readonly PortRangeVerdict[];
  readonly ports: readonly PortResult[];
  readonly summary: { readonly ports: number; readonly open: number; readonly neverArrived: number; readonly replyLost: number; readonly noEcho: number; readonly wallMs: number; readonly exitCode: number };
}

export function sipReport(results: readonly SipProbeResult[], exitCode: number): SipReport {
  const outcomes: Partial<Record<SipOutcome, number>> = {};
  for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  // The parsed answer is for callers inside sipwall; the report keeps what it said.
  const plain = results.map(({ response: _response, ...rest }) => rest);
  return { $schema: REPORT_SCHEMA, kind: 'sip', results: plain, summary: { probes: results.length, outcomes, exitCode } };
}

export function rtpReport(fields: Omit<RtpReport, '$schema' | 'kind' | 'summary' | 'ranges'>, wallMs: number, exitCode: number): RtpReport {
  const count = (verdict: PortResult['verdict']) => fields.ports.filter((p) => p.verdict === verdict).length;
  return {
    $schema: REPORT_SCHEMA,
    kind: 'rtp',
    ...fields,
    ranges: foldRanges(fields.ports),
    summary: { ports: fields.ports.length, open: count('open'), neverArrived: count('never arrived'), replyLost: count('reply lost'), noEcho: count('no echo'), wallMs: Math.round(wallMs), exitCode },
  };
}
