/**
 * pfSense and OPNsense: aliases plus `<filter>` rules in config.xml shape. Facts:
 * target-formats.md §2.5/§2.6 — rule `<port>` takes `N` or `N-M` (hyphen) or one alias; a port
 * alias holds `N` and `N:M` (colon); alias names < 32 chars of [A-Za-z0-9_] and never a service
 * name (every sipwall alias starts with `sipwall_`, which no service or keyword does); at most
 * 5,000 entries per alias (GUI cap), so longer lists become several aliases and rules;
 * `inet46` only with aliases or any. A restore area replaces a whole section: --pfsense-config
 * merges into an exported config instead (src/targets/pfsense-merge.ts).
 */
import type { PortRange } from '../net/ports.js';
import type { AddressSet, Policy, Ports } from '../policy/types.js';
import { chunk, formatPorts, lower, setCidrs, type LoweredRule } from './lower.js';
import { fitName, NameBook, shortHash } from './names.js';
import { headerLines } from './header.js';
import { mergePfsenseConfig, prepareMerge, TRACKER_BASE } from './pfsense-merge.js';
import { xmlComment, xmlText } from './quote.js';
import { renderTemplate } from './templates.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

/** pfSense's GUI cap on alias entries ($max_alias_addresses). */
export const ALIAS_ENTRIES_MAX = 5000;
/** pfSense's is_validaliasname(): fewer than 32 characters. */
const ALIAS_NAME_MAX = 31;

export type Variant = 'pfsense' | 'opnsense';

/** What pfSense and OPNsense share in their meta: the config.xml alias and rule limits. */
export const CONFIG_XML_LIMITS: TargetMeta['limits'] = { commentBytes: 255, lineSource: 'none: config.xml is read by an XML parser', other: [`${ALIAS_ENTRIES_MAX} entries per alias (longer lists are split)`, 'alias names < 32 characters of A-Z a-z 0-9 _'] };

