/**
 * What each target's language demands beyond "the parser accepts it": the rules that no
 * offline parser knows (pfSense alias names and range syntax per field, GCP names, Azure
 * priorities, RouterOS and PowerShell quoting) and the real parsers that run in-process
 * (HCL through @cdktf/hcl2json, JSON). Returns the problems found; an empty list passes.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { parseCidr } from '../../src/net/cidr.js';
import { TARGETS } from '../../src/targets/registry.js';
import { readAsteriskConfig } from './asterisk-config.js';
import { CHECK_TOOLS, type OutputFile } from '../../src/targets/types.js';

type Check = (f: OutputFile) => Promise<string[]> | string[];

const elements = (root: Element, name: string): Element[] => Array.from(root.getElementsByTagName(name));
const text = (el: Element, name: string) => elements(el, name)[0]?.textContent ?? '';

function xmlDoc(f: OutputFile): Element {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && errors.push(msg)) }).parseFromString(f.content, 'text/xml');
  if (errors.length > 0) throw new Error(`${f.name}: ${errors[0]}`);
  return doc.documentElement!;
}

/** pfSense/OPNsense: target-formats.md §2.5 and §2.6. */
function pfsenseRules(f: OutputFile): string[] {
  const root = xmlDoc(f);
  const problems: string[] = [];
  const aliases = new Map<string, string>();
  for (const a of elements(root, 'alias')) {
    const name = text(a, 'name');
    const type = text(a, 'type');
    aliases.set(name, type);
    if (!/^[A-Za-z0-9_]{1,31}$/.test(name) || /^[0-9_]+$/.test(name)) problems.push(`alias name ${name}`);
    const entries = (text(a, 'address') || text(a, 'content')).split(/[ \n]/);
    if (entries.length > 5000) problems.push(`alias ${name} has ${entries.length} entries`);
    if (type === 'port' && !entries.every((e) => /^\d+(:\d+)?$/.test(e))) problems.push(`port alias ${name}: ${entries.join(' ')}`);
    if (type === 'network' && !entries.every((e) => /^[0-9a-f.:]+\/\d+$/.test(e))) problems.push(`network alias ${name}`);
  }
  const trackers = new Set<string>();
  for (const rule of elements(root, 'rule')) {
    if (!text(rule, 'descr').startsWith('sipwall:')) continue;
    const tracker = text(rule, 'tracker');
    if (f.name !== 'opnsense.xml' && trackers.has(tracker)) problems.push(`tracker ${tracker} twice`);
    trackers.add(tracker);
    for (const port of elements(rule, 'port').map((p) => p.textContent ?? '')) {
      if (!/^\d+(-\d+)?$/.test(port) && aliases.get(port) !== 'port') problems.push(`rule port ${port}`);
    }
    for (const address of elements(rule, 'address').map((p) => p.textContent ?? '')) {
      if (aliases.get(address) !== 'network') problems.push(`rule address ${address} is no network alias`);
    }
    if (text(rule, 'ipprotocol') === 'inet46' && elements(rule, 'address').some((a) => !aliases.has(a.textContent ?? ''))) problems.push('inet46 with a literal address');
  }
  return problems;
}

/**
 * The fields of OPNsense's models, from opnsense/core at f95e815 (2026-08-21):
 * src/opnsense/mvc/app/models/OPNsense/Firewall/Filter.xml (version 1.0.5, rules/rule) and
 * Alias.xml (version 1.0.1, aliases/alias). A field the model does not know is dropped when
 * OPNsense loads the config, so every element sipwall writes must be one of them.
 */
export const OPNSENSE_FILTER_RULE_FIELDS = ['enabled', 'statetype', 'state-policy', 'sequence', 'sort_order', 'prio_group', 'action', 'quick', 'interfacenot', 'interface', 'direction', 'ipprotocol', 'protocol', 'icmptype', 'icmp6type', 'source_net', 'source_not', 'source_port', 'destination_net', 'destination_not', 'destination_port', 'divert-to', 'gateway', 'replyto', 'disablereplyto', 'log', 'allowopts', 'nosync', 'nopfsync', 'statetimeout', 'udp-first', 'udp-multiple', 'udp-single', 'max-src-nodes', 'max-src-states', 'max-src-conn', 'max', 'max-src-conn-rate', 'max-src-conn-rates', 'max-pkt-rate-number', 'max-pkt-rate-seconds', 'overload', 'adaptivestart', 'adaptiveend', 'prio', 'set-prio', 'set-prio-low', 'tag', 'tagged', 'tcpflags1', 'tcpflags2', 'tcpflags_any', 'categories', 'sched', 'tos', 'shaper1', 'shaper2', 'description'];
export const OPNSENSE_ALIAS_FIELDS = ['enabled', 'name', 'type', 'path_expression', 'proto', 'interface', 'counters', 'updatefreq', 'content', 'password', 'username', 'authtype', 'expire', 'categories', 'current_items', 'last_updated', 'eval_nomatch', 'eval_match', 'in_block_p', 'in_block_b', 'in_pass_p', 'in_pass_b', 'out_block_p', 'out_block_b', 'out_pass_p', 'out_pass_b', 'description'];

