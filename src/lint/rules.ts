/**
 * `sipwall lint`: the settings of a SIP forwarding (the provider's "SIP Forwarding" contact
 * method) checked against what the destination needs, before a call fails. Every rule says where
 * its fact comes from (../shared/reference/flynumber-sip-forwarding.txt unless said). Pure: the
 * DNS answer and the rendered RTP range come in as data.
 */
import { E164, HOSTNAME, UUID_TEXT } from '../text/names.js';
import { parseAddress } from '../net/address.js';
import { formatPortRange, type PortRange } from '../net/ports.js';

export const PLATFORMS = ['vapi', 'livekit', 'elevenlabs', 'retell', 'bland', 'asterisk', 'freepbx', '3cx', 'freeswitch', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const NETWORKS = ['ipv4-only', 'ipv6-only', 'dualstack', 'ipv4-preferred', 'ipv6-preferred'] as const;
export type Network = (typeof NETWORKS)[number];
export type LintTransport = 'udp' | 'tcp' | 'tls';

/** One forwarding as the provider's panel holds it (User and "Process 30X redirects" aside). */
export interface Forwarding {
  /** What the findings call it: the config's name, or `the forwarding`. */
  readonly name: string;
  readonly platform?: Platform;
  readonly username?: string;
  readonly domain: string;
  readonly port: number;
  readonly transport: LintTransport;
  readonly network: Network;
}

/** What was looked up or read for the rules that need more than the settings. */
export interface Facts {
  /** --resolve: whether the domain has an AAAA record; undefined when not looked up. */
  readonly aaaa?: boolean;
  /** --pbx: the preset's RTP range; --rules: the RTP ranges the rendered rules open. */
  readonly pbxRtp?: { readonly preset: string; readonly range: readonly PortRange[] };
  readonly renderedRtp?: readonly PortRange[];
}

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  readonly code: string;
  readonly forwarding: string;
  readonly reason: string;
  readonly fix: string;
}

const VAPI_DOMAIN = new RegExp(`^${UUID_TEXT}\\.sip\\.vapi\\.ai$`, 'i');

/** The platform a domain belongs to, when its name says so. */
export function platformOf(domain: string): Platform | undefined {
  if (/(^|\.)sip\.vapi\.ai\.?$/i.test(domain)) return 'vapi';
  if (/(^|\.)sip\.livekit\.cloud\.?$/i.test(domain)) return 'livekit';
  return undefined;
}

const isHost = (domain: string) => HOSTNAME.test(domain) || parseAddress(domain.replace(/^\[|\]$/g, '')) !== undefined;
const covered = (inner: readonly PortRange[], outer: readonly PortRange[]) => inner.every((r) => outer.some((o) => o.from <= r.from && r.to <= o.to));
const ranges = (rs: readonly PortRange[]) => rs.map((r) => formatPortRange(r, '-')).join(',');

type Rule = (f: Forwarding, facts: Facts, platform: Platform | undefined) => Omit<Finding, 'forwarding'> | undefined;

