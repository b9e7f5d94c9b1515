/**
 * `sipwall responder`: answers OPTIONS (udp, tcp, tls) with 200 OK, echoes RTP on a port range
 * and counts what arrived per SSRC, so a prober can tell "never arrived" from "reply lost".
 *
 * It must not be a weapon: over UDP no reply is larger than the request that caused it; each
 * source has a token bucket per second for SIP and for RTP; an optional allow-list drops
 * everyone else; every table is bounded (sources, SSRCs, stream buffers, connections).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { unmapIPv4 } from '../net/address.js';
import { prefixesContain, type Prefix } from '../net/cidr.js';
import type { PortRange } from '../net/ports.js';
import { VERSION } from '../version.js';
import { decodeRtp } from './rtp-packet.js';
import { formatSipMessage, frameLength, header, parseSipMessage, parseVia, printable, SipParseError, type SipHeader, type SipMessage } from './sip-message.js';
import { ECHO, hostPort, RTP_QUERY, sha256 } from './sip-options.js';
import type { Transport } from './target.js';

export interface ResponderOptions {
  readonly sip: ReadonlyArray<{ transport: Transport; port: number }>;
  readonly rtp: PortRange | undefined;
  /** Only these sources get answers; everyone when undefined. */
  readonly allow: readonly Prefix[] | undefined;
  /** Address to bind; `::` takes IPv4 and IPv6. */
  readonly host: string;
  readonly tls?: { cert: string; key: string };
  /** SIP messages and RTP packets per second per source (bursts up to twice that). */
  readonly sipRate: number;
  readonly rtpRate: number;
  readonly log: (line: string) => void;
}

/** Bounds of every table the responder keeps. */
export const RESPONDER_LIMITS = { sources: 10_000, ssrcs: 262_144, connections: 256, streamBytes: 65_536, idleMs: 30_000 } as const;

