/** Builds the policy from providers and the host profile, in stages (sets.ts, terms.ts, notes.ts). Pure. */
import { warning } from '../errors/warnings.js';
import { flag } from '../errors/concepts.js';
import type { TargetError } from '../targets/types.js';
import { coreError } from '../errors/catalogue.js';
import type { Family } from '../net/address.js';
import { collapse, formatPrefix, type Prefix } from '../net/cidr.js';
import { formatPortRange, unionPorts, type PortRange } from '../net/ports.js';
import type { HostProfile, Provider, Transport } from '../providers/types.js';
import { addressWarnings, coversEveryAddress, rtpWarnings } from './breadth.js';
import { subsumedNotes } from './notes.js';
import { providerSets } from './sets.js';
import { policyTerms } from './terms.js';
import type { Addresses, Direction, Policy, SshAccess } from './types.js';

export interface PolicyInput {
  readonly providers: readonly Provider[];
  /** A preset or the default host. */
  readonly host: HostProfile;
  /** `--rtp-ports`: overrides the preset's RTP range. */
  readonly rtpPorts?: PortRange[];
  /**
   * false: no output of this run says anything of RTP (an AI platform's own configuration): no
   * host RTP range is resolved, no media term built, and no RTP note or warning given.
   */
  readonly media?: boolean;
  /** `--sip-ports`: overrides the preset's listening ports. */
  readonly sipPorts?: Partial<Record<Transport, number[]>>;
  readonly direction: 'in' | 'out' | 'both';
  readonly families: readonly Family[];
  /** SSH kept open on a standalone host; undefined turns it off. */
  readonly ssh?: { readonly port: number; readonly sources: readonly Prefix[] | 'any' };
}

const formatRanges = (ranges: readonly PortRange[]) => ranges.map((r) => formatPortRange(r, '-')).join(',');

/** The stages, each pure and tested on its own: host → sets → terms → notes. */
export function buildPolicy(input: PolicyInput): Policy {
  checkProviders(input.providers);
  const sip = input.sipPorts ?? input.host.sip;
  const rtp = input.media === false ? { range: [], notes: [], warnings: [] } : resolveHostRtp(input);
  const host = { ...input.host, sip, rtp: rtp.range };
  const directions: Direction[] = input.direction === 'both' ? ['in', 'out'] : [input.direction];
  const sets = providerSets(input.providers, input.families);
  const terms = policyTerms({ providers: input.providers, families: input.families, directions, host, addresses: sets.addresses });
  if (terms.length === 0) throw noTermError(input);
  const warnings = [...rtp.warnings, ...sets.warnings, ...rtpBreadth(input.providers, rtp.range, sip)];
  const ssh = input.ssh === undefined ? undefined : sshAccess(input.ssh, input.families);
  if (ssh) warnings.push(...ssh.warnings);
  const notes = [...rtp.notes, ...(input.host.notOpened ? [`Not opened: ${input.host.notOpened}.`] : []), ...subsumedNotes(sets.subsumed)];
  return {
    providers: input.providers,
    host,
    families: input.families,
    directions,
    statefulReturn: true,
    sets: sets.sets,
    terms,
    ...(ssh === undefined ? {} : { ssh: ssh.access }),
    notes,
    warnings,
    subsumed: sets.subsumed,
  };
}

function checkProviders(providers: readonly Provider[]): void {
  if (providers.length === 0) {
    throw coreError('E_NO_PROVIDER', {});
  }
  const ids = new Set<string>();
  for (const p of providers) {
    if (ids.has(p.id)) throw coreError('E_PROVIDER_TWICE', { id: p.id });
    ids.add(p.id);
  }
}

/** No term at all: the families asked for are not the ones the providers publish. */
function noTermError(input: PolicyInput): TargetError {
  const offered = ([4, 6] as const).filter((f) => input.providers.some((p) => [...(p.sip?.addresses ?? []), ...(p.media?.addresses === 'any' || !p.media ? [] : p.media.addresses)].some((a) => a.family === f)));
  return coreError('E_FAMILY_EMPTY', { asked: input.families, offered });
}

/** An RTP range that also holds the SIP ports, or is very broad (breadth.ts). */
function rtpBreadth(providers: readonly Provider[], rtp: readonly PortRange[], sip: HostProfile['sip']): string[] {
  const media = providers.filter((p) => p.media);
  if (media.length === 0 || rtp.length === 0) return [];
  const from = media.some((p) => p.media!.addresses === 'any') ? 'every address' : "the providers' media addresses";
  return rtpWarnings(rtp, sip.udp ?? [], from);
}

/** The RTP range media arrives at: the preset's or --rtp-ports, else what the providers instruct. */
function resolveHostRtp(input: PolicyInput): { range: PortRange[]; notes: string[]; warnings: string[] } {
  const notes: string[] = [];
  const withMedia = input.providers.filter((p) => p.media);
  const instructed = withMedia.filter((p) => p.media?.hostPorts);
  const explicit = input.rtpPorts ?? input.host.rtp;
  if (explicit) {
    const origin = input.rtpPorts ? '--rtp-ports' : `the ${input.host.preset} preset`;
    for (const p of instructed) {
      const documented = formatRanges(p.media!.hostPorts!);
      if (documented !== formatRanges(explicit)) {
        notes.push(
          `${p.name} documents RTP to ${documented}; media arrives where the PBX's SDP says, so ${origin}'s ${formatRanges(explicit)} is opened instead.`,
        );
      }
    }
    return { range: unionPorts(explicit), notes, warnings: [] };
  }
  if (withMedia.length === 0) return { range: [], notes, warnings: [] };
  const missing = withMedia.filter((p) => !p.media?.hostPorts).map((p) => p.id);
  if (instructed.length === 0) {
    throw coreError('E_NO_RTP_RANGE', { providers: missing });
  }
  const range = unionPorts(instructed.flatMap((p) => p.media!.hostPorts!));
  const message = warning('W_RTP_FROM_PROVIDER', { range: formatRanges(range), providers: instructed.map((p) => p.name) });
  return { range, notes: [message], warnings: [message] };
}

function sshAccess(ssh: NonNullable<PolicyInput['ssh']>, families: readonly Family[]): { access: SshAccess; warnings: string[] } {
  if (ssh.sources === 'any') return { access: { port: ssh.port, sources: 'any' }, warnings: [] };
  const warnings: string[] = [];
  const sources: Addresses[] = [];
  for (const family of families) {
    const list = ssh.sources.filter((p) => p.family === family);
    if (list.length === 0) continue;
    const prefixes = collapse(list).prefixes;
    if (coversEveryAddress(prefixes, family)) {
      warnings.push(warning('W_SSH_EVERY', { prefixes: prefixes.map(formatPrefix), family }));
    } else warnings.push(...addressWarnings(flag('ssh-from'), prefixes, family));
    // Provider set names end in _v4/_v6 (ids have no "_"), so this name cannot collide with one.
    sources.push({ kind: 'set', set: { name: `ssh_allowed_ipv${family}`, family, prefixes, description: `SSH IPv${family}` } });
  }
  return { access: { port: ssh.port, sources }, warnings };
}
