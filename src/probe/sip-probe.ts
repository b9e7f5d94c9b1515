/**
 * SIP OPTIONS over UDP (RFC 3261 §17.1.2 timers: retransmit at T1 = 500 ms, doubling up to
 * T2 = 4 s, within the overall timeout), TCP (framed by Content-Length) and TLS (SNI, chain and
 * name verified unless --insecure). One probe, one result; never throws for network outcomes.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { unmapIPv4 } from '../net/address.js';
import { DnsFailure, resolveTarget, type Resolution } from './resolve.js';
import { frameLength, header, headerValues, parseSipMessage, SipParseError, type SipHeader, type SipMessage } from './sip-message.js';
import { algOf, answers, buildOptions, natOf, type AlgReport, type Endpoint, type NatReport, type OptionsRequest } from './sip-options.js';
import type { SipTarget, Transport } from './target.js';

export const T1_MS = 500;
export const T2_MS = 4000;

/** Distinct outcomes, each with its exit code (see exitCodeOf). */
export type SipOutcome = 'answered' | 'timeout' | 'refused' | 'tls-failure' | 'dns-failure' | 'error';

export interface TlsReport {
  readonly subject: string;
  readonly issuer: string;
  readonly daysToExpiry: number;
  /** When the certificate expires (ISO 8601), when it says. */
  readonly notAfter?: string;
  /** Chain and host name verified. */
  readonly verified: boolean;
  readonly verifyError: string | undefined;
  /** --insecure: the probe went on although verification failed. */
  readonly insecure: boolean;
  readonly protocol: string | undefined;
}

export interface SipProbeResult {
  readonly target: string;
  readonly transport: Transport;
  readonly outcome: SipOutcome;
  readonly resolution?: Resolution;
  readonly status?: number;
  readonly reason?: string;
  readonly rttMs?: number;
  readonly retransmissions?: number;
  readonly server?: string;
  readonly allow?: string[];
  readonly tls?: TlsReport;
  readonly nat?: NatReport;
  readonly alg?: AlgReport;
  /** The answer's own headers, for callers that asked something (the RTP count query). */
  readonly response?: SipMessage;
  readonly error?: string;
}

export interface SipProbeOptions {
  readonly timeoutMs: number;
  readonly insecure: boolean;
  /** PEM CA certificates to trust instead of the system's (a private CA). */
  readonly ca?: readonly string[];
  readonly dnsServers?: readonly string[];
  readonly extraHeaders?: readonly SipHeader[];
  /** Milliseconds clock, injectable for tests of the result shape. */
  readonly now?: () => number;
}

interface Exchange {
  readonly request: OptionsRequest;
  readonly response: SipMessage;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly retransmissions: number;
  readonly local: Endpoint;
}

class ProbeFailure extends Error {
  constructor(
    readonly outcome: SipOutcome,
    message: string,
    readonly tls?: TlsReport,
  ) {
    super(message);
  }
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

function failureOf(error: unknown): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return new ProbeFailure('refused', 'connection refused (ICMP port unreachable or TCP reset)');
  if (code === 'ETIMEDOUT') return new ProbeFailure('timeout', 'no answer');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new ProbeFailure('refused', `unreachable (${code})`);
  return new ProbeFailure('error', String(code));
}

