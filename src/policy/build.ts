/** Builds the policy from providers and the host profile. Pure. */
import type { Family } from '../net/address.js';
import { collapse, formatPrefix, type Collapsed, type Prefix } from '../net/cidr.js';
import { InputError } from '../net/errors.js';
import { formatPortRange, unionPorts, type PortRange } from '../net/ports.js';
import { l4Of, TRANSPORTS, type HostProfile, type Provider, type Transport } from '../providers/types.js';
import { addressWarnings, coversEveryAddress, rtpWarnings } from './breadth.js';
import { ANY_ADDRESS, type Addresses, type AddressSet, type Direction, type Policy, type Ports, type SshAccess, type Term } from './types.js';

export interface PolicyInput {
  readonly providers: readonly Provider[];
  /** A preset or the default host. */
  readonly host: HostProfile;
  /** `--rtp-ports`: overrides the preset's RTP range. */
  readonly rtpPorts?: PortRange[];
  /** `--sip-ports`: overrides the preset's listening ports. */
  readonly sipPorts?: Partial<Record<Transport, number[]>>;
  readonly direction: 'in' | 'out' | 'both';
  readonly families: readonly Family[];
  /** SSH kept open on a standalone host; undefined turns it off. */
  readonly ssh?: { readonly port: number; readonly sources: readonly Prefix[] | 'any' };
}

/** Prefixes a note names before it says "and N more". */
const SUBSUMED_SHOWN = 8;

const formatRanges = (ranges: readonly PortRange[]) => ranges.map((r) => formatPortRange(r, '-')).join(',');

