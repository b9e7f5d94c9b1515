/**
 * One RTP probe against a sipwall responder, from the host's name to each port's verdict with
 * its direction: resolve the responder's own address, send, then ask the responder over SIP how
 * many packets of each SSRC reached it (inbound and return loss apart). Shared by `probe rtp`
 * and the watch's rtp checks. Throws DnsFailure when the host has no address.
 */
import { header } from './sip-message.js';
import { resolveTarget } from './resolve.js';
import { parseReceived, probeRtp, withDirection, type PortResult, type RtpProbeOptions } from './rtp-probe.js';
import { RTP_QUERY } from './sip-options.js';
import { probeSip } from './sip-probe.js';
import type { SipTarget, Transport } from './target.js';

export interface RtpRunOptions extends Omit<RtpProbeOptions, 'address' | 'family'> {
  /** The responder host (no port, no user). */
  readonly target: SipTarget;
  /** Where the responder answers SIP (the direction query). */
  readonly sip: { readonly transport: Transport; readonly port: number };
  /** A sweep asks only about silent ports, in two bits per SSRC; a sample asks about every port. */
  readonly sweep: boolean;
  readonly timeoutMs: number;
  readonly servers?: readonly string[];
}

export interface RtpRun {
  readonly address: string;
  readonly ports: PortResult[];
  readonly directionKnown: boolean;
  readonly directionUnknown?: string;
  readonly wallMs: number;
}

export async function runRtp(o: RtpRunOptions): Promise<RtpRun> {
  // The responder's own address (A/AAAA), not a SIP SRV target elsewhere: a port skips SRV.
  const address = await resolveTarget({ ...o.target, port: o.sip.port }, 'udp', { timeoutMs: o.timeoutMs, ...(o.servers ? { servers: [...o.servers] } : {}) });
  const started = performance.now();
  const results = await probeRtp({ ...o, address: address.address, family: address.family });
  // Ask the responder how many packets reached it: for every sampled port (inbound and return
  // loss apart), and for the silent ports of a sweep (never arrived, or reply lost).
  const asked = (o.sweep ? results.filter((r) => r.verdict === 'no echo') : results).map((r) => r.ssrc).sort((a, b) => a - b);
  const direction = asked.length === 0 ? { received: new Map<number, number>() } : await askReceived(asked, { ...o.target, transport: o.sip.transport, port: o.sip.port }, Math.min(o.timeoutMs, 3000), o.servers, o.sweep);
  const received = 'received' in direction ? direction.received : undefined;
  return {
    address: address.address,
    ports: withDirection(results, received, new Set(asked)),
    directionKnown: received !== undefined,
    ...('why' in direction ? { directionUnknown: direction.why } : {}),
    wallMs: performance.now() - started,
  };
}

/** Loss on the way in (sent, not received by the responder) and on the way back (received, not echoed), over every port the responder was asked about. */
export function lossOf(ports: readonly PortResult[]): { inbound: number; return: number } | undefined {
  let sent = 0;
  let received = 0;
  let echoed = 0;
  for (const p of ports) {
    if (p.received === null) continue;
    sent += p.stats.sent;
    received += Math.min(p.received, p.stats.sent);
    echoed += Math.min(p.stats.echoed, p.received);
  }
  if (sent === 0) return undefined;
  return { inbound: (sent - received) / sent, return: received === 0 ? 0 : (received - echoed) / received };
}

/**
 * Pages of the direction query. Each answer fits the responder's UDP bound (3x the request) and
 * stays under 1,300 bytes, one unfragmented datagram (RFC 3261 §18.1.1): a sweep asks two bits
 * per SSRC over a span of 1,024 (344 bytes of base64url), a sample its exact counts as runs, 32
 * SSRCs a page. A 16,384-port sweep is then at most 16 queries: within the responder's SIP burst.
 */
const QUERY_PAGE = { counts: 1024, runs: 32 } as const;

/**
 * Packets per SSRC that reached the responder, asked over SIP page by page; `why` when it did
 * not say (SIP blocked, not a sipwall responder, an answer that did not come).
 */
async function askReceived(ssrcs: readonly number[], sip: SipTarget, timeoutMs: number, servers: readonly string[] | undefined, sweep: boolean): Promise<{ received: Map<number, number> } | { why: string }> {
  const received = new Map<number, number>();
  const where = `${sip.transport}:${sip.port}`;
  for (let i = 0; i < ssrcs.length; ) {
    const first = ssrcs[i]!;
    let j = i;
    if (sweep) while (j + 1 < ssrcs.length && ssrcs[j + 1]! - first < QUERY_PAGE.counts) j++;
    else while (j + 1 < ssrcs.length && j + 1 - i < QUERY_PAGE.runs && ssrcs[j + 1]! - first < 65_536) j++;
    const last = ssrcs[j]!;
    const answer = await probeSip(sip, sip.transport!, {
      timeoutMs,
      insecure: true,
      extraHeaders: [{ name: RTP_QUERY, value: `${first}-${last}${sweep ? ';counts' : ''}` }],
      ...(servers ? { dnsServers: [...servers] } : {}),
    });
    if (!answer.response) return { why: `the responder did not answer the direction query at ${where} (${answer.outcome}${answer.error ? `: ${answer.error}` : ''})` };
    const said = header(answer.response, `${RTP_QUERY}-received`);
    if (said === undefined) return { why: `the server at ${where} answered without saying which packets arrived: it is not sipwall responder, or an older one` };
    const counts = parseReceived(said, first, last);
    if (!counts) return { why: `the responder's answer at ${where} could not be read` };
    for (const [ssrc, n] of counts) received.set(ssrc, n);
    i = j + 1;
  }
  return { received };
}