export async function probeSip(target: SipTarget, transport: Transport, options: SipProbeOptions): Promise<SipProbeResult> {
  const base = { target: target.input, transport };
  let resolution: Resolution;
  try {
    resolution = await resolveTarget(target, transport, { timeoutMs: options.timeoutMs, ...(options.dnsServers ? { servers: options.dnsServers } : {}) });
  } catch (error) {
    return { ...base, outcome: 'dns-failure', error: error instanceof DnsFailure ? error.message : String(errorCode(error)) };
  }
  const now = options.now ?? (() => performance.now());
  let tlsReport: TlsReport | undefined;
  try {
    const exchange =
      transport === 'udp'
        ? await overUdp(target, resolution, options, now)
        : await overStream(target, transport, resolution, options, now, (report) => (tlsReport = report));
    const r = exchange.response;
    return {
      ...base,
      outcome: 'answered',
      resolution,
      status: r.status!,
      reason: r.reason!,
      rttMs: Math.round((exchange.answeredAt - exchange.sentAt) * 10) / 10,
      retransmissions: exchange.retransmissions,
      ...optionalString('server', header(r, 'server') ?? header(r, 'user-agent')),
      allow: headerValues(r, 'allow').map((m) => m.toUpperCase()),
      ...(tlsReport ? { tls: tlsReport } : {}),
      nat: natOf(r, exchange.local),
      alg: algOf(exchange.request, r),
      response: r,
    };
  } catch (error) {
    const failure = failureOf(error);
    const tlsInfo = failure.tls ?? tlsReport;
    return { ...base, outcome: failure.outcome, resolution, ...(tlsInfo ? { tls: tlsInfo } : {}), error: failure.message };
  }
}

const optionalString = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value });

function overUdp(target: SipTarget, resolution: Resolution, options: SipProbeOptions, now: () => number): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(resolution.family === 6 ? 'udp6' : 'udp4');
    let request: OptionsRequest | undefined;
    let sentAt = 0;
    let sends = 0;
    let timer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => finish(new ProbeFailure('timeout', `no answer in ${options.timeoutMs} ms (${sends} sends)`)), options.timeoutMs);
    let finished = false;
    const finish = (error: Error | undefined, exchange?: Exchange) => {
      if (finished) return; // an ICMP error after the answer, or the deadline after an error
      finished = true;
      clearTimeout(deadline);
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(exchange!);
    };
    socket.on('error', (error) => finish(error));
    socket.on('message', (bytes) => {
      if (!request) return;
      const message = readMessage(bytes, true);
      // Garbage or not ours: keep waiting. 1xx are provisional: wait for the final answer.
      if (!message || !answers(request, message) || message.status! < 200) return;
      finish(undefined, { request, response: message, sentAt, answeredAt: now(), retransmissions: sends - 1, local: localOf(socket.address()) });
    });
    socket.connect(resolution.port, resolution.address, () => {
      const local = localOf(socket.address());
      request = buildOptions(target, 'udp', local, options.extraHeaders);
      const bytes = Buffer.from(request.text, 'latin1');
      let interval = T1_MS;
      const send = () => {
        sends++;
        if (sends === 1) sentAt = now();
        socket.send(bytes);
        timer = setTimeout(send, interval);
        interval = Math.min(interval * 2, T2_MS);
      };
      send();
    });
  });
}

/** A message, or undefined for bytes that are none (a framed message that does not parse is skipped). */
function readMessage(bytes: Buffer, datagram: boolean): SipMessage | undefined {
  try {
    return parseSipMessage(bytes, datagram);
  } catch (error) {
    if (error instanceof SipParseError) return undefined;
    throw error;
  }
}

function localOf(address: { address: string; port: number }): Endpoint {
  return { address: unmapIPv4(address.address), port: address.port };
}

function tlsReportOf(socket: tls.TLSSocket, insecure: boolean): TlsReport {
  const cert = socket.getPeerCertificate();
  const name = (entity: Record<string, string | string[]> | undefined) =>
    entity ? Object.entries(entity).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : '';
  const expiry = cert?.valid_to ? Date.parse(cert.valid_to) : NaN;
  return {
    subject: name(cert?.subject as unknown as Record<string, string>),
    issuer: name(cert?.issuer as unknown as Record<string, string>),
    daysToExpiry: Number.isFinite(expiry) ? Math.floor((expiry - Date.now()) / 86_400_000) : NaN,
    ...(Number.isFinite(expiry) ? { notAfter: new Date(expiry).toISOString() } : {}),
    verified: socket.authorized,
    verifyError: socket.authorized ? undefined : String(socket.authorizationError ?? 'unverified'),
    insecure,
    protocol: socket.getProtocol() ?? undefined,
  };
}

