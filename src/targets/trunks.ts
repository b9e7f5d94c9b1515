/**
 * What a PBX's own configuration reads of the policy (targets of kind `receiver`): per provider, the
 * addresses its SIP comes from (the sources of the inbound SIP terms), and the one RTP range
 * media arrives at. Pure.
 *
 * A PBX takes a request from these addresses as the provider's trunk, often without asking for a
 * password (pjsip `identify`, a FreeSWITCH inbound ACL): a provider whose SIP may come from any
 * address would make every caller on the internet the trunk, so that is a named error, never an
 * `0.0.0.0/0` in the output.
 */
import type { Family } from '../net/address.js';
import type { Prefix } from '../net/cidr.js';
import type { PortRange } from '../net/ports.js';
import { coreError } from '../errors/catalogue.js';
import type { AddressSet, Policy } from '../policy/types.js';
import { setCidrs } from './lower.js';
import type { TargetMeta } from './types.js';

export interface Trunk {
  /** The provider's id (kebab-case). */
  readonly provider: string;
  readonly name: string;
  /** Its SIP addresses, IPv4 first, each family sorted as the policy's sets hold them. */
  readonly prefixes: readonly Prefix[];
  /** The same as CIDR texts (formatted once per set: lower.ts setCidrs). */
  readonly cidrs: readonly string[];
  readonly families: readonly Family[];
}

/** Every provider with inbound SIP, in the policy's order, with the prefixes of its SIP sets. */
export function trunksOf(policy: Policy, target: string): Trunk[] {
  const sets = new Map<string, Map<string, AddressSet>>();
  for (const term of policy.terms) {
    if (term.role !== 'sip' || term.direction !== 'in') continue;
    if (term.sources.kind === 'any') throw coreError('E_TRUNK_ANY_SIP', { provider: term.provider, target });
    const own = sets.get(term.provider) ?? new Map<string, AddressSet>();
    own.set(term.sources.set.name, term.sources.set);
    sets.set(term.provider, own);
  }
  const trunks = policy.providers.flatMap((p) => {
    const own = sets.get(p.id);
    if (own === undefined) return [];
    // A set holds one family: the sets in family order (a stable sort) put the prefixes in it.
    const ordered = [...own.values()].sort((a, b) => a.family - b.family);
    const prefixes = ([] as Prefix[]).concat(...ordered.map((s) => s.prefixes));
    const cidrs = ([] as string[]).concat(...ordered.map(setCidrs));
    return [{ provider: p.id, name: p.name, prefixes, cidrs, families: [...new Set(ordered.map((s) => s.family))] }];
  });
  // An ACL of deny lines alone would refuse every call: nothing to write is an error.
  if (trunks.length === 0) throw coreError('E_TRUNK_NO_SIP', { target, providers: policy.providers.map((p) => p.id) });
  return trunks;
}

/** The host's RTP range as one range, or undefined when no provider sends media. */
export function rtpRangeOf(policy: Policy, target: string): PortRange | undefined {
  const rtp = policy.host.rtp;
  if (rtp.length === 0) return undefined;
  if (rtp.length > 1) throw coreError('E_PBX_RTP_RANGES', { target, ranges: rtp.map((r) => `${r.from}-${r.to}`) });
  return rtp[0];
}

/** Header notes every PBX configuration carries. */
export function trunkNotes(policy: Policy): string[] {
  return policy.directions.includes('out') ? ["Outbound: a PBX's configuration does not filter what the PBX sends; the firewall rules of the same command do."] : [];
}

/**
 * What the AI platforms' targets declare alike: the platform's own configuration, JSON, no RTP
 * of the host's; it takes SIP from addresses, whatever their ports (source ports widen, said).
 */
export const AI_PLATFORM = {
  kind: 'receiver',
  media: false,
  rangeSeparator: '-',
  forms: ['json'],
  modes: ['standalone'],
  capabilities: { outbound: false, sourcePorts: false, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: false, deny: false },
} as const satisfies Partial<TargetMeta>;
