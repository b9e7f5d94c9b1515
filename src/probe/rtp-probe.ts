/**
 * RTP echo probes against a sipwall responder: a sweep of every port (one packet each, the
 * silent ones tried again), or a sample of ports with a stream of packets each for loss,
 * reordering, RTT and jitter. Each port gets its own SSRC (base + index), so the responder can
 * say afterwards which packets reached it: "no echo" splits into "never arrived" (inbound
 * blocked) and "arrived, reply lost" (return path blocked: one-way audio).
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { decodeRtp, encodeRtp, PAYLOAD_TYPE_PCMU, RtpStats } from './rtp-packet.js';

export type PortVerdict = 'open' | 'never arrived' | 'reply lost' | 'no echo';

export interface PortResult {
  readonly port: number;
  readonly ssrc: number;
  readonly verdict: PortVerdict;
  readonly stats: ReturnType<RtpStats['summary']>;
  /** Packets the responder says reached it (null: it was not asked, or did not say). */
  readonly received: number | null;
}

export interface RtpProbeOptions {
  readonly address: string;
  readonly family: 4 | 6;
  readonly ports: readonly number[];
  /** Packets per port (a sweep sends one, then retries the silent ports). */
  readonly count: number;
  readonly intervalMs: number;
  /** How long to wait for echoes after the last packet. */
  readonly waitMs: number;
  /** Extra rounds for ports that gave no echo (sweeps). */
  readonly retries: number;
  /** Packets per second across all ports, so neither side's buffers overflow. */
  readonly ratePerSecond: number;
  readonly onProgress?: (sent: number, total: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits up to `waitMs` for echoes, and no longer than until every packet sent has come back. */
async function settle(entries: readonly Stream[], waitMs: number): Promise<void> {
  const until = performance.now() + waitMs;
  while (performance.now() < until && entries.some((e) => e.stats.echoed < e.stats.sent)) await sleep(Math.min(10, Math.max(1, until - performance.now())));
}

/** One port's stream: its SSRC, next sequence number and statistics. */
interface Stream {
  readonly port: number;
  readonly ssrc: number;
  readonly stats: RtpStats;
  sequence: number;
}

/** Spreads n ports evenly over [from, to], both ends included. */
export function samplePorts(from: number, to: number, n: number): number[] {
  const span = to - from + 1;
  if (n >= span) return Array.from({ length: span }, (_, i) => from + i);
  if (n <= 1) return [from];
  return [...new Set(Array.from({ length: n }, (_, i) => from + Math.round((i * (span - 1)) / (n - 1))))];
}

export async function probeRtp(options: RtpProbeOptions): Promise<PortResult[]> {
  const socket = dgram.createSocket(options.family === 6 ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => resolve());
  });
  try {
    socket.setRecvBufferSize(8 * 1024 * 1024);
    socket.setSendBufferSize(8 * 1024 * 1024);
  } catch {
    // The kernel caps the size (net.core.rmem_max); pacing keeps us within the default.
  }
  // SSRCs base…base+n-1 without wrapping past 2^32.
  const base = randomInt(0x1000, 0xffffffff - options.ports.length - 0x1000);
  const byPort = new Map(options.ports.map((port, i): [number, Stream] => [port, { port, ssrc: base + i, stats: new RtpStats(), sequence: 0 }]));
  socket.on('message', (bytes, rinfo) => {
    const entry = byPort.get(rinfo.port);
    const packet = decodeRtp(bytes);
    if (!entry || !packet || packet.ssrc !== entry.ssrc) return;
    entry.stats.onEcho(packet, performance.now());
  });
  socket.on('error', () => undefined); // ICMP errors on an unconnected socket: ports stay silent
  const send = (entry: Stream) => {
    const sequence = entry.sequence++;
    entry.stats.onSent();
    socket.send(encodeRtp({ payloadType: PAYLOAD_TYPE_PCMU, sequence, timestamp: sequence * 160, ssrc: entry.ssrc, sentAt: performance.now(), marker: sequence === 0 }), entry.port, options.address);
  };
  const total = options.ports.length * options.count;
  let sent = 0;
  const batch = Math.max(1, Math.round(options.ratePerSecond / 100)); // one batch per 10 ms
  const paced = async (entries: readonly Stream[]) => {
    for (let i = 0; i < entries.length; i += batch) {
      const started = performance.now();
      for (const e of entries.slice(i, i + batch)) send(e);
      sent += Math.min(batch, entries.length - i);
      options.onProgress?.(Math.min(sent, total), total);
      const spent = performance.now() - started;
      await sleep(Math.max(0, 10 - spent));
    }
  };
  const entries = [...byPort.values()];
  for (let round = 0; round < options.count; round++) {
    const started = performance.now();
    await paced(entries);
    if (round < options.count - 1) await sleep(Math.max(0, options.intervalMs - (performance.now() - started)));
  }
  await settle(entries, options.waitMs);
  for (let retry = 0; retry < options.retries; retry++) {
    const silent = entries.filter((e) => e.stats.echoed === 0);
    if (silent.length === 0) break;
    await paced(silent);
    await settle(silent, options.waitMs);
  }
  socket.close();
  return entries.map((e) => ({ port: e.port, ssrc: e.ssrc, verdict: e.stats.echoed > 0 ? 'open' : 'no echo', stats: e.stats.summary(), received: null }));
}

