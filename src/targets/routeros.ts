/**
 * MikroTik RouterOS: address lists and filter rules in a script for /import or the terminal.
 * Facts: target-formats.md §2.10 — hyphen ranges, comma lists, `/ipv6 firewall` for IPv6,
 * rules placed before the chain's first drop rule (`place-before`), re-runs remove what carries
 * the sipwall tag first. No offline parser exists: goldens plus grammar assertions in tests.
 *
 * Two places (issue 17.4), chosen by --routeros-chain. `input` (the default) protects the router
 * itself. `forward` protects a PBX behind it (--pbx-address): its traffic is dst-natted and then
 * passes chain=forward, never chain=input. MikroTik's default configuration drops new
 * connections from WAN in forward only when they were not dst-natted ("defconf: drop all from WAN
 * not DSTNATed", connection-nat-state=!dstnat), so the source restriction must sit on the dst-nat
 * rules themselves: sipwall writes them, one per inbound IPv4 flow, restricted to the provider's
 * address list, plus forward accepts for the PBX's address. IPv6 has no NAT: forward accepts only.
 */
import { coreError } from '../errors/catalogue.js';
import type { Policy, Ports } from '../policy/types.js';
import { formatPorts, lower, setCidrs, type LoweredRule } from './lower.js';
import { NameBook } from './names.js';
import { headerLines } from './header.js';
import { eachLine } from './lines.js';
import { routerosString } from './quote.js';
import { renderTemplate } from './templates.js';
import { type RenderOptions, type RenderResult, type Target, type TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'routeros',
  title: 'MikroTik RouterOS (.rsc script: address lists + filter rules)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['rsc'],
  modes: ['standalone'],
  capabilities: { outbound: true, sourcePorts: true, dualFamilyRule: false, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: { commentBytes: 255 , lineSource: 'none documented (help.mikrotik.com Scripting: a line ends at LF, CR LF or CR; a comment at the end of its line)'},
  apply: '`/import file-name=routeros.rsc`',
  rerun: 'removes `sipwall:` rules and `sipwall-*` lists, re-adds before the first drop',
  flags: {
    routerosChain: 'protect the router itself (input, the default) or a PBX behind it (forward, with dst-nat; needs --pbx-address)',
    pbxAddress: "with --routeros-chain forward: the PBX's address behind the router, one per family (192.168.88.10,2001:db8::10)",
  },
  validators: ['golden files + grammar assertions (no offline parser exists)'],
};

const listName = (setName: string) => `sipwall-${setName.replaceAll('_', '-')}`;
const ports = (key: string, p: Ports) => (p === 'any' ? [] : [`${key}=${formatPorts(p, '-')}`]);

/** The PBX behind the router, per family (--pbx-address), when the rules sit in chain=forward. */
type Forward = Partial<Record<4 | 6, string>>;

/** The chain a rule sits in: input/output for the router itself, forward for a PBX behind it. */
const chainOf = (direction: 'in' | 'out', forward: Forward | undefined) => (forward ? 'forward' : direction === 'in' ? 'input' : 'output');

/** The words that match a rule's packets: protocol, the provider's side, the PBX's side, ports. */
function matchWords(rule: LoweredRule, pbx: string | undefined): string[] {
  const inbound = rule.direction === 'in';
  return [
    `protocol=${rule.protocol}`,
    ...(rule.remote === 'any' ? [] : [`${inbound ? 'src' : 'dst'}-address-list=${listName(rule.remote.name)}`]),
    ...(pbx === undefined ? [] : [`${inbound ? 'dst' : 'src'}-address=${pbx}`]),
    ...ports('src-port', inbound ? rule.remotePorts : rule.localPorts),
    ...ports('dst-port', inbound ? rule.localPorts : rule.remotePorts),
  ];
}

function filterRule(rule: LoweredRule, variable: string, forward: Forward | undefined): string {
  const pbx = forward?.[rule.family as 4 | 6];
  const words = ['add', `chain=${chainOf(rule.direction, forward)}`, 'action=accept', ...matchWords(rule, pbx), `comment=${routerosString(`sipwall: ${rule.description}`)}`, `place-before=$${variable}`];
  return words.join(' ');
}

/** The dst-nat of one inbound IPv4 flow to the PBX, restricted like the flow (in-interface-list=WAN). */
function natRule(rule: LoweredRule, pbx: string): string {
  const words = ['add', 'chain=dstnat', 'action=dst-nat', 'in-interface-list=WAN', ...matchWords(rule, undefined), `to-addresses=${pbx}`, `comment=${routerosString(`sipwall: ${rule.description} to the PBX`)}`];
  return words.join(' ');
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const rules = lower(policy, meta, options.form);
  const forward = options.routerosChain === 'forward' ? pbxAddresses(policy, options) : undefined;
  const families = policy.families.map((family) => {
    const own = rules.filter((r) => r.family === family);
    const lists: string[] = [];
    const seen = new Set<string>();
    const names = new NameBook('routeros', 'address list');
    for (const r of own) {
      if (r.remote === 'any' || seen.has(r.remote.name)) continue;
      seen.add(r.remote.name);
      const comment = routerosString(`sipwall: ${r.remote.description}`);
      lists.push(eachLine(`add list=${names.claim(listName(r.remote.name), r.remote.description)} address=`, setCidrs(r.remote), ` comment=${comment}`));
    }
    const chains = [...new Set(own.map((r) => chainOf(r.direction, forward)))].map((chain) => {
      // One variable per menu and chain: a second :local of one name in a block is an error.
      const variable = `sipwallBefore${family}${chain}`;
      return { chain, variable, rules: own.filter((r) => chainOf(r.direction, forward) === chain).map((r) => filterRule(r, variable, forward)).join('\n') };
    });
    const nat = forward && family === 4 ? own.filter((r) => r.direction === 'in').map((r) => natRule(r, forward[4]!)).join('\n') : '';
    // IPv4 only: /ipv6 firewall nat does not exist before RouterOS 7.
    return { menu: family === 4 ? 'ip' : 'ipv6', lists: lists.join('\n'), chains, nat, natMenu: forward !== undefined && family === 4, count: own.length };
  }).filter((f) => f.count > 0);
  const how = forward ? howForward(forward) : [
    'Chain: input. These rules protect the router itself; for a PBX behind it, render with --routeros-chain forward --pbx-address ADDRESS.',
    'Apply: /import file-name=routeros.rsc (or paste it). Rules go before the first drop rule of each chain; re-running removes every rule and address list that sipwall wrote before.',
    'Keep your "accept established,related" rule above the drop: the return traffic of these flows needs it.',
  ];
  // A `\` at the end of a line continues it in RouterOS, comments included.
  const view = { headerLines: headerLines(policy, options, how, [], (l) => l.replaceAll('\\', '/')), families, forward: forward !== undefined };
  return { files: [{ name: 'routeros.rsc', content: renderTemplate('routeros', view, options.templates), mode: 0o644 }], warnings: [] };
}

/** The PBX's address for each family the policy covers, or a named error. */
function pbxAddresses(policy: Policy, options: RenderOptions): Forward {
  const given = options.pbxAddresses ?? {};
  for (const family of policy.families) {
    if (given[family] === undefined) {
      throw coreError('E_PBX_ADDRESS', { family });
    }
  }
  return given;
}

function howForward(forward: Forward): string[] {
  const pbx = Object.values(forward).join(' and ');
  return [
    `Chain: forward, for the PBX at ${pbx} behind this router (after dst-nat, its traffic never passes chain=input).`,
    'IPv4: dst-nat rules in /ip firewall nat send each provider flow from WAN (interface list WAN, as in the default configuration) to the PBX, restricted to the provider\'s addresses: the default "drop all from WAN not DSTNATed" then drops everyone else. Remove a dst-nat of your own for the same ports without a source restriction, or it forwards strangers too.',
    'Apply: /import file-name=routeros.rsc (or paste it). Filter rules go before the first drop rule of each chain; re-running removes every rule, dst-nat and address list that sipwall wrote before.',
    'Keep your "accept established,related" rule in chain=forward above the drop: the return traffic of these flows needs it.',
  ];
}

export const routeros: Target = { meta, render };