/** OPNsense's rule and alias models: fields, versions and values as the models validate them. */
function opnsenseModel(f: OutputFile): string[] {
  const root = xmlDoc(f);
  const problems: string[] = [];
  const childNames = (el: Element) => Array.from(el.childNodes).filter((n) => n.nodeType === 1).map((n) => (n as Element).tagName);
  const alias = elements(root, 'Alias')[0];
  if (alias?.getAttribute('version') !== '1.0.1') problems.push(`Alias model version ${alias?.getAttribute('version')}`);
  const aliases = new Map<string, string>();
  for (const a of elements(root, 'alias')) {
    aliases.set(text(a, 'name'), text(a, 'type'));
    for (const name of childNames(a)) if (!OPNSENSE_ALIAS_FIELDS.includes(name)) problems.push(`alias field ${name} is not in the model`);
  }
  const filter = elements(root, 'Filter')[0];
  if (!filter) return [...problems, 'no Filter model'];
  if (filter.getAttribute('version') !== '1.0.5') problems.push(`Filter model version ${filter.getAttribute('version')}`);
  if (elements(root, 'filter').length > 0) problems.push('legacy <filter> next to the rule model');
  for (const rule of elements(filter, 'rule')) {
    for (const name of childNames(rule)) if (!OPNSENSE_FILTER_RULE_FIELDS.includes(name)) problems.push(`rule field ${name} is not in the model`);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(rule.getAttribute('uuid') ?? '')) problems.push(`rule uuid ${rule.getAttribute('uuid')}`);
    const sequence = Number(text(rule, 'sequence'));
    if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999999) problems.push(`sequence ${text(rule, 'sequence')}`);
    if (text(rule, 'action') !== 'pass' || text(rule, 'direction') !== 'in' || text(rule, 'quick') !== '1') problems.push('not a quick inbound pass rule');
    if (!['inet', 'inet6', 'inet46'].includes(text(rule, 'ipprotocol'))) problems.push(`ipprotocol ${text(rule, 'ipprotocol')}`);
    if (!['UDP', 'TCP'].includes(text(rule, 'protocol'))) problems.push(`protocol ${text(rule, 'protocol')} (ProtocolField keeps capitals)`);
    for (const field of ['source_net', 'destination_net']) {
      const net = text(rule, field);
      if (net !== 'any' && aliases.get(net) !== 'network') problems.push(`${field} ${net} is no network alias`);
    }
    for (const field of ['source_port', 'destination_port']) {
      const port = text(rule, field);
      if (port === '' || aliases.get(port) === 'port') continue;
      // PortField: a port, or a range a-b with a < b (FieldTypes/PortField.php getValidators).
      const m = /^(\d+)(?:-(\d+))?$/.exec(port);
      if (!m || (m[2] !== undefined && Number(m[1]) >= Number(m[2]))) problems.push(`${field} ${port}`);
    }
    if (text(rule, 'description').length > 255) problems.push('description over 255');
  }
  return problems;
}

async function hcl(f: OutputFile): Promise<string[]> {
  try {
    await parseHcl(f.name, f.content);
    return [];
  } catch (error) {
    return [`${f.name}: ${(error as Error).message}`];
  }
}

async function terraform(f: OutputFile, extra: (json: Record<string, Record<string, Record<string, Array<Record<string, unknown>>>>>) => string[]): Promise<string[]> {
  const problems = await hcl(f);
  if (problems.length > 0) return problems;
  const json = (await parseHcl(f.name, f.content)) as Record<string, Record<string, Record<string, Array<Record<string, unknown>>>>>;
  return extra(json);
}