export function buildPolicy(input: PolicyInput): Policy {
  if (input.providers.length === 0) {
    throw new InputError('--provider', 'no provider given', 'name one, e.g. --provider flynumber, or --profile FILE');
  }
  const ids = new Set<string>();
  for (const p of input.providers) {
    if (ids.has(p.id)) throw new InputError('--provider', `provider "${p.id}" given twice`, 'name each provider once');
    ids.add(p.id);
  }
  const notes: string[] = [];
  const warnings: string[] = [];
  const sets: AddressSet[] = [];
  const subsumed: Array<Policy['subsumed'][number]> = [];
  const sipPorts = input.sipPorts ?? input.host.sip;
  const rtp = resolveHostRtp(input, notes, warnings);
  const host = { ...input.host, sip: sipPorts, rtp };
  const directions: Direction[] = input.direction === 'both' ? ['in', 'out'] : [input.direction];

  /**
   * The address sets of one provider, per role and family: collapsed, and shared by SIP and media
   * when both roles collapse to the same prefixes (FlyNumber: the gateways lie inside the /21).
   */
  const providerSets = (provider: Provider): Map<string, Addresses> => {
    const out = new Map<string, Addresses>();
    const id = provider.id.replaceAll('-', '_');
    for (const family of input.families) {
      const ofFamily = (list: readonly Prefix[]) => list.filter((p) => p.family === family);
      const sipBase = provider.sip && collapse(ofFamily(provider.sip.addresses));
      const sip = provider.sip && withGateways(sipBase!, ofFamily(provider.sip.gateways));
      const mediaList = provider.media?.addresses;
      // The parser shares one list when media and SIP name the same addresses: collapse it once.
      const media =
        mediaList === undefined || mediaList === 'any'
          ? undefined
          : mediaList === provider.sip?.addresses
            ? sipBase
            : collapse(ofFamily(mediaList));
      const shared = sip && media && sip.prefixes.length > 0 && samePrefixes(sip.prefixes, media.prefixes);
      const make = (roles: Array<'sip' | 'media'>, result: Collapsed) => {
        // Injective: ids hold no "_", so the name splits back at its last two "_" into id, roles
        // and family (`acme` sip and `acme-sip` sip+media are acme_sip_v4 and acme_sip_sipmedia_v4).
        const name = `${id}_${roles.join('')}_v${family}`;
        // A loop, not push(...): a spread of a million arguments overflows the stack.
        for (const x of result.subsumed) subsumed.push({ ...x, set: name });
        const what = roles.map((r) => (r === 'sip' ? 'SIP' : 'media')).join(' and ');
        let addresses: Addresses;
        if (coversEveryAddress(result.prefixes, family)) {
          warnings.push(`${provider.id} ${what}: ${result.prefixes.map(formatPrefix).join(', ')} ${result.prefixes.length === 1 ? 'covers' : 'cover'} every address; the rule matches any address`);
          addresses = ANY_ADDRESS;
        } else {
          warnings.push(...addressWarnings(`${provider.id} ${what}`, result.prefixes, family));
          const set: AddressSet = { name, family, prefixes: result.prefixes, description: `${provider.name} ${what} IPv${family}` };
          sets.push(set);
          addresses = { kind: 'set', set };
        }
        for (const role of roles) out.set(`${role}:${family}`, addresses);
      };
      // media === sipBase when both roles name one list: its subsumed prefixes are in sip's already.
      if (shared) make(['sip', 'media'], { prefixes: sip.prefixes, subsumed: media === sipBase ? sip.subsumed : [...sip.subsumed, ...media.subsumed] });
      else {
        if (sip && sip.prefixes.length > 0) make(['sip'], sip);
        if (media && media.prefixes.length > 0) make(['media'], media);
      }
    }
    return out;
  };

  const terms: Term[] = [];
  const addTerm = (t: Omit<Term, 'name'>) => {
    const fam = t.family === 'both' ? '' : `-v${t.family}`;
    terms.push({ name: `${t.provider}-${t.role}-${t.protocol}-${t.direction}${fam}`, ...t });
  };

  /** The terms of one flow for each filtered direction; `ports` gives [source, destination] ports. */
  const addFlow = (
    base: Pick<Term, 'provider' | 'role' | 'family' | 'protocol'>,
    remote: Addresses,
    ports: Record<Direction, [Ports, Ports]>,
    description: string,
    suffix: string,
  ) => {
    for (const direction of directions) {
      const [sourcePorts, destinationPorts] = ports[direction];
      addTerm({
        ...base,
        direction,
        sources: direction === 'in' ? remote : ANY_ADDRESS,
        destinations: direction === 'in' ? ANY_ADDRESS : remote,
        sourcePorts,
        destinationPorts,
        description: `${description} ${direction}${suffix}`,
      });
    }
  };

  for (const provider of input.providers) {
    const setsOf = providerSets(provider);
    if (provider.sip) addSipTerms(provider, provider.sip, sipPorts, setsOf);
    if (provider.media) addMediaTerms(provider, provider.media, setsOf);
  }

  function addSipTerms(provider: Provider, sip: NonNullable<Provider['sip']>, listening: HostProfile['sip'], setsOf: Map<string, Addresses>) {
    const shared = TRANSPORTS.filter((t) => sip.transports[t] !== undefined && (listening[t]?.length ?? 0) > 0);
    if (shared.length === 0) {
      const theirs = TRANSPORTS.filter((t) => sip.transports[t] !== undefined);
      throw new InputError(
        '--sip-ports',
        `${provider.id} speaks SIP over ${theirs.join(', ')} only and the PBX listens on none of them`,
        `let the PBX listen on one, e.g. --sip-ports ${theirs[0]}:${sip.transports[theirs[0]!]}`,
      );
    }
    for (const family of input.families) {
      const addresses = setsOf.get(`sip:${family}`);
      if (!addresses) continue;
      for (const protocol of ['udp', 'tcp'] as const) {
        const onWire = shared.filter((t) => l4Of(t) === protocol);
        if (onWire.length === 0) continue;
        const names = onWire.join('+');
        const local = unionPorts(onWire.flatMap((t) => (listening[t] ?? []).map((p) => ({ from: p, to: p }))));
        const remote = unionPorts(onWire.map((t) => ({ from: sip.transports[t]!, to: sip.transports[t]! })));
        const base = { provider: provider.id, role: 'sip' as const, family, protocol };
        addFlow(base, addresses, { in: ['any', local], out: ['any', remote] }, `${provider.name} SIP ${names}`, '');
      }
    }
  }

  function addMediaTerms(provider: Provider, media: NonNullable<Provider['media']>, setsOf: Map<string, Addresses>) {
    const perFamily: Array<[Family | 'both', Addresses]> = [];
    if (media.addresses === 'any') {
      perFamily.push([input.families.length === 2 ? 'both' : input.families[0]!, ANY_ADDRESS]);
    } else {
      for (const family of input.families) {
        const addresses = setsOf.get(`media:${family}`);
        if (addresses) perFamily.push([family, addresses]);
      }
    }
    const theirPorts: Ports = media.providerPorts;
    for (const [family, addresses] of perFamily) {
      const base = { provider: provider.id, role: 'media' as const, family, protocol: 'udp' as const };
      const origin = addresses.kind === 'any' ? ' (any address)' : '';
      addFlow(base, addresses, { in: [theirPorts, rtp], out: [rtp, theirPorts] }, `${provider.name} RTP`, origin);
    }
  }

  if (terms.length === 0) {
    const offered = ([4, 6] as const).filter((f) => input.providers.some((p) => [...(p.sip?.addresses ?? []), ...(p.media?.addresses === 'any' || !p.media ? [] : p.media.addresses)].some((a) => a.family === f)));
    const use = offered.length === 0 ? 'check the profiles' : `use --family ${offered.length === 2 ? 'dual' : `ipv${offered[0]}`}`;
    throw new InputError('--family', `no rule left for ${input.families.map((f) => `IPv${f}`).join('+')}: the providers publish ${offered.length === 0 ? 'no address' : `IPv${offered.join(' and IPv')} addresses only`}`, use);
  }
  const media = input.providers.filter((p) => p.media);
  if (media.length > 0 && rtp.length > 0) {
    const from = media.some((p) => p.media!.addresses === 'any') ? 'every address' : "the providers' media addresses";
    warnings.push(...rtpWarnings(rtp, sipPorts.udp ?? [], from));
  }
  if (input.host.notOpened) notes.push(`Not opened: ${input.host.notOpened}.`);
  // Grouped by the prefix that holds them; linear in the number subsumed (a feed may repeat one
  // prefix a million times), and only the prefixes shown are written out.
  const groups = new Map<string, Array<Policy['subsumed'][number]>>();
  const noted = notes.length;
  for (const s of subsumed) {
    const key = `${s.set} ${s.by.family} ${String(s.by.network)}/${s.by.length}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  let more = 0;
  for (const inside of groups.values()) {
    // A header note stays short: the full list is in --json (subsumed).
    if (notes.length >= noted + SUBSUMED_SHOWN) {
      more += inside.length;
      continue;
    }
    const shown = inside.slice(0, SUBSUMED_SHOWN).map((s) => formatPrefix(s.prefix));
    if (inside.length > SUBSUMED_SHOWN) shown.push(`and ${inside.length - SUBSUMED_SHOWN} more`);
    notes.push(`${shown.join(', ')} ${inside.length === 1 ? 'lies' : 'lie'} inside ${formatPrefix(inside[0]!.by)} (${inside[0]!.set}): no rules of their own.`);
  }
  if (more > 0) notes.push(`${more} more ${more === 1 ? 'prefix lies' : 'prefixes lie'} inside ${groups.size - SUBSUMED_SHOWN} other prefixes of the lists: no rules of their own (--json lists them).`);

  return {
    providers: input.providers,
    host,
    families: input.families,
    directions,
    statefulReturn: true,
    sets,
    terms,
    ...(input.ssh === undefined ? {} : { ssh: sshAccess(input.ssh, input.families, warnings) }),
    notes,
    warnings,
    subsumed,
  };
}

/** SIP addresses with the (usually few) gateways merged in, in a second pass. */
function withGateways(base: Collapsed, gateways: readonly Prefix[]): Collapsed {
  if (gateways.length === 0) return base;
  const merged = collapse([...base.prefixes, ...gateways]);
  return { prefixes: merged.prefixes, subsumed: [...base.subsumed, ...merged.subsumed] };
}

function samePrefixes(a: readonly Prefix[], b: readonly Prefix[]): boolean {
  return a.length === b.length && a.every((p, i) => p.network === b[i]!.network && p.length === b[i]!.length);
}

/** The RTP range media arrives at: the preset's or --rtp-ports, else what the providers instruct. */
function resolveHostRtp(input: PolicyInput, notes: string[], warnings: string[]): PortRange[] {
  const withMedia = input.providers.filter((p) => p.media);
  const instructed = withMedia.filter((p) => p.media?.hostPorts);
  const explicit = input.rtpPorts ?? input.host.rtp;
  if (explicit) {
    const origin = input.rtpPorts ? '--rtp-ports' : `the ${input.host.preset} preset`;
    for (const p of instructed) {
      const theirs = formatRanges(p.media!.hostPorts!);
      if (theirs !== formatRanges(explicit)) {
        notes.push(
          `${p.name} documents RTP to ${theirs}; media arrives where the PBX's SDP says, so ${origin}'s ${formatRanges(explicit)} is opened instead.`,
        );
      }
    }
    return unionPorts(explicit);
  }
  if (withMedia.length === 0) return [];
  const missing = withMedia.filter((p) => !p.media?.hostPorts).map((p) => p.id);
  if (instructed.length === 0) {
    throw new InputError(
      '--rtp-ports',
      `${missing.join(', ')} state no RTP range for the PBX side and no PBX range was given`,
      'name the PBX with --pbx asterisk|freepbx|freeswitch|3cx or give its range, e.g. --rtp-ports 10000-20000',
    );
  }
  const range = unionPorts(instructed.flatMap((p) => p.media!.hostPorts!));
  const message =
    `no --pbx or --rtp-ports: RTP is opened on ${formatRanges(range)} as documented by ${instructed.map((p) => p.name).join(' and ')}; ` +
    `the PBX's own RTP range must match (e.g. Asterisk rtp.conf rtpstart/rtpend) or calls get one-way audio`;
  notes.push(message);
  warnings.push(message);
  return range;
}

function sshAccess(ssh: NonNullable<PolicyInput['ssh']>, families: readonly Family[], warnings: string[]): SshAccess {
  if (ssh.sources === 'any') return { port: ssh.port, sources: 'any' };
  const sources: Addresses[] = [];
  for (const family of families) {
    const list = ssh.sources.filter((p) => p.family === family);
    if (list.length === 0) continue;
    const prefixes = collapse(list).prefixes;
    if (coversEveryAddress(prefixes, family)) {
      warnings.push(`--ssh-from ${prefixes.map(formatPrefix).join(', ')} covers every IPv${family} address: SSH is open to all of them, as without --ssh-from`);
    } else warnings.push(...addressWarnings('--ssh-from', prefixes, family));
    // Provider set names end in _v4/_v6 (ids have no "_"), so this name cannot collide with one.
    sources.push({ kind: 'set', set: { name: `ssh_allowed_ipv${family}`, family, prefixes, description: `SSH IPv${family}` } });
  }
  return { port: ssh.port, sources };
}
