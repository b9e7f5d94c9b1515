/**
 * VAPI's side of a forwarded number: the body of a BYO SIP trunk credential (POST
 * https://api.vapi.ai/credential) with each of the provider's gateways as a gateway of its own,
 * inbound calls and OPTIONS pings on, and the forwarding settings to enter at the provider.
 *
 * Facts: ../shared/reference/flynumber-sip-forwarding.txt ("VAPI Example": a BYO SIP trunk, not a
 * standard credential, which answers "Service Unavailable"; every gateway IP its own gateway with
 * Inbound Calls and Options Ping on; domain {credential_id}.sip.vapi.ai, username the number in
 * E.164, port 5060; UDP by default, TCP or TLS); @vapi-ai/server-sdk 2.0.1 (SipTrunkGateway: an
 * inbound gateway is an IPv4 address; netmask 24-32 in Vapi's OpenAPI schema). The body is made
 * with JSON.stringify; a test type-checks it against the SDK's own types.
 */
import { coreError } from '../errors/catalogue.js';
import { formatPrefix, type Prefix } from '../net/cidr.js';
import type { Policy } from '../policy/types.js';
import { headerLines } from './header.js';
import { subsumedNotes } from '../policy/notes.js';
import { renderTemplate } from './templates.js';
import { AI_PLATFORM, trunkNotes, trunksOf } from './trunks.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'vapi-trunk',
  title: "VAPI BYO SIP trunk credential (the provider's gateways) and the forwarding settings",
  ...AI_PLATFORM,
  limits: { commentBytes: 0, lineSource: 'none: JSON, and a text file to read', other: ['inbound gateways: IPv4, netmask 24-32'] },
  flags: {
    number: 'the numbers the provider forwards, in E.164 (+13025551234,...): the username of each forwarding',
    vapiCredential: "the BYO SIP trunk credential's id once created: the forwarding domain is <id>.sip.vapi.ai",
  },
  apply: 'POST the body to api.vapi.ai/credential; settings at the provider',
  rerun: 'a new credential each POST (PATCH the existing one to change it)',
  validators: ["@vapi-ai/server-sdk's types (tsc, tests)", 'JSON.parse and the gateway rules (tests)'],
};

/** VAPI's SIP ports per transport (shared/reference/vapi-sip-networking.txt: 5060, TLS 5061). */
const VAPI_PORTS = { udp: 5060, tcp: 5060, tls: 5061 } as const;

/** The gateways of one provider: the ones its profile lists, else its SIP prefixes (IPv4, /24 or longer). */
function gateways(provider: string, listed: readonly Prefix[], sip: readonly Prefix[]): Prefix[] {
  const chosen = listed.length > 0 ? listed : sip;
  const v6 = chosen.find((p) => p.family === 6) ?? sip.find((p) => p.family === 6);
  if (v6) throw coreError('E_VAPI_IPV6', { provider });
  const wide = chosen.find((p) => p.length < 24);
  if (wide) throw coreError('E_VAPI_NETMASK', { provider, prefix: formatPrefix(wide) });
  return [...chosen];
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const numbers = options.numbers ?? [];
  if (numbers.length === 0) throw coreError('E_NUMBER_NEEDED', { target: meta.id, why: 'the username of each forwarding is the number in E.164' });
  const trunks = trunksOf(policy, meta.id);
  const providers = new Map(policy.providers.map((p) => [p.id, p]));
  const ips = trunks.flatMap((t) => gateways(t.provider, providers.get(t.provider)!.sip?.gateways.filter((g) => policy.families.includes(g.family)) ?? [], t.prefixes));
  const body = {
    provider: 'byo-sip-trunk',
    name: `sipwall ${trunks.map((t) => t.provider).join(' ')}`.slice(0, 40),
    gateways: ips.map((p) => ({
      ip: formatPrefix(p).split('/')[0]!,
      ...(p.length < 32 ? { netmask: p.length } : {}),
      inboundEnabled: true,
      outboundEnabled: false,
      optionsPingEnabled: true,
    })),
  };
  // The transports both sides speak, VAPI's default (UDP) first.
  const spoken = new Set(trunks.flatMap((t) => Object.keys(providers.get(t.provider)!.sip?.transports ?? {})));
  const [first, ...others] = (['udp', 'tcp', 'tls'] as const).filter((t) => spoken.has(t)).map((t) => ({ transport: t.toUpperCase(), port: VAPI_PORTS[t] }));
  const how = [
    'What to do, in this order:',
    '1. Create the BYO SIP trunk credential (not a standard one: that answers "Service Unavailable"):',
    '   curl -sS -X POST https://api.vapi.ai/credential -H "Authorization: Bearer $VAPI_API_KEY" -H "Content-Type: application/json" --data @vapi-credential.json',
    '2. Register each number in VAPI as a BYO phone number on that credential, and give it your assistant.',
    '3. Enter the forwarding below at the provider.',
  ];
  // The firewall's note that listed gateways "lie inside" a prefix, with "no rules of their own",
  // says the opposite of this file, which lists them: it is left out here.
  const inside = new Set(subsumedNotes(policy.subsumed));
  const view = {
    headerLines: headerLines({ ...policy, notes: policy.notes.filter((n) => !inside.has(n)) }, options, how, trunkNotes(policy)),
    domain: `${options.vapiCredential ?? '<credential-id>'}.sip.vapi.ai`,
    placeholder: options.vapiCredential === undefined,
    numbers,
    ...(first ?? { transport: 'UDP', port: VAPI_PORTS.udp }),
    others: others.map((o) => `${o.transport} port ${o.port}`).join(', '),
    gateways: body.gateways.map((g) => `${g.ip}${g.netmask === undefined ? '' : `/${g.netmask}`}`),
  };
  return {
    files: [
      { name: 'vapi-credential.json', content: `${JSON.stringify(body, null, 2)}\n`, mode: 0o644 },
      { name: 'forwarding.txt', content: renderTemplate('vapi-trunk', view, options.templates), mode: 0o644 },
    ],
    warnings: [],
  };
}

export const vapiTrunk: Target = { meta, render };