const resources = (json: Record<string, Record<string, Record<string, Array<Record<string, unknown>>>>>, type: string) =>
  Object.values(json.resource?.[type] ?? {}).map((list) => list[0]!);

function gcpRules(json: Parameters<Parameters<typeof terraform>[1]>[0]): string[] {
  const problems: string[] = [];
  for (const r of resources(json, 'google_compute_firewall')) {
    const name = String(r.name);
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) problems.push(`gcp name ${name}`);
    const ranges = (r.source_ranges ?? r.destination_ranges) as string[];
    if (ranges.length > 256) problems.push(`${name}: ${ranges.length} ranges`);
    if (new Set(ranges.map((x) => x.includes(':'))).size > 1) problems.push(`${name}: mixed families`);
  }
  return problems;
}

function azureRules(json: Parameters<Parameters<typeof terraform>[1]>[0]): string[] {
  const problems: string[] = [];
  const priorities = resources(json, 'azurerm_network_security_rule').map((r) => Number(r.priority));
  if (new Set(priorities).size !== priorities.length) problems.push('azure priorities not unique');
  if (priorities.some((p) => p < 100 || p > 4096)) problems.push('azure priority outside 100-4096');
  for (const r of resources(json, 'azurerm_network_security_rule')) {
    if (String(r.name).length > 80) problems.push(`azure name ${String(r.name)}`);
    if (String(r.description).length > 140) problems.push(`azure description ${String(r.name)}`);
    for (const k of ['source_port_range', 'destination_port_range']) {
      const v = (r[k] ?? r[`${k}s`]) as string | string[];
      for (const p of [v].flat()) if (!/^(\*|\d+(-\d+)?)$/.test(p)) problems.push(`azure port ${p}`);
    }
  }
  return problems;
}

function awsTerraform(json: Parameters<Parameters<typeof terraform>[1]>[0]): string[] {
  const all = [...resources(json, 'aws_vpc_security_group_ingress_rule'), ...resources(json, 'aws_vpc_security_group_egress_rule')];
  return all.filter((r) => (r.cidr_ipv4 === undefined) === (r.cidr_ipv6 === undefined) || typeof r.from_port !== 'number').map((r) => `aws rule ${JSON.stringify(r)}`);
}

function cloudformation(f: OutputFile): string[] {
  const template = JSON.parse(f.content) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const problems: string[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    if (!/^[A-Za-z0-9]{1,255}$/.test(id)) problems.push(`logical id ${id}`);
    const p = r.Properties;
    for (const key of ['GroupId', 'IpProtocol', 'FromPort', 'ToPort', 'Description']) if (p[key] === undefined) problems.push(`${id} lacks ${key}`);
    if ((p.CidrIp === undefined) === (p.CidrIpv6 === undefined)) problems.push(`${id}: exactly one of CidrIp, CidrIpv6`);
  }
  return problems;
}

/**
 * RouterOS: every line is a command of the known grammar; quoted strings close and hold only
 * escaped `"`, `\`, `$`, `?` and `\XX` bytes.
 */
function routeros(f: OutputFile): string[] {
  const problems: string[] = [];
  const string = String.raw`"(?:[^"\\$?\x00-\x1f\x7f-\xff]|\\["\\$?]|\\[0-9A-F]{2})*"`;
  const word = String.raw`[a-z-]+=(?:${string}|[A-Za-z0-9.:/,_$-]+)`;
  const grammar = [
    /^#.*$/,
    /^[{}]$/,
    /^\/ipv?6? ?firewall (filter|address-list|nat)$/,
    new RegExp(String.raw`^/(ip|ipv6) firewall (filter|address-list|nat) remove \[find where (comment|list)~"\^sipwall[:-]"\]$`),
    new RegExp(String.raw`^:if \(\[:len \[/interface list find where name=WAN\]\] = 0\) do=\{ :error ${string} \}$`),
    new RegExp(String.raw`^add( ${word})+$`),
    /^:local sipwallBefore[46](input|output|forward) \[\/(ip|ipv6) firewall filter find where chain=(input|output|forward) action=drop\]$/,
    new RegExp(String.raw`^:if \(\[:len \$sipwallBefore[46](input|output|forward)\] = 0\) do=\{ :error ${string} \}$`),
    /^:set sipwallBefore[46](input|output|forward) \[:pick \$sipwallBefore[46](input|output|forward) 0\]$/,
  ];
  f.content.split('\n').forEach((line, i) => {
    if (line !== '' && !grammar.some((g) => g.test(line))) problems.push(`line ${i + 1}: ${line}`);
  });
  return problems;
}

