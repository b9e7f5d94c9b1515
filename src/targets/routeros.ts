/**
 * MikroTik RouterOS: address lists and filter rules in a script for /import or the terminal.
 * Facts: target-formats.md §2.10 — hyphen ranges, comma lists, `/ipv6 firewall` for IPv6,
 * rules placed before the chain's first drop rule (`place-before`), re-runs remove what carries
 * the sipwall tag first. No offline parser exists: goldens plus grammar assertions in tests.
 */
import type { Policy, Ports } from '../policy/types.js';
import { formatPorts, lower, setCidrs, type LoweredRule } from './lower.js';
import { NameBook } from './names.js';
import { headerLines } from './header.js';
import { eachLine } from './lines.js';
import { routerosString } from './quote.js';
import { renderTemplate } from './templates.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'routeros',
  title: 'MikroTik RouterOS (.rsc script: address lists + filter rules)',
  rangeSeparator: '-',
  forms: ['rsc'],
  modes: ['standalone'],
  capabilities: { outbound: true, sourcePorts: true, dualFamilyRule: false, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: { commentBytes: 255 , lineSource: 'none documented (help.mikrotik.com Scripting: a line ends at LF, CR LF or CR; a comment at the end of its line)'},
  apply: '`/import file-name=routeros.rsc`',
  rerun: 'removes `sipwall:` rules and `sipwall-*` lists, re-adds before the first drop',
  validators: ['golden files + grammar assertions (no offline parser exists)'],
};

const listName = (setName: string) => `sipwall-${setName.replaceAll('_', '-')}`;
const ports = (key: string, p: Ports) => (p === 'any' ? [] : [`${key}=${formatPorts(p, '-')}`]);

function filterRule(rule: LoweredRule, variable: string): string {
  const inbound = rule.direction === 'in';
  const words = [
    'add',
    `chain=${inbound ? 'input' : 'output'}`,
    'action=accept',
    `protocol=${rule.protocol}`,
    ...(rule.remote === 'any' ? [] : [`${inbound ? 'src' : 'dst'}-address-list=${listName(rule.remote.name)}`]),
    ...ports('src-port', inbound ? rule.remotePorts : rule.localPorts),
    ...ports('dst-port', inbound ? rule.localPorts : rule.remotePorts),
    `comment=${routerosString(`sipwall: ${rule.description}`)}`,
    `place-before=$${variable}`,
  ];
  return words.join(' ');
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const rules = lower(policy, meta, options.form);
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
    const chains = (['in', 'out'] as const)
      .filter((d) => own.some((r) => r.direction === d))
      .map((d) => {
        const chain = d === 'in' ? 'input' : 'output';
        // One variable per menu and chain: a second :local of one name in a block is an error.
        const variable = `sipwallBefore${family}${chain}`;
        return { chain, variable, rules: own.filter((r) => r.direction === d).map((r) => filterRule(r, variable)).join('\n') };
      });
    return { menu: family === 4 ? 'ip' : 'ipv6', lists: lists.join('\n'), chains, count: own.length };
  }).filter((f) => f.count > 0);
  const how = [
    'Apply: /import file-name=routeros.rsc (or paste it). Rules go before the first drop rule of each chain; re-running removes every rule and address list that sipwall wrote before.',
    'Keep your "accept established,related" rule above the drop: the return traffic of these flows needs it.',
  ];
  // A `\` at the end of a line continues it in RouterOS, comments included.
  const view = { headerLines: headerLines(policy, options, how, [], (l) => l.replaceAll('\\', '/')), families };
  return { files: [{ name: 'routeros.rsc', content: renderTemplate('routeros', view, options.templates), mode: 0o644 }], warnings: [] };
}

export const routeros: Target = { meta, render };