/** A token bucket per source: `rate` per second, bursts to 2 × rate. */
class RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly rate: number) {}

  take(source: string, now: number): boolean {
    let b = this.buckets.get(source);
    if (!b) {
      if (this.buckets.size >= RESPONDER_LIMITS.sources) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: 2 * this.rate, at: now };
      this.buckets.set(source, b);
    }
    b.tokens = Math.min(2 * this.rate, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/** What arrived per SSRC (bounded: the oldest SSRCs go first). */
export class SsrcCounts {
  private readonly counts = new Map<number, number>();

  add(ssrc: number): void {
    const n = this.counts.get(ssrc);
    if (n !== undefined) {
      this.counts.set(ssrc, n + 1);
      return;
    }
    if (this.counts.size >= RESPONDER_LIMITS.ssrcs) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(ssrc, 1);
  }

  get(ssrc: number): number {
    return this.counts.get(ssrc) ?? 0;
  }

  /**
   * How many packets each SSRC of [first, last] brought, as runs of equal counts: `5-7:1,9:3`
   * (SSRCs that brought none are left out).
   */
  ranges(first: number, last: number): string {
    const out: string[] = [];
    let start = first;
    let count = 0;
    for (let s = first; s <= last + 1; s++) {
      const here = s <= last ? (this.counts.get(s) ?? 0) : -1;
      if (here === count) continue;
      if (count > 0) out.push(`${start === s - 1 ? start : `${start}-${s - 1}`}:${count}`);
      start = s;
      count = here;
    }
    return out.join(',');
  }
}

/** Largest SSRC span one query may ask about. */
const RTP_QUERY_MAX = 65_536;

/** The 200 OK (or 405) for a request, or undefined for ACK and responses. */
export function answer(request: SipMessage, raw: Buffer, source: { address: string; port: number }, counts: SsrcCounts, minimal: boolean): SipMessage | undefined {
  if (request.kind !== 'request' || request.method === 'ACK') return undefined;
  const vias = request.headers.filter((h) => h.name === 'via');
  const [top, ...rest] = vias;
  // RFC 3581: the source address and port go into the top Via as received/rport.
  const parsedTop = top ? parseVia(top.value) : undefined;
  const topValue = top
    ? `${top.value.replace(/;rport(?==|;|$)(=\d*)?/i, '').replace(/;received=[^;]*/i, '')};received=${source.address};rport=${source.port}`
    : undefined;
  const copy = (name: string) => request.headers.filter((h) => h.name === name);
  const to = header(request, 'to') ?? '';
  const headers: SipHeader[] = [
    // An unreadable top Via goes back as it came (RFC 3261 §8.2.6.2: copy the Vias).
    ...(top ? [{ name: 'via', value: parsedTop && topValue !== undefined ? topValue : top.value }] : []),
    ...rest,
    ...copy('from'),
    { name: 'to', value: /;tag=/i.test(to) ? to : `${to};tag=${sha256(header(request, 'call-id') ?? '').slice(0, 10)}` },
    ...copy('call-id'),
    ...copy('cseq'),
  ];
  if (!minimal) {
    headers.push({ name: 'allow', value: 'OPTIONS' }, { name: 'accept', value: 'application/sdp' }, { name: 'server', value: `sipwall-responder/${VERSION}` });
    if (header(request, ECHO.request) !== undefined) {
      headers.push(
        { name: ECHO.digest, value: `sha256=${sha256(raw.toString('latin1'))}` },
        { name: ECHO.via, value: top?.value ?? '' },
        { name: ECHO.contact, value: header(request, 'contact') ?? '' },
      );
    }
    const query = /^(\d{1,10})-(\d{1,10})$/.exec(header(request, RTP_QUERY) ?? '');
    if (query && Number(query[2]) >= Number(query[1]) && Number(query[2]) - Number(query[1]) < RTP_QUERY_MAX) {
      headers.push({ name: `${RTP_QUERY}-received`, value: counts.ranges(Number(query[1]), Number(query[2])) || 'none' });
    }
  }
  const ok = request.method === 'OPTIONS';
  return { kind: 'response', status: ok ? 200 : 405, reason: ok ? 'OK' : 'Method Not Allowed', headers, body: '' };
}

export class Responder {
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly sipLimit: RateLimit;
  private readonly rtpLimit: RateLimit;
  readonly counts = new SsrcCounts();
  /** RTP packets per source since the last log line. */
  private readonly rtpSeen = new Map<string, { packets: number; ports: Set<number> }>();
  private connections = 0;

  constructor(private options: ResponderOptions) {
    this.sipLimit = new RateLimit(options.sipRate);
    this.rtpLimit = new RateLimit(options.rtpRate);
  }

  private allowed(address: string): boolean {
    return this.options.allow === undefined || prefixesContain(this.options.allow, address);
  }

  private handleSip(raw: Buffer, source: { address: string; port: number }, transport: Transport, send: (bytes: Buffer) => void): void {
    const from = unmapIPv4(source.address);
    const who = `${transport} ${hostPort({ address: from, port: source.port })}`;
    // The rate first: a flood, allowed or not, is dropped silently and cannot flood the log.
    if (!this.sipLimit.take(from, performance.now())) return;
    if (!this.allowed(from)) return this.options.log(`sip ${who}: dropped (not in --allow)`);
    let request: SipMessage;
    try {
      request = parseSipMessage(raw, transport === 'udp');
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      return this.options.log(`sip ${who}: unreadable (${printable(error.message)})`);
    }
    let reply = answer(request, raw, { address: from, port: source.port }, this.counts, false);
    if (!reply) return;
    let bytes = Buffer.from(formatSipMessage(reply), 'latin1');
    if (transport === 'udp' && bytes.length > raw.length) {
      // Never larger than the request over UDP: the minimal answer, or none.
      reply = answer(request, raw, { address: from, port: source.port }, this.counts, true)!;
      bytes = Buffer.from(formatSipMessage(reply), 'latin1');
      if (bytes.length > raw.length) return this.options.log(`sip ${who}: ${request.method} not answered (the answer would be larger than the request)`);
    }
    send(bytes);
    this.options.log(`sip ${who}: ${request.method} ${printable(request.uri ?? '', 60)} → ${reply.status}`);
  }

  private handleRtp(bytes: Buffer, source: dgram.RemoteInfo, port: number, socket: dgram.Socket): void {
    const from = unmapIPv4(source.address);
    if (!this.allowed(from) || !this.rtpLimit.take(from, performance.now())) return;
    const packet = decodeRtp(bytes);
    if (!packet) return;
    this.counts.add(packet.ssrc);
    let seen = this.rtpSeen.get(from);
    if (!seen) {
      if (this.rtpSeen.size >= RESPONDER_LIMITS.sources) return;
      seen = { packets: 0, ports: new Set() };
      this.rtpSeen.set(from, seen);
    }
    seen.packets++;
    seen.ports.add(port);
    // The echo is the packet itself: never larger than what came in.
    socket.send(bytes, source.port, source.address);
  }

  /** One line per RTP source and interval, not one per packet. */
  private flushRtpLog(): void {
    for (const [from, seen] of this.rtpSeen) this.options.log(`rtp ${from}: echoed ${seen.packets} packets on ${seen.ports.size} ports`);
    this.rtpSeen.clear();
  }

  async start(): Promise<void> {
    // `::` on a host without IPv6: listen on IPv4 instead of failing.
    if (this.options.host === '::' && !(await ipv6Available())) this.options = { ...this.options, host: '0.0.0.0' };
    const family = this.options.host.includes(':') ? 'udp6' : 'udp4';
    for (const { transport, port } of this.options.sip) {
      if (transport === 'udp') {
        const socket = dgram.createSocket({ type: family, reuseAddr: false });
        socket.on('message', (raw, rinfo) => this.handleSip(raw, rinfo, 'udp', (b) => socket.send(b, rinfo.port, rinfo.address)));
        await bindUdp(socket, port, this.options.host);
        this.closers.push(() => new Promise((r) => socket.close(() => r())));
      } else {
        const server = transport === 'tls' ? tls.createServer({ cert: this.options.tls!.cert, key: this.options.tls!.key }) : net.createServer();
        server.on(transport === 'tls' ? 'secureConnection' : 'connection', (socket: net.Socket) => this.stream(socket, transport));
        server.on('tlsClientError', () => undefined);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, this.options.host, () => resolve());
        });
        this.closers.push(() => new Promise((r) => server.close(() => r())));
      }
    }
    if (this.options.rtp) {
      for (let port = this.options.rtp.from; port <= this.options.rtp.to; port++) {
        const socket = dgram.createSocket(family);
        socket.on('message', (bytes, rinfo) => this.handleRtp(bytes, rinfo, port, socket));
        await bindUdp(socket, port, this.options.host);
        this.closers.push(() => new Promise((r) => socket.close(() => r())));
      }
      const timer = setInterval(() => this.flushRtpLog(), 5000);
      timer.unref();
      this.closers.push(async () => {
        clearInterval(timer);
        this.flushRtpLog();
      });
    }
  }

  private stream(socket: net.Socket, transport: Transport): void {
    if (this.connections >= RESPONDER_LIMITS.connections) {
      socket.destroy();
      return;
    }
    this.connections++;
    socket.setTimeout(RESPONDER_LIMITS.idleMs, () => socket.destroy());
    socket.on('close', () => this.connections--);
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        for (let n = frameLength(buffer), frames = 0; n !== undefined && frames < 64; n = frameLength(buffer), frames++) {
          const raw = buffer.subarray(0, n);
          buffer = buffer.subarray(n);
          this.handleSip(raw, { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }, transport, (b) => socket.write(b));
        }
      } catch {
        socket.destroy();
        return;
      }
      if (buffer.length > RESPONDER_LIMITS.streamBytes) socket.destroy();
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}

async function ipv6Available(): Promise<boolean> {
  const socket = dgram.createSocket('udp6');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(0, '::', () => socket.close(() => resolve(true)));
  });
}

function bindUdp(socket: dgram.Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EMFILE') reject(new Error(`cannot open more sockets at port ${port}: raise the open-file limit (ulimit -n) above the number of RTP ports`));
      else reject(new Error(`cannot bind udp port ${port} on ${host}: ${error.code ?? error.message}`));
    });
    socket.bind(port, host, () => resolve());
  });
}