/** PowerShell: outside '…' strings only the known cmdlets, parameters and @( , ) appear. */
function powershell(f: OutputFile): string[] {
  const problems: string[] = [];
  f.content.split('\n').forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    if ([...line].some((c) => c.charCodeAt(0) > 0x7f)) problems.push(`line ${i + 1}: not ASCII (Windows PowerShell 5.1 reads it as cp1252)`);
    // A string with characters outside ASCII is ('…' + [char]0xHHHH + …): one string argument.
    const outside = line.replace(/'(?:[^'\u2018\u2019\u201a\u201b]|'')*'/g, 'S').replace(/\(S(?: \+ (?:S|\[char\]0x[0-9A-F]{4}))+\)/g, 'S');
    if (/['\u2018\u2019\u201a\u201b"`$]/.test(outside.replace("$ErrorActionPreference = S", ''))) problems.push(`line ${i + 1}: unbalanced quoting: ${line}`);
    if (!/^(\$ErrorActionPreference = S|Get-NetFirewallRule -Group S -ErrorAction SilentlyContinue \| Remove-NetFirewallRule|New-NetFirewallRule( -[A-Za-z]+ (S|@\(S(, S)*\)|[A-Za-z]+))+ \| Out-Null)$/.test(outside)) {
      problems.push(`line ${i + 1}: ${outside}`);
    }
  });
  return problems;
}

/** A CIDR as Asterisk and FreeSWITCH take it: an address, `/length`, or (IPv4) `/dotted mask`. */
function validCidr(text: string): boolean {
  const [address, mask] = text.split('/');
  const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(address ?? '');
  if (mask !== undefined && v4 && /^\d{1,3}(\.\d{1,3}){3}$/.test(mask)) return true;
  try {
    parseCidr(text, 'pbx');
    return true;
  } catch {
    return false;
  }
}

/**
 * Asterisk: the three files read by main/config.c's rules (asterisk-config.ts), each holding what
 * its module takes: identify sections (res_pjsip_endpoint_identifier_ip), the named ACL
 * `sipwall` (deny every address of both families first), rtpstart/rtpend.
 */
function asteriskFiles(f: OutputFile): string[] {
  const conf = readAsteriskConfig(f.content);
  const problems = [...conf.problems];
  const names = new Set<string>();
  if (f.name === 'pjsip_sipwall.conf') {
    if (conf.loose.length > 0 || conf.categories.length === 0) problems.push('pjsip: variables outside a section, or no section');
    for (const c of conf.categories) {
      if (!/^sipwall-[a-z][a-z0-9-]*$/.test(c.name) || names.has(c.name)) problems.push(`pjsip section ${c.name}`);
      names.add(c.name);
      const [type, endpoint, ...matches] = c.vars;
      if (type?.join('=') !== 'type=identify') problems.push(`${c.name}: first line is not type=identify`);
      if (endpoint?.[0] !== 'endpoint' || !/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/.test(endpoint[1])) problems.push(`${c.name}: no endpoint= line with a pjsip object name`);
      if (matches.length === 0 || !matches.every(([k, v]) => k === 'match' && validCidr(v))) problems.push(`${c.name}: match lines`);
    }
  } else if (f.name === 'acl_sipwall.conf') {
    const [acl, ...rest] = conf.categories;
    if (acl?.name !== 'sipwall' || rest.length > 0 || conf.loose.length > 0) problems.push('acl: one section, [sipwall]');
    const [deny4, deny6, ...permits] = acl?.vars ?? [];
    if (deny4?.join('=') !== 'deny=0.0.0.0/0.0.0.0' || deny6?.join('=') !== 'deny=::/0') problems.push('acl: does not deny every IPv4 and IPv6 address first');
    if (permits.length === 0 || !permits.every(([k, v]) => k === 'permit' && validCidr(v))) problems.push('acl: permit lines');
  } else if (f.name === 'rtp_sipwall.conf') {
    const [start, end, ...rest] = conf.loose;
    const [from, to] = [Number(start?.[1]), Number(end?.[1])];
    if (conf.categories.length > 0 || rest.length > 0 || start?.[0] !== 'rtpstart' || end?.[0] !== 'rtpend' || !(from >= 1 && from <= to && to <= 65535)) problems.push('rtp: rtpstart and rtpend, one range, no section');
  } else problems.push(`unknown file ${f.name}`);
  return problems;
}

