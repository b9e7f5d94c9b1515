/** Turns render flags into policy input and render options; every error names its flag. */
import type { Family } from '../net/address.js';
import { parseCidr, type Prefix } from '../net/cidr.js';
import { cliError } from '../errors/cli.js';
import { parsePort, parsePortList, type PortRange } from '../net/ports.js';
import { DEFAULT_HOST } from '../providers/pbx.js';
import { findPbxPreset } from '../providers/registry.js';
import { TRANSPORTS, type HostProfile, type Transport } from '../providers/types.js';

export function parseFamilies(value: string): Family[] {
  switch (value) {
    case 'ipv4':
      return [4];
    case 'ipv6':
      return [6];
    case 'dual':
      return [4, 6];
    default:
      throw cliError('E_FAMILY', { value });
  }
}

/** `udp:5060,tcp:5060,tls:5061` → listening ports per transport. */
export function parseSipPorts(value: string): Partial<Record<Transport, number[]>> {
  const out: Partial<Record<Transport, number[]>> = {};
  for (const item of value.split(',')) {
    const [transport, port, extra] = item.trim().split(':');
    if (!TRANSPORTS.includes(transport as Transport) || port === undefined || extra !== undefined) {
      throw cliError('E_SIP_PORTS', { item });
    }
    const list = (out[transport as Transport] ??= []);
    list.push(parsePort(port, '--sip-ports'));
  }
  return out;
}

export function parseRtpPorts(value: string): PortRange[] {
  const ranges = parsePortList(value, '--rtp-ports');
  if (ranges.length === 1 && ranges[0]!.from === ranges[0]!.to) {
    throw cliError('E_RTP_SINGLE_PORT', { value });
  }
  return ranges;
}

/** A whole number flag within [min, max] (yargs gives NaN for `abc`, and takes -5 or 1.5). */
export function parseWhole(flag: string, value: unknown, min: number, max: number, example: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw cliError('E_FLAG_WHOLE', { flag, value: String(value), min, max, example });
  }
  return value;
}

export function hostFor(pbx: string | undefined): HostProfile {
  return pbx === undefined ? DEFAULT_HOST : findPbxPreset(pbx);
}

export function parseSsh(enabled: boolean, port: unknown, from: readonly string[] | undefined): { port: number; sources: Prefix[] | 'any' } | undefined {
  if (!enabled) return undefined;
  const sources = from && from.length > 0 ? from.flatMap((s) => s.split(',')).map((s) => parseCidr(s, '--ssh-from')) : 'any';
  return { port: parsePort(port, '--ssh-port'), sources };
}

