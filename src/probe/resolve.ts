/**
 * Locating a SIP server as a client does (RFC 3263 §4): an IP address is used as is; a host
 * with a port goes to A/AAAA; otherwise NAPTR picks the SRV name for the transport, SRV picks
 * the host and port, and without SRV records A/AAAA with the default port is used.
 */
import { lookup, Resolver } from 'node:dns/promises';
import { defaultPort, type SipTarget, type Transport } from './target.js';

export interface Resolution {
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  /** How the address and port were found, e.g. `NAPTR SIP+D2T → SRV _sip._tcp.example.com → A`. */
  readonly method: string;
}

export class DnsFailure extends Error {
  override readonly name = 'DnsFailure';
}

const NAPTR_SERVICE: Record<Transport, string> = { udp: 'SIP+D2U', tcp: 'SIP+D2T', tls: 'SIPS+D2T' };
const SRV_PREFIX: Record<Transport, string> = { udp: '_sip._udp', tcp: '_sip._tcp', tls: '_sips._tcp' };

export interface ResolveOptions {
  /** DNS servers (`127.0.0.1:5353`); the system's when absent. */
  readonly servers?: readonly string[];
  readonly timeoutMs: number;
}

/** A resolver per option set, so many targets share its cache of nothing but its settings. */
export function resolverOf(options: ResolveOptions): Resolver {
  const resolver = new Resolver({ timeout: Math.max(100, Math.min(options.timeoutMs, 5000)), tries: 2 });
  if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers]);
  return resolver;
}

const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME', 'NOTFOUND', 'NODATA']);

async function optional<T>(query: Promise<T[]>): Promise<T[]> {
  try {
    return await query;
  } catch (error) {
    if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  }
}

/** A/AAAA of a name: through the given servers, or the system's resolver (/etc/hosts too). */
async function addressOf(name: string, resolver: Resolver, options: ResolveOptions): Promise<{ address: string; family: 4 | 6; how: string }> {
  try {
    if (options.servers && options.servers.length > 0) {
      const v4 = await optional(resolver.resolve4(name));
      if (v4.length > 0) return { address: v4[0]!, family: 4, how: 'A' };
      const v6 = await optional(resolver.resolve6(name));
      if (v6.length > 0) return { address: v6[0]!, family: 6, how: 'AAAA' };
      throw new DnsFailure(`${name} has no A or AAAA record`);
    }
    const found = await lookup(name);
    return { address: found.address, family: found.family === 6 ? 6 : 4, how: found.family === 6 ? 'AAAA' : 'A' };
  } catch (error) {
    if (error instanceof DnsFailure) throw error;
    throw new DnsFailure(`${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export async function resolveTarget(target: SipTarget, transport: Transport, options: ResolveOptions): Promise<Resolution> {
  if (target.ip !== undefined) {
    return { address: target.host, family: target.ip, port: target.port ?? defaultPort(transport), method: 'IP address' };
  }
  const resolver = resolverOf(options);
  // RFC 6761: localhost names never go to DNS.
  if (target.port !== undefined || /(^|\.)localhost\.?$/i.test(target.host)) {
    const a = await addressOf(target.host, resolver, options);
    return { address: a.address, family: a.family, port: target.port ?? defaultPort(transport), method: a.how };
  }
  const steps: string[] = [];
  let srvName = `${SRV_PREFIX[transport]}.${target.host}`;
  try {
    const naptr = (await optional(resolver.resolveNaptr(target.host)))
      .filter((r) => r.flags.toLowerCase() === 's')
      .sort((a, b) => a.order - b.order || a.preference - b.preference);
    if (naptr.length > 0) {
      const mine = naptr.find((r) => r.service.toUpperCase() === NAPTR_SERVICE[transport]);
      if (!mine) throw new DnsFailure(`${target.host} publishes NAPTR records, none for ${NAPTR_SERVICE[transport]} (${transport})`);
      srvName = mine.replacement;
      steps.push(`NAPTR ${NAPTR_SERVICE[transport]}`);
    }
    const srv = (await optional(resolver.resolveSrv(srvName))).sort((a, b) => a.priority - b.priority || b.weight - a.weight);
    if (srv.length > 0) {
      const pick = srv[0]!;
      const a = await addressOf(pick.name, resolver, options);
      return { address: a.address, family: a.family, port: pick.port, method: [...steps, `SRV ${srvName} → ${pick.name}:${pick.port}`, a.how].join(' → ') };
    }
  } catch (error) {
    if (error instanceof DnsFailure) throw error;
    // A server that fails NAPTR/SRV queries (not "no such record"): fall back to A/AAAA as
    // clients do, and say so.
    steps.push(`NAPTR/SRV failed (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const a = await addressOf(target.host, resolver, options);
  return { address: a.address, family: a.family, port: defaultPort(transport), method: [...steps, `no SRV, ${a.how}`].join(' → ') };
}
