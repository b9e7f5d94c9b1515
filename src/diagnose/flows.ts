/**
 * The flows a firewall must accept for a policy, sampled: for each inbound term, an address of
 * each source prefix (the middle of it, and the provider's listed gateways) × each destination port
 * range's edges and middle. Plus the flows it must not accept: SIP from an address outside every
 * provider's list (an open SIP port is how a PBX is found and used for toll fraud). Pure.
 */
import { formatAddress, type Family } from '../net/address.js';
import { lastAddress, prefixesContain, type Prefix } from '../net/cidr.js';
import type { PortRange } from '../net/ports.js';
import type { Policy, Term } from '../policy/types.js';

export interface Flow {
  /** Index in the list; also how the replay tells flows apart. */
  readonly id: number;
  readonly family: Family;
  readonly protocol: 'udp' | 'tcp';
  readonly source: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  /** `accept`: a provider's flow that must pass; `refuse`: a stranger's that must not. */
  readonly expect: 'accept' | 'refuse';
  readonly provider: string;
  /** `management`: access an apply must keep (SSH, --keep), src/apply/keep.ts. */
  readonly role: 'sip' | 'media' | 'management';
  /** What the flow stands for, e.g. `FlyNumber SIP signalling udp from 46.19.210.14`. */
  readonly label: string;
}

/** Stand-ins for "any address" and for "a stranger" (documentation addresses, RFC 5737 / 3849). */
const ANY: Record<Family, string> = { 4: '203.0.113.77', 6: '2001:db8:77::77' };
const STRANGERS: Record<Family, string[]> = { 4: ['203.0.113.99', '198.51.100.99', '192.0.2.99'], 6: ['2001:db8:99::99', '2001:db8:98::98'] };

/** At most this many prefixes of one set are sampled (evenly, first and last included). */
const PREFIXES_PER_SET = 8;

function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]!);
}

function middle(p: Prefix): string {
  return formatAddress(p.family, p.network + (lastAddress(p) - p.network + 1n) / 2n);
}

/** A range's edges and middle. */
export function portSamples(ranges: readonly PortRange[]): number[] {
  const out = new Set<number>();
  for (const r of ranges) for (const p of [r.from, Math.floor((r.from + r.to) / 2), r.to]) out.add(p);
  return [...out];
}

function sourceSamples(term: Term, family: Family, gateways: readonly Prefix[]): string[] {
  if (term.sources.kind === 'any') return [ANY[family]];
  const prefixes = term.sources.set.prefixes;
  const inside = gateways.filter((g) => g.family === family && prefixes.some((p) => p.family === g.family && g.network >= p.network && g.network <= lastAddress(p)));
  return [...new Set([...spread(prefixes, PREFIXES_PER_SET).map(middle), ...spread(inside, PREFIXES_PER_SET).map((g) => formatAddress(g.family, g.network))])];
}

/** Source ports: inside the term's source ranges when it has them, else from 30000 up (distinct per flow). */
function sourcePort(term: Term, id: number): number {
  if (term.sourcePorts === 'any') return 30_000 + (id % 30_000);
  const r = term.sourcePorts[id % term.sourcePorts.length]!;
  return r.from + (id % (r.to - r.from + 1));
}

export function flowsOf(policy: Policy): Flow[] {
  const flows: Flow[] = [];
  const add = (f: Omit<Flow, 'id'>) => flows.push({ ...f, id: flows.length });
  /** Ports some provider opens to any address: a stranger there is allowed, not a finding. */
  const openToAny = (family: Family, protocol: string, port: number) =>
    policy.terms.some((t) => t.direction === 'in' && t.sources.kind === 'any' && t.protocol === protocol && (t.family === 'both' || t.family === family) && t.destinationPorts !== 'any' && t.destinationPorts.some((r) => port >= r.from && port <= r.to));
  const strangerPorts = new Set<string>();
  for (const term of policy.terms) {
    if (term.direction !== 'in' || term.destinationPorts === 'any') continue;
    const provider = policy.providers.find((p) => p.id === term.provider);
    const gateways = term.role === 'sip' ? (provider?.sip?.gateways ?? []) : [];
    const families: Family[] = term.family === 'both' ? [...policy.families] : [term.family];
    for (const family of families) {
      for (const source of sourceSamples(term, family, gateways)) {
        for (const port of portSamples(term.destinationPorts)) {
          const id = flows.length;
          add({ family, protocol: term.protocol, source, sourcePort: sourcePort(term, id), destinationPort: port, expect: 'accept', provider: term.provider, role: term.role, label: `${term.description} from ${source}` });
        }
      }
      // A stranger on each SIP port: only where the provider's SIP sources are a list.
      if (term.role !== 'sip' || term.sources.kind === 'any') continue;
      const listed = policy.sets.filter((s) => s.family === family).flatMap((s) => s.prefixes);
      const stranger = STRANGERS[family].find((a) => !prefixesContain(listed, a));
      if (stranger === undefined) continue;
      for (const port of portSamples(term.destinationPorts)) {
        const key = `${family}/${term.protocol}/${port}`;
        if (strangerPorts.has(key) || openToAny(family, term.protocol, port)) continue;
        strangerPorts.add(key);
        const id = flows.length;
        add({ family, protocol: term.protocol, source: stranger, sourcePort: 30_000 + id, destinationPort: port, expect: 'refuse', provider: term.provider, role: 'sip', label: `SIP ${term.protocol} from ${stranger}, an address no provider lists` });
      }
    }
  }
  return flows;
}
