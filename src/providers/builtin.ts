/**
 * Built-in provider profiles, as data. Each fact comes from the provider's own page; the copies
 * read are in shared/reference/ (flynumber-sip-forwarding.txt, vapi-sip-networking.txt).
 */
import type { RawProfile } from './schema.js';
import type { Transport } from './types.js';

export const BUILTIN_PROFILES: readonly RawProfile[] = [
  {
    id: 'flynumber',
    name: 'FlyNumber',
    source: 'https://www.flynumber.com/ (help centre: Contact Methods > SIP Forwarding, "IP Whitelisting")',
    retrieved: '2026-11-23',
    notes:
      'SIP 46.19.208.0/21 in both directions; the five gateways lie inside it. RTP: the page opens ' +
      'udp 16384-32767 as destination ports from 46.19.208.0/21 in its own iptables example.',
    roles: {
      sip: {
        addresses: ['46.19.208.0/21'],
        gateways: ['46.19.209.14', '46.19.210.14', '46.19.212.14', '46.19.213.14', '46.19.214.14'],
        transports: { udp: 5060, tcp: 5060, tls: 5061 },
      },
      media: {
        addresses: ['46.19.208.0/21'],
        providerPorts: 'any',
        hostPorts: '16384-32767',
      },
    },
  },
  {
    id: 'vapi',
    name: 'VAPI',
    source: 'https://docs.vapi.ai/advanced/sip/sip-networking ("SIP networking and firewall configuration")',
    retrieved: '2026-11-23',
    notes:
      'SIP from the two SBCs 44.229.228.186 and 44.238.177.138 (5060 udp/tcp, 5061 tls). Media from ' +
      'dynamic addresses: any source, udp, ports 40000-60000 on VAPI\'s side.',
    roles: {
      sip: {
        addresses: ['44.229.228.186/32', '44.238.177.138/32'],
        transports: { udp: 5060, tcp: 5060, tls: 5061 },
      },
      media: {
        addresses: 'any',
        providerPorts: '40000-60000',
      },
    },
  },
];

/**
 * AI voice platforms the FlyNumber page names that publish no IP ranges there (issue 18): what
 * the page states of their transports and ports, and nothing else. sipwall renders no firewall
 * rule for them (it never invents a range); `providers` shows them, and `--provider ID` names
 * what is missing.
 */
export interface PlatformWithoutRanges {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly retrieved: string;
  /** The transports the page lists for the platform. */
  readonly transports: readonly Transport[];
  /** The ports the page states, where it states one. */
  readonly ports: Partial<Record<Transport, number>>;
  /** The page's words on the platform. */
  readonly notes: string;
}

const FLYNUMBER_PAGE = 'https://www.flynumber.com/ (help centre: Contact Methods > SIP Forwarding, "AI Voice Platforms")';

export const PLATFORMS_WITHOUT_RANGES: readonly PlatformWithoutRanges[] = [
  {
    id: 'livekit',
    name: 'LiveKit',
    source: FLYNUMBER_PAGE,
    retrieved: '2026-11-23',
    transports: ['udp', 'tcp', 'tls'],
    ports: { udp: 5060, tls: 5061 },
    notes: 'LiveKit listens on UDP/5060 by default; with secure trunking, TCP/TLS on port 5061. It enforces IP restrictions only when allowedAddresses is set on the inbound trunk.',
  },
  {
    id: 'elevenlabs',
    name: 'ElevenLabs',
    source: FLYNUMBER_PAGE,
    retrieved: '2026-11-23',
    transports: ['tls'],
    ports: { tls: 5061 },
    notes: 'TLS required; UDP not supported (5061 is the page\'s port for TLS).',
  },
  {
    id: 'retell',
    name: 'Retell AI',
    source: FLYNUMBER_PAGE,
    retrieved: '2026-11-23',
    transports: ['tcp', 'tls'],
    ports: {},
    notes: 'TCP or TLS; the page says to check their current documentation.',
  },
  {
    id: 'bland',
    name: 'Bland AI',
    source: FLYNUMBER_PAGE,
    retrieved: '2026-11-23',
    transports: ['tcp', 'tls'],
    ports: {},
    notes: 'TCP or TLS; the page says to check their current documentation.',
  },
];
