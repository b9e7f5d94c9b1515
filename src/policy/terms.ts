/**
 * Stage 2 of the policy: the terms. Per provider, SIP per layer-4 protocol and family from the
 * transports both sides speak, and media per family; each flow once per filtered direction. Pure.
 */
import { coreError } from '../errors/catalogue.js';
import type { Family } from '../net/address.js';
import { unionPorts, type PortRange } from '../net/ports.js';
import { l4Of, TRANSPORTS, type HostProfile, type Provider } from '../providers/types.js';
import type { ProviderSets, Role } from './sets.js';
import { ANY_ADDRESS, type Addresses, type Direction, type Ports, type Term } from './types.js';

export interface TermsInput {
  readonly providers: readonly Provider[];
  readonly families: readonly Family[];
  readonly directions: readonly Direction[];
  /** What the PBX listens on for SIP, and the RTP range media arrives at. */
  readonly host: { readonly sip: HostProfile['sip']; readonly rtp: PortRange[] };
  readonly addresses: ProviderSets['addresses'];
}

type Flow = Pick<Term, 'provider' | 'role' | 'family' | 'protocol'> & {
  readonly remote: Addresses;
  /** [source, destination] ports in each direction. */
  readonly ports: Record<Direction, [Ports, Ports]>;
  /** Description without the direction; `suffix` follows the direction. */
  readonly description: string;
  readonly suffix: string;
};

export function policyTerms(input: TermsInput): Term[] {
  const flows = input.providers.flatMap((provider) => {
    const addresses = (role: Role, family: Family) => input.addresses.get(provider.id)?.get(`${role}:${family}`);
    return [...(provider.sip ? sipFlows(provider, provider.sip, input, addresses) : []), ...(provider.media ? mediaFlows(provider, provider.media, input, addresses) : [])];
  });
  return flows.flatMap((flow) => input.directions.map((direction) => termOf(flow, direction)));
}

/** One flow in one direction: the remote side is the source inbound and the destination outbound. */
export function termOf(flow: Flow, direction: Direction): Term {
  const [sourcePorts, destinationPorts] = flow.ports[direction];
  const family = flow.family === 'both' ? '' : `-v${flow.family}`;
  return {
    name: `${flow.provider}-${flow.role}-${flow.protocol}-${direction}${family}`,
    provider: flow.provider,
    role: flow.role,
    family: flow.family,
    protocol: flow.protocol,
    direction,
    sources: direction === 'in' ? flow.remote : ANY_ADDRESS,
    destinations: direction === 'in' ? ANY_ADDRESS : flow.remote,
    sourcePorts,
    destinationPorts,
    description: `${flow.description} ${direction}${flow.suffix}`,
  };
}

type Lookup = (role: Role, family: Family) => Addresses | undefined;

function sipFlows(provider: Provider, sip: NonNullable<Provider['sip']>, input: TermsInput, addresses: Lookup): Flow[] {
  const listening = input.host.sip;
  const shared = TRANSPORTS.filter((t) => sip.transports[t] !== undefined && (listening[t]?.length ?? 0) > 0);
  if (shared.length === 0) {
    const spoken = TRANSPORTS.filter((t) => sip.transports[t] !== undefined);
    throw coreError('E_NO_SHARED_TRANSPORT', { provider: provider.id, spoken, port: sip.transports[spoken[0]!]! });
  }
  const flows: Flow[] = [];
  for (const family of input.families) {
    const remote = addresses('sip', family);
    if (!remote) continue;
    for (const protocol of ['udp', 'tcp'] as const) {
      const onWire = shared.filter((t) => l4Of(t) === protocol);
      if (onWire.length === 0) continue;
      const local = unionPorts(onWire.flatMap((t) => (listening[t] ?? []).map((p) => ({ from: p, to: p }))));
      const remotePorts = unionPorts(onWire.map((t) => ({ from: sip.transports[t]!, to: sip.transports[t]! })));
      flows.push({ provider: provider.id, role: 'sip', family, protocol, remote, ports: { in: ['any', local], out: ['any', remotePorts] }, description: `${provider.name} SIP ${onWire.join('+')}`, suffix: '' });
    }
  }
  return flows;
}

function mediaFlows(provider: Provider, media: NonNullable<Provider['media']>, input: TermsInput, addresses: Lookup): Flow[] {
  const perFamily: Array<[Family | 'both', Addresses]> = [];
  if (media.addresses === 'any') perFamily.push([input.families.length === 2 ? 'both' : input.families[0]!, ANY_ADDRESS]);
  else {
    for (const family of input.families) {
      const remote = addresses('media', family);
      if (remote) perFamily.push([family, remote]);
    }
  }
  const { rtp } = input.host;
  // No host range resolved (PolicyInput.media false): no media flow to open.
  if (rtp.length === 0) return [];
  return perFamily.map(([family, remote]) => ({
    provider: provider.id,
    role: 'media',
    family,
    protocol: 'udp',
    remote,
    ports: { in: [media.providerPorts, rtp], out: [rtp, media.providerPorts] },
    description: `${provider.name} RTP`,
    suffix: remote.kind === 'any' ? ' (any address)' : '',
  }));
}