/** The rules, each with the fact it rests on. */
export const RULES: Readonly<Record<string, Rule>> = {
  // "Username must be the DID in E.164 … LiveKit returns 404 Not Found … The call won't appear in
  // the LiveKit dashboard at all"; VAPI: "Username: Your FlyNumber in E.164 format".
  L_USERNAME_E164: (f, _, p) =>
    (p === 'livekit' || p === 'vapi') && !E164.test(f.username ?? '')
      ? {
          severity: 'error',
          code: 'L_USERNAME_E164',
          reason: `username "${f.username ?? ''}" is not the number in E.164: ${p === 'livekit' ? 'LiveKit matches the To user against the trunk\'s numbers and answers 404 Not Found at the trunk layer; the call never shows in its dashboard' : 'VAPI finds the phone number by the user part'}`,
          fix: 'set the username to the DID in E.164, e.g. +13025551234',
        }
      : undefined,
  // "ElevenLabs: TLS required; UDP not supported"; TLS on 5061.
  L_ELEVENLABS_TLS: (f, _, p) =>
    p === 'elevenlabs' && f.transport !== 'tls'
      ? { severity: 'error', code: 'L_ELEVENLABS_TLS', reason: `ElevenLabs takes SIP over TLS only, and the transport is ${f.transport.toUpperCase()}`, fix: 'choose TLS on port 5061 (ask the provider\'s support to enable TLS for the account)' }
      : undefined,
  // "Retell AI: TCP, TLS"; "Bland AI: TCP, TLS".
  L_TCP_OR_TLS: (f, _, p) =>
    (p === 'retell' || p === 'bland') && f.transport === 'udp'
      ? { severity: 'error', code: 'L_TCP_OR_TLS', reason: `${p === 'retell' ? 'Retell AI' : 'Bland AI'} takes SIP over TCP or TLS, not UDP`, fix: 'choose TCP (port 5060) in the panel, or TLS (5061)' }
      : undefined,
  // "Port: 5060 for UDP/TCP, 5061 for TLS".
  L_PORT_TRANSPORT: (f) =>
    (f.port === 5061 && f.transport !== 'tls') || (f.port === 5060 && f.transport === 'tls')
      ? { severity: 'warning', code: 'L_PORT_TRANSPORT', reason: `port ${f.port} with ${f.transport.toUpperCase()}: 5060 is SIP over UDP and TCP, 5061 over TLS`, fix: f.transport === 'tls' ? 'use port 5061 with TLS, unless the destination says otherwise' : 'use port 5060, or choose TLS for 5061' }
      : undefined,
  // "Domain: The SIP domain or IP address".
  L_DOMAIN: (f) =>
    !isHost(f.domain)
      ? { severity: 'error', code: 'L_DOMAIN', reason: `domain "${f.domain}" is not a host name or an IP address`, fix: 'give the destination\'s host name (e.g. pbx.example.com) or address, without sip:, a user or a port' }
      : undefined,
  // "Domain: {credential_id}.sip.vapi.ai (use your actual credential ID)" — a UUID.
  L_VAPI_DOMAIN: (f, _, p) =>
    p === 'vapi' && isHost(f.domain) && !VAPI_DOMAIN.test(f.domain)
      ? { severity: 'error', code: 'L_VAPI_DOMAIN', reason: `domain "${f.domain}" is not <credential-id>.sip.vapi.ai: VAPI finds the BYO SIP trunk by the credential id in the domain`, fix: 'use the id of the BYO SIP trunk credential, e.g. a1b2c3d4-5678-90ab-cdef-1234567890ab.sip.vapi.ai (sipwall render --target vapi-trunk)' }
      : undefined,
  // "IPv6 Only: When your system only supports IPv6" — a name without AAAA has no IPv6 to call.
  L_IPV6_NO_AAAA: (f, facts) =>
    f.network === 'ipv6-only' && facts.aaaa === false
      ? { severity: 'error', code: 'L_IPV6_NO_AAAA', reason: `IPv6 Only, and ${f.domain} has no AAAA record: the provider has no IPv6 address to send the call to`, fix: 'choose IPv4 Only (the most common) or Dualstack' }
      : undefined,
  // The firewall opens the rendered range; the PBX offers its preset's (pbx-defaults.md).
  L_RTP_NOT_COVERED: (_, facts) =>
    facts.pbxRtp && facts.renderedRtp && !covered(facts.pbxRtp.range, facts.renderedRtp)
      ? { severity: 'error', code: 'L_RTP_NOT_COVERED', reason: `the ${facts.pbxRtp.preset} RTP range ${ranges(facts.pbxRtp.range)} is not all open in the rendered rules (${ranges(facts.renderedRtp) || 'none'}): calls get one-way audio`, fix: `render the rules again with --pbx ${facts.pbxRtp.preset}, or set the PBX's RTP range to what they open` }
      : undefined,
};

/** Every finding for `forwarding`, errors first. */
export function lint(forwarding: Forwarding, facts: Facts = {}): Finding[] {
  const platform = forwarding.platform ?? platformOf(forwarding.domain);
  const found = Object.values(RULES).flatMap((rule) => {
    const f = rule(forwarding, facts, platform);
    return f ? [{ ...f, forwarding: forwarding.name }] : [];
  });
  return [...found.filter((f) => f.severity === 'error'), ...found.filter((f) => f.severity === 'warning')];
}
