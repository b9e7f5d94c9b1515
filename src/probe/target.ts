/**
 * What a user names as a SIP target: `pbx.example.com`, `pbx.example.com:5070`, `203.0.113.5`,
 * `[2001:db8::1]:5060`, or a SIP URI such as `sip:+13025551234@abc.sip.vapi.ai;transport=tcp`.
 * Everything that goes into a header is checked here, so no input can add a header line. Pure.
 */
import { HOSTNAME } from '../text/names.js';
import { commandError } from '../errors/commands.js';
import { parseAddress } from '../net/address.js';
import { InputError } from '../net/errors.js';

export type Transport = 'udp' | 'tcp' | 'tls';
export const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'tls'];

export interface SipTarget {
  /** As the user wrote it. */
  readonly input: string;
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  /** A host name, or an IP address without brackets. */
  readonly host: string;
  readonly ip: 4 | 6 | undefined;
  readonly port: number | undefined;
  /** From `;transport=` (or `sips:`, which means TLS). */
  readonly transport: Transport | undefined;
}

/** RFC 3261 user part: unreserved, escaped and user-unreserved characters. */
const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,?/%]{1,128}$/;

function bad(input: string, name: string, problem: string): InputError {
  return commandError('E_SIP_TARGET', { name, text: input.replace(/[^ -~]/g, '?').slice(0, 100), problem });
}

function port(text: string, input: string, name: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) throw bad(input, name, `has port ${text.slice(0, 10)}, outside 1-65535`);
  return n;
}

/** Parses one target; `name` is the input it came from (e.g. `target` or `hosts.txt line 3`). */
export function parseSipTarget(input: string, name = 'target'): SipTarget {
  const text = input.trim();
  if (text === '' || /[^!-~]|[<>"]/.test(text)) throw bad(input, name, 'is not a SIP target');
  let rest = text;
  let scheme: 'sip' | 'sips' = 'sip';
  let user: string | undefined;
  let transport: Transport | undefined;
  const uri = /^(sips?):(.*)$/i.exec(rest);
  if (uri) {
    scheme = uri[1]!.toLowerCase() as 'sip' | 'sips';
    rest = uri[2]!;
    const [hostPart, ...params] = rest.split(';');
    rest = hostPart!;
    for (const p of params) {
      const [k, v] = p.split('=', 2);
      if (k?.toLowerCase() !== 'transport') continue;
      const t = v?.toLowerCase();
      if (t !== 'udp' && t !== 'tcp' && t !== 'tls') throw bad(input, name, `has transport=${(v ?? '').slice(0, 10)}; sipwall speaks udp, tcp and tls`);
      transport = t;
    }
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      user = rest.slice(0, at);
      rest = rest.slice(at + 1);
      if (!USER.test(user)) throw bad(input, name, 'has a user part with characters a SIP URI cannot hold');
    }
    if (scheme === 'sips') {
      if (transport !== undefined && transport !== 'tls') throw bad(input, name, `is a sips: URI with transport=${transport}; sips: needs TLS`);
      transport = 'tls';
    }
  } else if (text.includes(';') || text.includes('@')) {
    throw bad(input, name, 'has ; or @ but is no sip: URI');
  }
  let host = rest;
  let portNumber: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) portNumber = port(bracketed[2], input, name);
    if (parseAddress(host)?.family !== 6) throw bad(input, name, 'has brackets around something that is no IPv6 address');
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const i = rest.indexOf(':');
    host = rest.slice(0, i);
    portNumber = port(rest.slice(i + 1), input, name);
  }
  const address = parseAddress(host);
  if (!address && !HOSTNAME.test(host)) throw bad(input, name, 'has no valid host name or IP address');
  return { input: text, scheme, user, host: address ? address.text : host, ip: address?.family, port: portNumber, transport };
}

/** RFC 3261 §19.1.2 defaults: 5060, or 5061 for TLS. */
export function defaultPort(transport: Transport): number {
  return transport === 'tls' ? 5061 : 5060;
}

/** The Request-URI of an OPTIONS to the target. */
export function requestUri(target: SipTarget): string {
  const host = target.ip === 6 ? `[${target.host}]` : target.host;
  const port = target.port === undefined ? '' : `:${target.port}`;
  const transport = target.transport === undefined || target.scheme === 'sips' ? '' : `;transport=${target.transport}`;
  return `${target.scheme}:${target.user === undefined ? '' : `${target.user}@`}${host}${port}${transport}`;
}
