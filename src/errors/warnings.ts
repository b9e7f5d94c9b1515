/**
 * Every warning `render` can print, in one catalogue beside the errors' (catalogue.ts): a code,
 * the data it is built from, and the text — what is wrong, what it means for the calls or the
 * host, and what to do — as a function of that data. A warning never stops a run; `--strict`
 * turns the ones that mean a term was widened into errors (E_STRICT_SOURCE_PORTS). The core
 * names concepts, shown as the CLI's flags by `flag`. test/errors/warnings.test.ts renders every
 * entry from its example and checks each is raised; docs/errors.md lists them. Pure.
 */
import { flag, list } from './concepts.js';

interface WarningEntry<D> {
  readonly text: (data: D) => string;
  /** Data the test and docs/errors.md render the entry with. */
  readonly example: D;
}

const entry = <D>(e: WarningEntry<D>): WarningEntry<D> => e;
const RTP_FIX = `give its real range with ${flag('pbx')} or ${flag('rtp-ports')}`;

export const WARNINGS = {
  // Breadth of what the policy opens (src/policy/breadth.ts, sets.ts, build.ts).
  W_ADDRESSES_BROAD: entry<{ label: string; count: bigint; family: 4 | 6; like: number }>({
    text: (d) => `${d.label} covers ${d.count} IPv${d.family} addresses, as many as a /${d.like}: far more than a provider's gateways; check the profile or flag`,
    example: { label: 'acme SIP', count: 16777216n, family: 4, like: 8 },
  }),
  W_ADDRESS_SPECIAL: entry<{ label: string; prefix: string; inside: boolean; special: string; what: string }>({
    text: (d) => `${d.label}: ${d.prefix} ${d.inside ? 'lies in' : 'includes'} ${d.special} (${d.what})`,
    example: { label: 'acme SIP', prefix: '10.1.0.0/16', inside: true, special: '10.0.0.0/8', what: 'private, RFC 1918' },
  }),
  W_ADDRESSES_EVERY: entry<{ label: string; prefixes: readonly string[] }>({
    text: (d) => `${d.label}: ${list(d.prefixes)} ${d.prefixes.length === 1 ? 'covers' : 'cover'} every address; the rule matches any address`,
    example: { label: 'acme SIP', prefixes: ['0.0.0.0/1', '128.0.0.0/1'] },
  }),
  W_SSH_EVERY: entry<{ prefixes: readonly string[]; family: 4 | 6 }>({
    text: (d) => `${flag('ssh-from')} ${list(d.prefixes)} covers every IPv${d.family} address: SSH is open to all of them, as without ${flag('ssh-from')}`,
    example: { prefixes: ['0.0.0.0/0'], family: 4 },
  }),
  W_RTP_BROAD: entry<{ range: string; size: number; from: string; max: number }>({
    text: (d) => `the RTP range ${d.range} opens ${d.size} UDP ports to ${d.from}: a PBX uses at most ${d.max} (Asterisk 10000-20000, FreeSWITCH 16384-32768); ${RTP_FIX}`,
    example: { range: '1-65535', size: 65535, from: 'every address', max: 32768 },
  }),
  W_RTP_LOW_PORTS: entry<{ range: string; from: string }>({
    text: (d) => `the RTP range ${d.range} holds UDP ports below 1024 (DNS, NTP, SNMP and other services), open to ${d.from}`,
    example: { range: '500-2000', from: "the providers' media addresses" },
  }),
  W_RTP_HOLDS_SIP: entry<{ range: string; ports: readonly number[]; from: string }>({
    text: (d) => `the RTP range ${d.range} holds the SIP port ${d.ports.join(', ')}: UDP SIP is open to ${d.from}, not only to the providers' signalling addresses`,
    example: { range: '5000-6000', ports: [5060], from: 'every address' },
  }),
  W_RTP_FROM_PROVIDER: entry<{ range: string; providers: readonly string[] }>({
    text: (d) =>
      `no ${flag('pbx')} or ${flag('rtp-ports')}: RTP is opened on ${d.range} as documented by ${d.providers.join(' and ')}; ` +
      `the PBX's own RTP range must match (e.g. Asterisk rtp.conf rtpstart/rtpend) or calls get one-way audio`,
    example: { range: '40000-60000', providers: ['FlyNumber'] },
  }),

  // The profiles (src/providers/parse.ts) and the templates (src/cli/templates.ts).
  W_PROFILE_STALE: entry<{ id: string; retrieved: string; age: number; max: number; source: string }>({
    text: (d) => `profile ${d.id} was retrieved ${d.retrieved} (${d.age} days ago, over ${d.max}): re-check ${d.source} for changed addresses or ports`,
    example: { id: 'acme', retrieved: '2025-01-02', age: 335, max: 180, source: 'https://example.com/acme-sip' },
  }),
  W_TEMPLATE_UNUSED: entry<{ name: string }>({
    text: (d) => `${flag('templates')}: ${d.name}.hbs replaces a template this run does not use (a template of another target or form)`,
    example: { name: 'ufw' },
  }),

  // The contract check (src/targets/contract.ts).
  W_SOURCE_PORTS_WIDENED: entry<{ term: string; target: string; protocol: string; ports: string }>({
    text: (d) => `${d.term}: ${d.target} cannot match source ports; this rule accepts any ${d.protocol} source port, not only ${d.ports}.`,
    example: { term: 'acme-sip-udp-in-v4', target: 'gcp', protocol: 'udp', ports: '5060' },
  }),

  // Targets.
  W_STANDALONE: entry<Record<string, never>>({
    text: () => `standalone mode writes a complete host firewall (input and forward policy drop); on a host with its own firewall use ${flag('into')}`,
    example: {},
  }),
  W_STANDALONE_OUTPUT: entry<Record<string, never>>({
    text: () => `Standalone with ${flag('direction')} out: output policy drop; only loopback, DNS, ICMP, return traffic and the SIP/RTP rules leave the host.`,
    example: {},
  }),
  W_IPSET_HINT: entry<{ largest: number }>({
    text: (d) => `an address list has ${d.largest} prefixes: ${flag('ipset')} matches it in one rule instead of ${d.largest}`,
    example: { largest: 5000 },
  }),
  W_AWS_GROUPS: entry<{ count: number; limit: number; max: number }>({
    text: (d) => `the rules need ${d.count} security groups: above the default of ${d.limit} per network interface; raise the quota (up to ${d.max}) before attaching them`,
    example: { count: 7, limit: 5, max: 16 },
  }),
  W_AWS_OUTBOUND: entry<Record<string, never>>({
    text: () => 'A new security group allows all outbound traffic: remove that default rule, or the outbound rules change nothing.',
    example: {},
  }),
  W_FIREWALLD_OUTBOUND: entry<Record<string, never>>({
    text: () => 'sipwall-out only accepts: firewalld lets everything out unless your own policy or zone drops outbound traffic.',
    example: {},
  }),
} as const;

export type WarningCode = keyof typeof WARNINGS;
type DataOf<C extends WarningCode> = (typeof WARNINGS)[C]['example'];

/** The text of warning `code` with `data`: one line for stderr and `--json`'s `warnings`. */
export function warning<C extends WarningCode>(code: C, data: DataOf<C>): string {
  return (WARNINGS[code] as unknown as WarningEntry<DataOf<C>>).text(data);
}
