/**
 * The policy model: the one description of what to allow that every target renders.
 * Terms are in packet terms (source/destination as seen on the wire), per address family.
 */
import type { Prefix, Subsumed } from '../net/cidr.js';
import type { Family } from '../net/address.js';
import type { PortRange } from '../net/ports.js';
import type { HostProfile, Provider } from '../providers/types.js';

export type Direction = 'in' | 'out';

/** A named, collapsed list of prefixes of one family. */
export interface AddressSet {
  /** snake_case, unique in the policy: `<provider>_<role>_v4`. */
  readonly name: string;
  readonly family: Family;
  readonly prefixes: Prefix[];
  readonly description: string;
}

export type Addresses = { readonly kind: 'any' } | { readonly kind: 'set'; readonly set: AddressSet };
export const ANY_ADDRESS: Addresses = { kind: 'any' };

/** Ports, or any port (no match on the field). Lists are interval unions, never empty. */
export type Ports = 'any' | PortRange[];

export interface Term {
  /** kebab-case, unique in the policy: `flynumber-sip-udp-in-v4`. */
  readonly name: string;
  readonly provider: string;
  readonly role: 'sip' | 'media';
  /** `both` only when neither side is an address set: the term then applies to either family. */
  readonly family: Family | 'both';
  readonly direction: Direction;
  readonly protocol: 'udp' | 'tcp';
  readonly sources: Addresses;
  readonly destinations: Addresses;
  readonly sourcePorts: Ports;
  readonly destinationPorts: Ports;
  /** Human text for comments: `FlyNumber SIP signalling udp`. */
  readonly description: string;
}

export interface SshAccess {
  readonly port: number;
  /** Sources allowed to reach SSH, per family; `any` when unrestricted. */
  readonly sources: Addresses[] | 'any';
}

export interface Policy {
  readonly providers: readonly Provider[];
  readonly host: HostProfile & { readonly rtp: PortRange[] };
  /** Families the output covers. */
  readonly families: readonly Family[];
  /** Directions that are filtered. */
  readonly directions: readonly Direction[];
  /**
   * Return traffic of accepted flows (conntrack established,related) is accepted: every target
   * must render it in each filtered direction. Always true; kept explicit so it is tested.
   */
  readonly statefulReturn: true;
  readonly sets: readonly AddressSet[];
  readonly terms: readonly Term[];
  /** SSH access a standalone host firewall keeps open; undefined when turned off. */
  readonly ssh?: SshAccess;
  /** Lines to print as comments at the top of the output (facts the reader must know). */
  readonly notes: readonly string[];
  /** Printed on stderr and returned in --json. */
  readonly warnings: readonly string[];
  /** Inputs that another input already covered (e.g. the FlyNumber gateways inside the /21). */
  readonly subsumed: ReadonlyArray<Subsumed & { readonly set: string }>;
}

/**
 * The packets that answer a term's flows: the other direction, sides and ports swapped. A target
 * that owns a chain inside the user's firewall accepts these with conntrack state
 * established,related only, so it never accepts another source's established flow (which the
 * user's own rules after sipwall's jump, a ban for example, must still see).
 */
export function replyOf(t: Term): Term {
  return {
    ...t,
    name: `${t.name}-reply`,
    direction: t.direction === 'in' ? 'out' : 'in',
    sources: t.destinations,
    destinations: t.sources,
    sourcePorts: t.destinationPorts,
    destinationPorts: t.sourcePorts,
    description: `replies to ${t.description}`,
  };
}