export const meta: TargetMeta = {
  id: 'pfsense',
  title: 'pfSense config.xml aliases and rules (or a merged exported config)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['xml'],
  modes: ['standalone'],
  capabilities: { outbound: false, sourcePorts: true, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: CONFIG_XML_LIMITS,
  flags: {
    interface: 'interface the rules sit on (default wan)',
    pfsenseConfig: "an exported config.xml; writes it back with the sipwall aliases and rules merged in, before the interface's first rule",
    pfsenseAfter: 'with --pfsense-config: place the rules right after your rule with this tracker instead',
  },
  apply: 'paste, or `--pfsense-config exported.xml` → merged config.xml',
  rerun: 'merge replaces `sipwall_*` aliases and `sipwall:` rules',
  validators: ['xmllint --noout', 'XPath assertions (tests)'],
  check: 'xml',
};

export function aliasName(base: string, index = 0): string {
  return fitName(`sipwall_${base.replaceAll('-', '_')}${index > 0 ? `_${index + 1}` : ''}`, ALIAS_NAME_MAX, '_');
}

/** A uuid-shaped id derived from a name, so the same input gives the same file. */
function stableUuid(name: string): string {
  const hex = [0, 1, 2, 3].map((i) => shortHash(`${i}:${name}`)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface Alias {
  readonly name: string;
  readonly type: 'network' | 'port';
  readonly entries: readonly string[];
  readonly descr: string;
}

/** The aliases of one render, in the order made: address sets and port lists, each made once. */
class Aliases {
  readonly all = new Map<string, Alias>();
  private readonly names: NameBook;
  private readonly ofSets = new Map<AddressSet, string[]>();
  private readonly ofPortLists = new Map<string, string>();
  constructor(variant: Variant) {
    this.names = new NameBook(variant, 'alias');
  }

  /** The alias names of a set (split at ALIAS_ENTRIES_MAX), made once however many rules use it. */
  ofSet(set: AddressSet): string[] {
    let names = this.ofSets.get(set);
    if (!names) {
      names = chunk(setCidrs(set), ALIAS_ENTRIES_MAX).map((entries, i) => {
        const name = this.names.claim(aliasName(set.name, i), `${set.description} part ${i + 1}`);
        this.all.set(name, { name, type: 'network', entries, descr: `sipwall: ${set.description}` });
        return name;
      });
      this.ofSets.set(set, names);
    }
    return names;
  }

  /** One range goes into the rule as `N` or `N-M`; a list needs a port alias (`N:M` entries), shared by equal lists. */
  portField(ports: Ports, rule: LoweredRule): string | undefined {
    if (ports === 'any') return undefined;
    if (ports.length === 1) return formatPorts(ports, '-');
    const entries = ports.map((r: PortRange) => formatPorts([r], ':'));
    const key = entries.join(' ');
    let name = this.ofPortLists.get(key);
    if (name === undefined) {
      name = this.names.claim(aliasName(`ports_${this.ofPortLists.size + 1}`), `port list ${key}`);
      this.ofPortLists.set(key, name);
      this.all.set(name, { name, type: 'port', entries, descr: `sipwall: ports of ${rule.description}` });
    }
    return name;
  }
}

/** The header's lines on how to apply the file. */
function howLines(variant: Variant, options: RenderOptions, iface: string): string[] {
  if (variant === 'opnsense' && options.form === 'legacy-xml') {
    return [
      'Legacy form, for OPNsense before 26.7: rules in <filter>, which 26.7 no longer edits (its legacy rules pages moved to a plugin); use the default form there.',
      'Apply: add the aliases (Firewall > Aliases, or the API: alias addItem then reconfigure) and the rules (Firewall > Rules) as shown, or merge both into an exported config.xml.',
      `Rules sit on interface ${iface} with destination any: behind NAT, forward the same ports to the PBX.`,
    ];
  }
  if (variant === 'opnsense') {
    return [
      'Rules in the current rule model (OPNsense/Firewall/Filter, Firewall > Rules), aliases in the alias model (OPNsense/Firewall/Alias): merge both into an exported config.xml under <OPNsense><Firewall>, or enter them through the GUI or the API.',
      `The rules carry sequence 1 and up, so that they come before your own rules on ${iface} (OPNsense uses the first rule that matches); renumber yours if they also start at 1.`,
      `Rules sit on interface ${iface} with destination any: behind NAT, forward the same ports to the PBX.`,
    ];
  }
  return [
    options.baseConfig === undefined
      ? 'Apply: paste the <alias> and <rule> elements into the same sections of an exported config.xml, or let sipwall merge them with --pfsense-config FILE. Restoring one area (Aliases, Firewall Rules) replaces that whole section.'
      : 'Apply: Diagnostics > Backup & Restore > Restore, area All, with this merged config.xml (the sipwall_* aliases and "sipwall:" rules of earlier runs are replaced).',
    `Rules sit on interface ${iface} with destination any: behind NAT, forward the same ports to the PBX (Firewall > NAT) and these rules pass them.`,
  ];
}

export function renderConfigXml(variant: Variant, meta: TargetMeta, policy: Policy, options: RenderOptions): RenderResult {
  const rules = lower(policy, meta, options.form);
  const iface = options.interface ?? 'wan';
  const aliases = new Aliases(variant);
  const rendered = rules.flatMap((rule) => {
    const sources = rule.remote === 'any' ? [undefined] : aliases.ofSet(rule.remote);
    const sourcePort = aliases.portField(rule.remotePorts, rule);
    const destinationPort = aliases.portField(rule.localPorts, rule);
    return sources.map((alias) => ({
      interface: iface,
      ipprotocol: rule.family === 'both' ? 'inet46' : rule.family === 4 ? 'inet' : 'inet6',
      protocol: rule.protocol,
      // An alias, or any address: pfSense writes <any></any>, OPNsense <any>1</any>.
      sourceAlias: alias ?? '',
      // OPNsense's rule model (Firewall/Filter): a network or alias field, protocols in capitals (ProtocolField).
      sourceNet: alias ?? 'any',
      protocolName: rule.protocol.toUpperCase(),
      anyValue: variant === 'pfsense' ? '' : '1',
      sourcePort,
      destinationPort,
      descr: xmlText(`sipwall: ${rule.description}`.slice(0, 255)),
      key: `${rule.name}:${alias ?? 'any'}`,
    }));
  });
  // The export is read once: where the rules go is known before the header is written.
  const merge = options.baseConfig === undefined ? undefined : prepareMerge(options.baseConfig, iface, options.pfsenseAfter);
  const placement = merge === undefined ? [] : [merge.placement.text];
  const headers = headerLines(policy, options, [...howLines(variant, options, iface), ...placement], [], xmlComment);
  const aliasList = [...aliases.all.values()];
  const view = {
    headerLines: headers,
    aliases: aliasList.map((a) => ({
      name: a.name,
      type: a.type,
      uuid: stableUuid(a.name),
      descr: xmlText(a.descr.slice(0, 255)),
      ...(variant === 'pfsense' ? { address: a.entries.join(' '), detail: 'sipwall||'.repeat(a.entries.length).slice(0, -2) } : { content: a.entries.join('\n') }),
    })),
    rules: rendered.map((r, i) => ({ ...r, tracker: TRACKER_BASE + i, sequence: i + 1, uuid: stableUuid(r.key) })),
  };
  // OPNsense writes its current rule model, or (--form legacy-xml) the <filter> rules of releases before 26.7.
  const template = variant === 'opnsense' && options.form === 'legacy-xml' ? 'opnsense-legacy' : variant;
  const fragment = renderTemplate(template, view, options.templates);
  const largest = Math.max(0, ...aliasList.map((a) => a.entries.length));
  const budget = [{ what: 'entries in the largest alias', used: largest, limit: ALIAS_ENTRIES_MAX }];
  if (merge !== undefined) {
    return { files: [{ name: 'config.xml', content: mergePfsenseConfig(merge, fragment), mode: 0o600 }], warnings: [], budget };
  }
  return { files: [{ name: `${variant}.xml`, content: fragment, mode: 0o644 }], warnings: [], budget };
}

export const pfsense: Target = { meta, render: (p, o) => renderConfigXml('pfsense', meta, p, o) };