/** FreeSWITCH: an <include> of <list name="sipwall-…" default="deny"> holding allow nodes with a cidr. */
function freeswitchLists(f: OutputFile): string[] {
  const root = xmlDoc(f);
  const problems: string[] = root.tagName === 'include' ? [] : [`root <${root.tagName}>, not <include>`];
  const names = new Set<string>();
  for (const list of elements(root, 'list')) {
    const name = list.getAttribute('name') ?? '';
    if (!/^sipwall-[a-z][a-z0-9-]*$/.test(name) || names.has(name)) problems.push(`list name ${name}`);
    names.add(name);
    if (list.getAttribute('default') !== 'deny') problems.push(`${name}: default is not deny`);
    const nodes = elements(list, 'node');
    if (nodes.length === 0 || !nodes.every((n) => n.getAttribute('type') === 'allow' && validCidr(n.getAttribute('cidr') ?? ''))) problems.push(`${name}: nodes`);
  }
  return problems;
}

/**
 * VAPI: the credential body's gateways as Vapi's OpenAPI schema takes inbound ones (an IPv4
 * address, netmask 24-32) with inbound calls and OPTIONS pings on; the type check against
 * @vapi-ai/server-sdk is test/targets/platforms.test.ts.
 */
function vapiBody(f: OutputFile): string[] {
  if (f.name !== 'vapi-credential.json') return f.name === 'forwarding.txt' ? [] : [`unknown file ${f.name}`];
  const body = JSON.parse(f.content) as { provider?: string; gateways?: Array<Record<string, unknown>> };
  const problems = body.provider === 'byo-sip-trunk' ? [] : ['provider is not byo-sip-trunk'];
  if (!body.gateways || body.gateways.length === 0) problems.push('no gateway');
  for (const g of body.gateways ?? []) {
    const netmask = (g.netmask as number | undefined) ?? 32;
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(String(g.ip)) || !(netmask >= 24 && netmask <= 32)) problems.push(`gateway ${String(g.ip)}/${netmask}`);
    if (g.inboundEnabled !== true || g.optionsPingEnabled !== true) problems.push(`gateway ${String(g.ip)}: inbound calls and OPTIONS ping not both on`);
  }
  return problems;
}

/** LiveKit: the two request bodies' shapes (their fields are parsed by @livekit/protocol in platforms.test.ts). */
function livekitBodies(f: OutputFile): string[] {
  if (f.name === 'livekit.sh') return [];
  const body = JSON.parse(f.content) as Record<string, unknown>;
  const key = f.name === 'livekit-inbound-trunk.json' ? 'trunk' : f.name === 'livekit-dispatch-rule.json' ? 'dispatchRule' : undefined;
  return key !== undefined && Object.keys(body).join() === key ? [] : [`${f.name}: top-level ${Object.keys(body).join()}`];
}

export const SEMANTICS: Record<string, Check> = {
  'vapi-trunk': vapiBody,
  'livekit-trunk': livekitBodies,
  asterisk: asteriskFiles,
  freeswitch: freeswitchLists,
  pfsense: pfsenseRules,
  opnsense: (f) => [...pfsenseRules(f), ...(f.content.includes('<Filter version=') ? opnsenseModel(f) : [])],
  routeros,
  windows: powershell,
  aws: (f) => (f.name.endsWith('.tf') ? terraform(f, awsTerraform) : f.name.includes('cloudformation') ? cloudformation(f) : []),
  gcp: (f) => (f.name.endsWith('.tf') ? terraform(f, gcpRules) : []),
  azure: (f) => (f.name.endsWith('.tf') ? terraform(f, azureRules) : []),
};

/** Targets with no parser of their own whose shell forms `sh -n` checks (in a namespace). */
const SHELL_ONLY = ['gcp', 'azure'];

/**
 * Tools each target's real-parser check needs: those of the check its meta declares
 * (CHECK_TOOLS), or `sh` for the shell forms of targets without one; absent, nothing to run.
 */
export const TOOLS: Record<string, readonly string[]> = Object.fromEntries(
  TARGETS.flatMap((t): Array<[string, readonly string[]]> => (t.meta.check ? [[t.meta.id, CHECK_TOOLS[t.meta.check]]] : SHELL_ONLY.includes(t.meta.id) ? [[t.meta.id, ['unshare', 'sh']]] : [])),
);