/** Parses the responder's `a-b:n,c:m` runs into packets per SSRC (SSRCs not named brought none). */
/**
 * The responder's answer to a direction query of [first, last]: `counts=` two bits per SSRC (a
 * count of at most 3, base64url), else runs (parseSsrcCounts). Undefined when a `counts=` answer
 * has the wrong length.
 */
export function parseReceived(text: string, first: number, last: number): Map<number, number> | undefined {
  if (!text.startsWith('counts=')) return parseSsrcCounts(text);
  const bytes = Buffer.from(text.slice('counts='.length), 'base64url');
  if (bytes.length !== Math.ceil((last - first + 1) / 4)) return undefined;
  const out = new Map<number, number>();
  for (let s = first; s <= last; s++) {
    const n = (bytes[(s - first) >> 2]! >> (6 - 2 * ((s - first) & 3))) & 3;
    if (n > 0) out.set(s, n);
  }
  return out;
}

export function parseSsrcCounts(text: string): Map<number, number> {
  const out = new Map<number, number>();
  if (text === 'none') return out;
  for (const part of text.split(',')) {
    const m = /^(\d{1,10})(?:-(\d{1,10}))?:(\d{1,9})$/.exec(part.trim());
    if (!m) continue;
    const [a, b, n] = [Number(m[1]), Number(m[2] ?? m[1]), Number(m[3])];
    for (let s = a; s <= b && s - a < 65_536; s++) out.set(s, n);
  }
  return out;
}

/**
 * Adds what the responder received to each port it was asked about, and splits "no echo" by
 * it: "reply lost" when packets arrived, "never arrived" when none did.
 */
export function withDirection(results: readonly PortResult[], received: ReadonlyMap<number, number> | undefined, asked: ReadonlySet<number>): PortResult[] {
  return results.map((r) => {
    if (!received || !asked.has(r.ssrc)) return r;
    const n = received.get(r.ssrc) ?? 0;
    const verdict = r.verdict !== 'no echo' ? r.verdict : n > 0 ? 'reply lost' : 'never arrived';
    return { ...r, verdict, received: n };
  });
}

export interface PortRangeVerdict {
  readonly from: number;
  readonly to: number;
  readonly verdict: PortVerdict;
  /** Ports probed inside the range (all of them in a sweep). */
  readonly probed: number;
}

/** Folds per-port results into runs of one verdict: "10000–14999 open, 15000–20000 no echo". */
export function foldRanges(results: readonly PortResult[]): PortRangeVerdict[] {
  const sorted = [...results].sort((a, b) => a.port - b.port);
  const out: Array<{ from: number; to: number; verdict: PortVerdict; probed: number }> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.verdict === r.verdict) {
      last.to = r.port;
      last.probed++;
    } else {
      out.push({ from: r.port, to: r.port, verdict: r.verdict, probed: 1 });
    }
  }
  return out;
}
