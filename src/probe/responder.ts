/**
 * `sipwall responder`: answers OPTIONS (udp, tcp, tls) with 200 OK, echoes RTP on a port range
 * and counts what arrived per SSRC, so a prober can tell "never arrived" from "reply lost".
 *
 * It must not be a weapon: over UDP no reply is larger than 3x the request that caused it; each
 * source has a token bucket per second for SIP and for RTP; an optional allow-list drops
 * everyone else; every table is bounded (sources, SSRCs, stream buffers, connections).
 *
 * Nothing from the network may stop it: every socket handler runs guarded (an exception is
 * counted and logged, never thrown); datagrams from port 0 (no answer can go there) and from the
 * responder's own addresses and listening ports (a spoofed source would make it answer itself,
 * or two ports answer each other, without end) are dropped and counted. Over TCP and TLS each
 * source holds at most `tcpPerSource` connections, a message must arrive whole within
 * `messageMs` of its first byte (trickled bytes do not extend it), and at the global cap the
 * connection idle the longest makes room for a new one.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import tls from 'node:tls';
import { unmapIPv4 } from '../net/address.js';
import { prefixesContain, type Prefix } from '../net/cidr.js';
import type { PortRange } from '../net/ports.js';
import { VERSION } from '../version.js';
import { decodeRtp } from './rtp-packet.js';
import { formatSipMessage, frameLength, header, parseSipMessage, printable, SipParseError, type SipHeader, type SipMessage } from './sip-message.js';
import { CALLBACK, ECHO, encodeSource, hostPort, RTP_QUERY, sha256 } from './sip-options.js';
import type { Transport } from './target.js';
import { ALLOWED_METHODS, copied, verdictOf } from './uas.js';

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
  /** Milliseconds of a monotonic clock (default performance.now; tests hold it still). */
  readonly clock?: () => number;
  /** TCP/TLS connections one source may hold (default RESPONDER_LIMITS.perSource). */
  readonly tcpPerSource?: number;
  /**
   * Answer `X-Sipwall-Callback: N` (UDP OPTIONS): send the same answer again N seconds later, for
   * `diagnose nat` to measure how long the client's NAT keeps its mapping. Off unless asked for:
   * it sends later, unasked, to an address that may be spoofed (once, no larger than the request).
   */
  readonly callback?: boolean;
  readonly log: (line: string) => void;
}

/** Bounds of every table the responder keeps. */
export const RESPONDER_LIMITS = { sources: 10_000, ssrcs: 262_144, connections: 256, perSource: 8, streamBytes: 65_536, idleMs: 30_000, messageMs: 5_000, handshakeMs: 5_000, logMs: 5_000 } as const;

