/** Provider and host profiles after parsing: every address and port already checked. */
import type { Prefix } from '../net/cidr.js';
import type { PortRange } from '../net/ports.js';

/** SIP transports; tls runs over tcp. */
export type Transport = 'udp' | 'tcp' | 'tls';
export const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'tls'];

/** The layer-4 protocol a transport uses on the wire. */
export function l4Of(t: Transport): 'udp' | 'tcp' {
  return t === 'udp' ? 'udp' : 'tcp';
}

export interface SipRole {
  /** Where the provider's SIP signalling comes from and goes to. */
  readonly addresses: Prefix[];
  /** Individual gateway addresses the provider lists; usually inside `addresses`. */
  readonly gateways: Prefix[];
  /** Port the provider uses on its side for each transport it supports. */
  readonly transports: Partial<Record<Transport, number>>;
}

export interface MediaRole {
  /** Where media comes from; `any` when the provider's media addresses are dynamic. */
  readonly addresses: Prefix[] | 'any';
  /** Ports on the provider's side (source ports inbound, destination ports outbound). */
  readonly providerPorts: PortRange[] | 'any';
  /** The provider's instruction for the destination range on the PBX side, if it gives one. */
  readonly hostPorts?: PortRange[];
}

export interface Provider {
  /** Kebab-case id used on the command line and in rule names. */
  readonly id: string;
  readonly name: string;
  /** Where the facts come from (URL). */
  readonly source: string;
  /** When `source` was read, YYYY-MM-DD. */
  readonly retrieved: string;
  readonly notes?: string;
  readonly sip?: SipRole;
  readonly media?: MediaRole;
}

/** What the PBX host listens on. */
export interface HostProfile {
  /** Preset id (asterisk, freepbx, ...) or `custom`. */
  readonly preset: string;
  readonly title: string;
  /** Listening ports per transport. A transport absent here is not opened. */
  readonly sip: Partial<Record<Transport, number[]>>;
  /** The PBX's local RTP range; undefined until a preset, a flag or a provider fixes it. */
  readonly rtp?: PortRange[];
  /** Ports the PBX also uses but that sipwall does not open to providers (3CX tunnel). */
  readonly notOpened?: string;
  /** Where the defaults come from. */
  readonly source?: string;
}
