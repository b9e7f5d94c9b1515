/**
 * nftables: one `inet sipwall` table (standalone) or one chain inside the user's table (into).
 * Facts: shared/reference/target-formats.md §2.2 (hyphen ranges, `flags interval` for prefixes,
 * `delete table` prologue because a re-load merges set elements, no `destroy` in nft 1.0.6).
 */
import { coreError } from '../errors/catalogue.js';
import { formatPrefixShort } from '../net/cidr.js';
import { formatPortRange } from '../net/ports.js';
import { replyOf, type Addresses, type AddressSet, type Direction, type Policy, type Ports, type Term } from '../policy/types.js';
import { NameBook } from './names.js';
import { headerLines, INTO_NOTE, STANDALONE_WARNING } from './header.js';
import { warning } from '../errors/warnings.js';
import { nftString, shellWord } from './quote.js';
import { renderTemplate } from './templates.js';
import { type RenderOptions, type RenderResult, type Target, type TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'nftables',
  title: 'nftables (nft -f file or shell script)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['restore', 'shell'],
  modes: ['standalone', 'into'],
  capabilities: { outbound: true, sourcePorts: true, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: { commentBytes: 128 , lineSource: 'none: nft reads its input with a flex scanner that grows its buffer (an 800 kB line tested); the shell form is sh, which has none either'},
  into: { input: 'FAMILY/TABLE/CHAIN, e.g. inet/filter/input', output: 'FAMILY/TABLE/CHAIN in the same table, e.g. inet/filter/output' },
  apply: '`nft -f`',
  rerun: 'replaces table/chain',
  validators: ['nft -c -f'],
  check: 'nft',
};

/** Where sipwall's chains live. */
interface Place {
  readonly family: 'inet' | 'ip' | 'ip6';
  readonly table: string;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** Parses `--into inet/filter/input`. */
export function parseChainRef(value: string | undefined, flag: 'into' | 'into-output'): Place & { chain: string } {
  const parts = (value ?? '').split('/');
  const [family, table, chain] = parts;
  if (parts.length !== 3 || !['inet', 'ip', 'ip6'].includes(family!) || !IDENTIFIER.test(table!) || !IDENTIFIER.test(chain!)) {
    throw coreError('E_INTO_SYNTAX_NFT', { option: flag, value: value ?? '' });
  }
  return { family: family as Place['family'], table: table!, chain: chain! };
}

const ICMP_V4 = '{ destination-unreachable, time-exceeded, parameter-problem, echo-request }';
const ICMP_V6 =
  '{ destination-unreachable, packet-too-big, time-exceeded, parameter-problem, echo-request, ' +
  'nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert }';

type Hooks = Partial<Record<Direction, Place & { chain: string }>>;

/** Where the rules go: sipwall's own table, or the user's chains named by --into and --into-output. */
function placeOf(policy: Policy, options: RenderOptions): { place: Place; hooks: Hooks } {
  if (options.mode !== 'into') return { place: { family: 'inet', table: 'sipwall' }, hooks: {} };
  const hooks: Hooks = { in: parseChainRef(options.into, 'into') };
  const place = hooks.in!;
  if (policy.directions.includes('out')) {
    hooks.out = parseChainRef(options.intoOutput, 'into-output');
    if (hooks.out.family !== place.family || hooks.out.table !== place.table) {
      throw coreError('E_INTO_TABLE', { family: place.family, table: place.table });
    }
  }
  return { place, hooks };
}

/** The header's lines on what the file is and how to apply it. */
function howLines(policy: Policy, options: RenderOptions, hooks: Hooks, where: string, fileName: string): string[] {
  const shell = options.form === 'shell';
  if (options.mode !== 'into') {
    return [STANDALONE_WARNING, shell ? `Apply: sh ${fileName} (run as root).` : `Apply: nft -f ${fileName} (atomic; re-running replaces table inet sipwall).`];
  }
  return [
    `Into: sipwall owns chain(s) ${policy.directions.map(chainName).join(', ')} in table ${where}; re-running replaces them atomically.`,
    INTO_NOTE,
    shell ? `Apply: sh ${fileName} (adds the jump rule once; run as root).` : `Apply: nft -f ${fileName}; once: ${hookCommands(hooks).map((h) => h.insert).join('; ')}`,
  ];
}

const chainName = (d: Direction) => `sipwall_${d}`;

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const into = options.mode === 'into';
  const warnings: string[] = into ? [] : [warning('W_STANDALONE', {})];
  const { place, hooks } = placeOf(policy, options);
  checkFamilies(policy, place);

  // Standalone: named sets in sipwall's own table (deleted with it). Into: anonymous sets inside
  // the rules, so `flush chain` removes every address of an earlier run; named sets would
  // outlive a provider that was dropped from the command.
  const setRef = into
    ? (s: AddressSet) => `{ ${s.prefixes.map(formatPrefixShort).join(', ')} }`
    : (s: AddressSet) => `@${s.name}`;
  const chains = policy.directions.map((d) => ({
    name: chainName(d),
    rules: [
      ...policy.terms.filter((t) => t.direction === d).map((t) => termRule(t, setRef)),
      // Into: return traffic of the providers' flows only (standalone accepts all of it in its base chain).
      ...(into ? policy.terms.filter((t) => t.direction !== d).map((t) => termRule(replyOf(t), setRef, 'ct state established,related')) : []),
    ],
  }));
  const setNames = new NameBook('nftables', 'set');
  const sshSets = !into && policy.ssh && policy.ssh.sources !== 'any' ? policy.ssh.sources : [];
  const sets = into
    ? []
    : [...policy.sets, ...sshSets.flatMap((a) => (a.kind === 'set' ? [a.set] : []))].map((s) => ({
        name: setNames.claim(s.name, s.description),
        type: s.family === 4 ? 'ipv4_addr' : 'ipv6_addr',
        elements: s.prefixes.map(formatPrefixShort).join(',\n\t\t\t'),
      }));

  const baseChains = into ? [] : standaloneBaseChains(policy, chainName, warnings);
  const where = `${place.family} ${place.table}`;
  const fileName = options.form === 'shell' ? 'nftables.sh' : 'nftables.nft';
  const how = howLines(policy, options, hooks, where, fileName);
  const view = {
    headerLines: headerLines(policy, options, how),
    standalone: !into,
    where,
    sets,
    baseChains,
    chains,
    hooks: hookCommands(hooks),
  };
  const content = renderTemplate(options.form === 'shell' ? 'nftables-shell' : 'nftables', view, options.templates);
  return { files: [{ name: fileName, content, mode: options.form === 'shell' ? 0o755 : 0o644 }], warnings };
}

/** A table of family ip cannot hold IPv6 addresses (and ip6 no IPv4): refuse, never drop. */
function checkFamilies(policy: Policy, place: Place): void {
  if (place.family === 'inet') return;
  const foreign = place.family === 'ip' ? 6 : 4;
  const term = policy.terms.find((t) => t.family === foreign);
  if (term) {
    throw coreError('E_FAMILY_UNSUPPORTED', { family: place.family, table: place.table, foreign, term: term.name });
  }
}

function addressMatch(a: Addresses, field: 'saddr' | 'daddr', setRef: (s: AddressSet) => string): string[] {
  if (a.kind === 'any') return [];
  return [`${a.set.family === 4 ? 'ip' : 'ip6'} ${field} ${setRef(a.set)}`];
}

function portValue(ports: Exclude<Ports, 'any'>): string {
  const items = ports.map((r) => formatPortRange(r, '-'));
  return items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
}

/** The rule for one term, e.g. `ip saddr @flynumber_sip_v4 udp dport 5060 counter accept comment "…"`. */
export function termRule(t: Term, setRef: (s: AddressSet) => string, state?: string): string {
  const parts = [...(state ? [state] : []), ...addressMatch(t.sources, 'saddr', setRef), ...addressMatch(t.destinations, 'daddr', setRef)];
  // A family-specific term without an address set still must not match the other family.
  if (parts.length === (state ? 1 : 0) && t.family !== 'both') parts.push(`meta nfproto ${t.family === 4 ? 'ipv4' : 'ipv6'}`);
  if (t.sourcePorts !== 'any') parts.push(`${t.protocol} sport ${portValue(t.sourcePorts)}`);
  if (t.destinationPorts !== 'any') parts.push(`${t.protocol} dport ${portValue(t.destinationPorts)}`);
  if (t.sourcePorts === 'any' && t.destinationPorts === 'any') parts.push(`meta l4proto ${t.protocol}`);
  return `${parts.join(' ')} counter accept comment ${nftString(`sipwall: ${t.description}`)}`;
}

function standaloneBaseChains(policy: Policy, chainName: (d: Direction) => string, warnings: string[]) {
  const input = [
    'iif "lo" accept',
    'ct state established,related accept comment "return traffic"',
    `meta l4proto icmp icmp type ${ICMP_V4} accept`,
    `meta l4proto ipv6-icmp icmpv6 type ${ICMP_V6} accept`,
    'ct state invalid drop',
    ...sshRules(policy),
    ...(policy.directions.includes('in') ? [`jump ${chainName('in')}`] : []),
  ];
  // A dedicated PBX host forwards nothing (iptables standalone sets FORWARD DROP too).
  const chains = [
    { name: 'input', hook: 'input', rules: input },
    { name: 'forward', hook: 'forward', rules: [] as string[] },
  ];
  if (policy.directions.includes('out')) {
    warnings.push(warning('W_STANDALONE_OUTPUT', {}));
    chains.push({
      name: 'output',
      hook: 'output',
      rules: [
        'oif "lo" accept',
        'ct state established,related accept comment "return traffic"',
        'meta l4proto { icmp, ipv6-icmp } accept',
        'meta l4proto { tcp, udp } th dport 53 accept comment "DNS"',
        `jump ${chainName('out')}`,
      ],
    });
  }
  return chains;
}

function sshRules(policy: Policy): string[] {
  if (!policy.ssh) return [];
  const tail = `tcp dport ${policy.ssh.port} accept comment "ssh"`;
  if (policy.ssh.sources === 'any') return [tail];
  return policy.ssh.sources.map((a) => (a.kind === 'set' ? `${a.set.family === 4 ? 'ip' : 'ip6'} saddr @${a.set.name} ${tail}` : tail));
}

function hookCommands(hooks: Partial<Record<Direction, Place & { chain: string }>>) {
  return Object.entries(hooks).map(([d, h]) => {
    const target = `sipwall_${d}`;
    const chain = `${h.family} ${h.table} ${h.chain}`;
    return {
      list: `nft list chain ${chain}`,
      pattern: shellWord(`jump ${target}( |$)`),
      insert: `nft insert rule ${chain} jump ${target} comment ${shellWord('"sipwall"')}`,
    };
  });
}

export const nftables: Target = { meta, render };