/** Why a datagram or connection was dropped before any handling, counted per log interval. */
type Drop = 'port 0' | 'own address and port' | 'handler error' | 'per-source connection cap' | 'message deadline' | 'evicted at the connection cap' | 'callback cap';

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

  /** Two bits per SSRC of [first, last], first SSRC in the top bits of byte 0: its count, at most 3; base64url. */
  bytes(first: number, last: number): string {
    const out = Buffer.alloc(Math.ceil((last - first + 1) / 4));
    for (let s = first; s <= last; s++) out[(s - first) >> 2]! |= Math.min(3, this.counts.get(s) ?? 0) << (6 - 2 * ((s - first) & 3));
    return out.toString('base64url');
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

/** A UDP answer is at most this many times the request's size (RFC 9000 §8.1). */
export const UDP_AMPLIFICATION = 3;

/** Largest SSRC span one query may ask about. */
const RTP_QUERY_MAX = 65_536;

/**
 * The answer to a request (uas.ts decides the status and the copy), or undefined for ACK and
 * responses. `minimal`: only what the status requires, for the UDP bound. `problem`: why the
 * parser read the request only in part (a 400).
 */
export function answer(request: SipMessage, raw: Buffer, source: { address: string; port: number }, counts: SsrcCounts, minimal: boolean, problem?: string): SipMessage | undefined {
  if (request.kind !== 'request' || request.method === 'ACK') return undefined;
  const verdict = verdictOf(request, problem);
  const headers: SipHeader[] = [...copied(request, source), ...verdict.required];
  if (!minimal) {
    headers.push({ name: 'server', value: `sipwall-responder/${VERSION}` });
    // RFC 3261 §20.43 warn-text is a quoted string: no quote or backslash of the input goes in.
    if (verdict.why !== undefined) headers.push({ name: 'warning', value: `399 sipwall "${printable(verdict.why).replace(/["\\]/g, "'")}"` });
  }
  if (!minimal && verdict.status === 200) {
    headers.push({ name: 'allow', value: ALLOWED_METHODS.join(', ') }, { name: 'accept', value: 'application/sdp' });
    if (header(request, ECHO.request) !== undefined) {
      const top = header(request, 'via');
      headers.push(
        { name: ECHO.digest, value: `sha256=${sha256(raw.toString('latin1'))}` },
        { name: ECHO.via, value: top ?? '' },
        { name: ECHO.contact, value: header(request, 'contact') ?? '' },
        { name: ECHO.source, value: encodeSource(source) },
      );
    }
    // `first-last`: packets per SSRC as runs (`5-7:1,9:3`); `first-last;counts`: two bits per SSRC
    // (its count, 3 meaning 3 or more: a sweep sends at most 3 a port), base64url: a thousand
    // silent ports in 344 bytes whatever the pattern, so the answer stays one unfragmented datagram.
    const query = /^(\d{1,10})-(\d{1,10})(;counts)?$/.exec(header(request, RTP_QUERY) ?? '');
    if (query && Number(query[2]) >= Number(query[1]) && Number(query[2]) - Number(query[1]) < RTP_QUERY_MAX) {
      const [first, last] = [Number(query[1]), Number(query[2])];
      headers.push({ name: `${RTP_QUERY}-received`, value: query[3] ? `counts=${counts.bytes(first, last)}` : counts.ranges(first, last) || 'none' });
    }
  }
  return { kind: 'response', status: verdict.status, reason: verdict.reason, headers, body: '' };
}

export class Responder {
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly sipLimit: RateLimit;
  private readonly rtpLimit: RateLimit;
  readonly counts = new SsrcCounts();
  /** RTP packets per source since the last log line. */
  private readonly rtpSeen = new Map<string, { packets: number; ports: Set<number> }>();
  /** Open TCP/TLS connections with their source and last activity (insertion = age). */
  private readonly streams = new Map<net.Socket, { source: string; active: number }>();
  private readonly perSource = new Map<string, number>();
  /** Callbacks waiting, by source address and port. */
  private readonly callbacks = new Map<string, NodeJS.Timeout>();
  /** What was dropped since the last log line, by reason (one line per reason and interval). */
  readonly drops = new Map<Drop, number>();
  /** Totals since start, for tests and the stop line. */
  readonly dropped = new Map<Drop, number>();
  /** Local addresses and UDP ports: a datagram from one of them to us is a reflection loop. */
  private local = new Set<string>();
  private udpPorts = new Set<number>();

  constructor(private options: ResponderOptions) {
    this.sipLimit = new RateLimit(options.sipRate);
    this.rtpLimit = new RateLimit(options.rtpRate);
  }

  private now(): number {
    return this.options.clock ? this.options.clock() : performance.now();
  }

  private drop(reason: Drop): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  /** A socket handler that can throw nothing: an error is a counted drop. */
  private guarded<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        handler(...args);
      } catch {
        this.drop('handler error');
      }
    };
  }

  /** Datagrams no answer may go to: port 0, or our own address and listening port. */
  private unanswerable(rinfo: { address: string; port: number }): boolean {
    if (rinfo.port === 0) {
      this.drop('port 0');
      return true;
    }
    if (this.udpPorts.has(rinfo.port) && this.isLocal(unmapIPv4(rinfo.address))) {
      this.drop('own address and port');
      return true;
    }
    return false;
  }

  private isLocal(address: string): boolean {
    return this.local.has(address) || address.startsWith('127.') || address === '::1';
  }

  private allowed(address: string): boolean {
    return this.options.allow === undefined || prefixesContain(this.options.allow, address);
  }

  private handleSip(raw: Buffer, source: { address: string; port: number }, transport: Transport, send: (bytes: Buffer) => void): void {
    const from = unmapIPv4(source.address);
    const who = `${transport} ${hostPort({ address: from, port: source.port })}`;
    // The rate first: a flood, allowed or not, is dropped silently and cannot flood the log.
    if (!this.sipLimit.take(from, this.now())) return;
    if (!this.allowed(from)) return this.options.log(`sip ${who}: dropped (not in --allow)`);
    let request: SipMessage;
    let problem: string | undefined;
    try {
      request = parseSipMessage(raw, transport === 'udp');
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      // A request read in part (its framing or its request line is wrong) is answered 400.
      if (!error.partial) return this.options.log(`sip ${who}: unreadable (${printable(error.message)})`);
      request = error.partial;
      problem = error.message;
    }
    let reply = answer(request, raw, { address: from, port: source.port }, this.counts, false, problem);
    if (!reply) return;
    let bytes = Buffer.from(formatSipMessage(reply), 'latin1');
    const bound = UDP_AMPLIFICATION * raw.length;
    if (transport === 'udp' && bytes.length > bound) {
      // At most 3x the request over UDP (QUIC's anti-amplification bound, RFC 9000 §8.1): the
      // minimal answer, or none.
      reply = answer(request, raw, { address: from, port: source.port }, this.counts, true, problem)!;
      bytes = Buffer.from(formatSipMessage(reply), 'latin1');
      if (bytes.length > bound) return this.options.log(`sip ${who}: ${printable(request.method ?? "")} not answered (the answer would be over ${UDP_AMPLIFICATION}x the request)`);
    }
    send(bytes);
    this.options.log(`sip ${who}: ${printable(request.method ?? "")} ${printable(request.uri ?? '', 60)} → ${reply.status}`);
    const wait = Number(header(request, CALLBACK.header));
    if (this.options.callback && transport === 'udp' && reply.status === 200 && Number.isInteger(wait) && wait >= 1 && wait <= CALLBACK.maxSeconds) this.callback(`${from}|${source.port}`, wait, () => send(bytes));
  }

  private callback(key: string, seconds: number, send: () => void): void {
    if (this.callbacks.has(key)) return;
    if (this.callbacks.size >= CALLBACK.pending) return this.drop('callback cap');
    const timer = setTimeout(
      this.guarded(() => {
        this.callbacks.delete(key);
        send();
      }),
      seconds * 1000,
    );
    timer.unref();
    this.callbacks.set(key, timer);
  }

  private handleRtp(bytes: Buffer, source: dgram.RemoteInfo, port: number, socket: dgram.Socket): void {
    if (this.unanswerable(source)) return;
    const from = unmapIPv4(source.address);
    if (!this.allowed(from) || !this.rtpLimit.take(from, this.now())) return;
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

  /** One line per RTP source and per drop reason and interval, not one per packet. */
  private flushLog(): void {
    for (const [from, seen] of this.rtpSeen) this.options.log(`rtp ${from}: echoed ${seen.packets} packets on ${seen.ports.size} ports`);
    this.rtpSeen.clear();
    for (const [reason, n] of this.drops) this.options.log(`dropped ${n} (${reason}) in the last ${RESPONDER_LIMITS.logMs / 1000} s`);
    this.drops.clear();
  }

  async start(): Promise<void> {
    // `::` on a host without IPv6: listen on IPv4 instead of failing.
    if (this.options.host === '::' && !(await ipv6Available())) this.options = { ...this.options, host: '0.0.0.0' };
    const family = this.options.host.includes(':') ? 'udp6' : 'udp4';
    this.local = new Set([unmapIPv4(this.options.host), ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => unmapIPv4(i.address)))]);
    this.udpPorts = new Set([...this.options.sip.filter((l) => l.transport === 'udp').map((l) => l.port)]);
    if (this.options.rtp) for (let p = this.options.rtp.from; p <= this.options.rtp.to; p++) this.udpPorts.add(p);
    for (const { transport, port } of this.options.sip) {
      if (transport === 'udp') {
        const socket = dgram.createSocket({ type: family, reuseAddr: false });
        socket.on(
          'message',
          this.guarded((raw: Buffer, rinfo: dgram.RemoteInfo) => {
            if (!this.unanswerable(rinfo)) this.handleSip(raw, rinfo, 'udp', (b) => socket.send(b, rinfo.port, rinfo.address));
          }),
        );
        // A send error (e.g. an unreachable source) is the network's, not the responder's end.
        socket.on('error', () => this.drop('handler error'));
        await bindUdp(socket, port, this.options.host);
        this.closers.push(() => new Promise((r) => socket.close(() => r())));
      } else {
        const server =
          transport === 'tls'
            ? tls.createServer({ cert: this.options.tls!.cert, key: this.options.tls!.key, handshakeTimeout: RESPONDER_LIMITS.handshakeMs })
            : net.createServer();
        // A hard bound on sockets, handshakes included; the finer caps apply once a stream opens.
        server.maxConnections = RESPONDER_LIMITS.connections * 2;
        server.on(transport === 'tls' ? 'secureConnection' : 'connection', this.guarded((socket: net.Socket) => this.stream(socket, transport)));
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
        socket.on('message', this.guarded((bytes: Buffer, rinfo: dgram.RemoteInfo) => this.handleRtp(bytes, rinfo, port, socket)));
        socket.on('error', () => this.drop('handler error'));
        await bindUdp(socket, port, this.options.host);
        this.closers.push(() => new Promise((r) => socket.close(() => r())));
      }
    }
    const timer = setInterval(() => this.flushLog(), RESPONDER_LIMITS.logMs);
    timer.unref();
    this.closers.push(async () => {
      clearInterval(timer);
      for (const socket of this.streams.keys()) socket.destroy();
      this.flushLog();
    });
  }

  private stream(socket: net.Socket, transport: Transport): void {
    const source = unmapIPv4(socket.remoteAddress ?? '');
    const cap = this.options.tcpPerSource ?? RESPONDER_LIMITS.perSource;
    if ((this.perSource.get(source) ?? 0) >= cap) {
      this.drop('per-source connection cap');
      socket.destroy();
      return;
    }
    if (this.streams.size >= RESPONDER_LIMITS.connections) {
      // Room for the newcomer: the connection idle the longest goes.
      let oldest: [net.Socket, { active: number }] | undefined;
      for (const entry of this.streams) if (!oldest || entry[1].active < oldest[1].active) oldest = entry;
      this.drop('evicted at the connection cap');
      this.forget(oldest![0]);
      oldest![0].destroy();
    }
    const state = { source, active: this.now() };
    this.streams.set(socket, state);
    this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
    socket.setTimeout(RESPONDER_LIMITS.idleMs, () => socket.destroy());
    socket.on('close', () => this.forget(socket));
    socket.on('error', () => socket.destroy());
    let buffer: Buffer = Buffer.alloc(0);
    // Set when a message starts; bytes that trickle in do not move it.
    let deadline: NodeJS.Timeout | undefined;
    socket.on(
      'data',
      this.guarded((chunk: Buffer) => {
        state.active = this.now();
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
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
        else if (buffer.length === 0) {
          clearTimeout(deadline);
          deadline = undefined;
        } else {
          deadline ??= setTimeout(() => {
            this.drop('message deadline');
            socket.destroy();
          }, RESPONDER_LIMITS.messageMs);
        }
      }),
    );
    socket.on('close', () => clearTimeout(deadline));
  }

  private forget(socket: net.Socket): void {
    const state = this.streams.get(socket);
    if (!state) return;
    this.streams.delete(socket);
    const n = (this.perSource.get(state.source) ?? 1) - 1;
    if (n === 0) this.perSource.delete(state.source);
    else this.perSource.set(state.source, n);
  }

  async stop(): Promise<void> {
    for (const timer of this.callbacks.values()) clearTimeout(timer);
    this.callbacks.clear();
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