function overStream(
  target: SipTarget,
  transport: 'tcp' | 'tls',
  resolution: Resolution,
  options: SipProbeOptions,
  now: () => number,
  onTls: (report: TlsReport) => void,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const secure = transport === 'tls';
    const socket: net.Socket = secure
      ? tls.connect({
          host: resolution.address,
          port: resolution.port,
          // SNI carries a host name only (RFC 6066 §3); certificates are checked against it.
          ...(target.ip === undefined ? { servername: target.host } : {}),
          checkServerIdentity: (_host, cert) => tls.checkServerIdentity(target.host, cert),
          rejectUnauthorized: false,
          ...(options.ca ? { ca: [...options.ca] } : {}),
        })
      : net.connect({ host: resolution.address, port: resolution.port });
    let request: OptionsRequest | undefined;
    let sentAt = 0;
    let buffer = Buffer.alloc(0);
    // Connected over TCP but no TLS session: the handshake failed (or the port speaks no TLS).
    let connected = false;
    const deadline = setTimeout(() => {
      if (request) finish(new ProbeFailure('timeout', `no answer in ${options.timeoutMs} ms`));
      else if (secure && connected) finish(new ProbeFailure('tls-failure', `no TLS handshake in ${options.timeoutMs} ms (does the port speak TLS?)`));
      else finish(new ProbeFailure('timeout', `no connection in ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    let finished = false;
    const finish = (error: Error | undefined, exchange?: Exchange) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      socket.destroy();
      if (error) reject(error);
      else resolve(exchange!);
    };
    socket.on('connect', () => (connected = true));
    socket.on('error', (error) => {
      if (secure && connected) finish(new ProbeFailure('tls-failure', `TLS handshake failed: ${error.message}`));
      else finish(error);
    });
    socket.on('close', () => {
      if (request) finish(new ProbeFailure('error', 'the server closed the connection without an answer'));
      else if (secure && connected) finish(new ProbeFailure('tls-failure', 'the server closed the connection during the TLS handshake'));
      else finish(new ProbeFailure('refused', 'connection closed'));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        let length: number | undefined;
        try {
          length = frameLength(buffer);
        } catch (error) {
          // The stream cannot be framed any more (RFC 3261 §18.3): nothing after this can be read.
          finish(new ProbeFailure('error', `unreadable answer: ${(error as Error).message}`));
          return;
        }
        if (length === undefined) return;
        const message = readMessage(buffer.subarray(0, length), false);
        buffer = buffer.subarray(length);
        if (message && request && answers(request, message) && message.status! >= 200) {
          finish(undefined, { request, response: message, sentAt, answeredAt: now(), retransmissions: 0, local: localOf(socket.address() as net.AddressInfo) });
          return;
        }
      }
    });
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      if (secure) {
        const report = tlsReportOf(socket as tls.TLSSocket, options.insecure);
        onTls(report);
        if (!report.verified && !options.insecure) {
          finish(new ProbeFailure('tls-failure', `certificate not verified: ${report.verifyError} (--insecure probes anyway)`, report));
          return;
        }
      }
      request = buildOptions(target, transport, localOf(socket.address() as net.AddressInfo), options.extraHeaders);
      sentAt = now();
      socket.write(Buffer.from(request.text, 'latin1'));
    });
  });
}

/** Exit codes: 0 every probe answered, 3 a timeout, 4 refused, 5 TLS failure, 6 DNS failure, 1 other errors (highest wins). */
export const EXIT_CODES: Record<SipOutcome, number> = { answered: 0, error: 1, timeout: 3, refused: 4, 'tls-failure': 5, 'dns-failure': 6 };

export function exitCodeOf(outcomes: readonly SipOutcome[]): number {
  return Math.max(0, ...outcomes.map((o) => EXIT_CODES[o]));
}

/** Runs probes with at most `limit` in flight; results keep the input order. */
export async function withConcurrency<T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>, onDone?: (done: number) => void): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!, i);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
