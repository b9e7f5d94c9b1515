/**
 * Built-in provider profiles, as data. Each fact comes from the provider's own page; the copies
 * read are in shared/reference/ (flynumber-sip-forwarding.txt, vapi-sip-networking.txt).
 */
import type { RawProfile } from './schema.js';

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
