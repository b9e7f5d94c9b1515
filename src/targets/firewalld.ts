/**
 * firewalld: ipsets and two policy objects of sipwall's own (`sipwall-in`: ANY → HOST,
 * `sipwall-out`: HOST → ANY) holding rich rules. A policy adds to every zone without replacing
 * any, and re-runs replace only what sipwall owns. Facts: target-formats.md §2.4 (hyphen ranges,
 * one element per rich rule: a port or a source-port, never both; `--check-config` exits 0 on
 * warnings).
 */
import { warning } from '../errors/warnings.js';
import type { AddressSet, Policy } from '../policy/types.js';
import { formatPorts, lower, setCidrs, type LoweredRule } from './lower.js';
import { fitName, NameBook } from './names.js';
import { headerLines } from './header.js';
import { eachLine } from './lines.js';
import { shellWord, xmlComment, xmlText } from './quote.js';
import { renderTemplate } from './templates.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'firewalld',
  title: 'firewalld (firewall-cmd --permanent script, or ipset and policy XML files)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['shell', 'xml'],
  modes: ['standalone'],
  // A rich rule holds one element: with a destination port there is no room for a source port.
  capabilities: { outbound: true, sourcePorts: false, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: { commentBytes: 1024, lineSource: 'none: XML files, or firewall-cmd arguments from sh', other: ['one port range per rich rule', 'ipset names ≤ 31 characters'] },
  apply: '`sh firewalld.sh` / copy into /etc/firewalld',
  rerun: 'replaces `sipwall-*` policies and `sipwall_*` ipsets, then reload',
  validators: ['firewall-offline-cmd on a copy of /etc/firewalld, then --check-config; any WARNING fails'],
  check: 'firewalld',
};

/** Kernel ipset names: at most 31 characters. */
export function firewalldSetName(set: AddressSet): string {
  return fitName(`sipwall_${set.name}`, 31, '_');
}

/**
 * One rich rule (firewalld.richlanguage(5)): the templates write it, as text or as XML. Every
 * field is a fixed word, digits, or an ipset name of [a-z0-9_-] (provider ids), so the shell
 * template's single quotes and the XML attributes hold it without escaping.
 */
interface Rich {
  /** `ipv4`, `ipv6`, or '' for a rule of both families. */
  readonly family: string;
  readonly side: 'source' | 'destination';
  /** The provider's ipset, or '' for any address. */
  readonly ipset: string;
  /** The one port or range it holds, or '' for every port of the protocol. */
  readonly port: string;
  readonly protocol: string;
}

/** The rich rules of one flat rule: one per local port range (a rich rule holds one port). */
function richRules(rule: LoweredRule): Rich[] {
  const inbound = rule.direction === 'in';
  // Inbound the PBX's ports are the destination; outbound the provider's are.
  const ports = inbound ? rule.localPorts : rule.remotePorts;
  return (ports === 'any' ? [''] : ports.map((r) => formatPorts([r], '-'))).map((port) => ({
    family: rule.family === 'both' ? '' : `ipv${rule.family}`,
    side: inbound ? 'source' : 'destination',
    ipset: rule.remote === 'any' ? '' : firewalldSetName(rule.remote),
    port,
    protocol: rule.protocol,
  }));
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const rules = lower(policy, meta, options.form);
  const sets = [...new Map(rules.flatMap((r) => (r.remote === 'any' ? [] : [[r.remote.name, r.remote] as const]))).values()];
  const names = new NameBook('firewalld', 'ipset');
  const ipsets = sets.map((s) => {
    const cidrs = setCidrs(s);
    const description = `sipwall: ${s.description}`;
    return {
      name: names.claim(firewalldSetName(s), s.description),
      family: s.family === 4 ? 'inet' : 'inet6',
      descriptionWord: shellWord(description),
      descriptionXml: xmlText(description),
      entries: cidrs.join('\n'),
      entriesXml: eachLine('  <entry>', cidrs, '</entry>'),
    };
  });
  const policies = policy.directions.map((d) => ({
    name: `sipwall-${d}`,
    ingress: d === 'in' ? 'ANY' : 'HOST',
    egress: d === 'in' ? 'HOST' : 'ANY',
    description: `sipwall: SIP and RTP ${d === 'in' ? 'to this host' : 'from this host'}`,
    // Widened terms, or two providers that both allow any address to the same ports, can give
    // the same rich rule twice: firewalld warns about the second, so it is written once.
    rules: [...new Map(rules.filter((r) => r.direction === d).flatMap(richRules).map((r) => [JSON.stringify(r), r])).values()],
  }));
  const notes = policy.directions.includes('out') ? [warning('W_FIREWALLD_OUTBOUND', {})] : [];
  if (options.form === 'xml') {
    const how = ['Apply: copy ipsets/*.xml and policies/*.xml into /etc/firewalld/ (the same folders), then firewall-cmd --reload. Needs firewalld 0.9.0 or later (policy objects); an older one ignores the policies folder.', 'Re-running: ipsets of earlier runs that no policy uses any more stay until you delete them; --form shell removes them.'];
    const headers = headerLines(policy, options, how, notes, xmlComment);
    const files = [
      ...ipsets.map((s) => ({ name: `ipsets/${s.name}.xml`, content: renderTemplate('firewalld-ipset', { ...s, headerLines: headers }, options.templates), mode: 0o644 })),
      ...policies.map((p) => ({
        name: `policies/${p.name}.xml`,
        content: renderTemplate('firewalld-policy', { ...p, descriptionXml: xmlText(p.description), rules: p.rules, headerLines: headers }, options.templates),
        mode: 0o644,
      })),
    ];
    return { files, warnings: notes };
  }
  const how = [
    'Apply: sh firewalld.sh (as root). It replaces the sipwall-* policies and ipsets in the permanent configuration, then reloads. It stops, changing nothing, on a firewalld older than 0.9.0 (no policy objects).',
    'The policies add to every zone: no zone file is touched.',
  ];
  const view = {
    headerLines: headerLines(policy, options, how, notes),
    ipsets,
    policies: policies.map((p) => ({ ...p, descriptionWord: shellWord(p.description) })),
  };
  return { files: [{ name: 'firewalld.sh', content: renderTemplate('firewalld', view, options.templates), mode: 0o755 }], warnings: notes };
}

export const firewalld: Target = { meta, render };
