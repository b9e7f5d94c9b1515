/**
 * Issue 11.9: read the rule bodies of a rendered nftables or iptables output back into atoms
 * (family, direction, state, protocol, source, destination, source ports, destination ports)
 * and compare them with the policy's own: nothing lost AND nothing widened. Headers and comments
 * are never read; a rule that lost its port match reads back as `any` and differs.
 */
import { formatPrefix, parseCidr } from '../../src/net/cidr.js';
import { formatPortRange, type PortRange } from '../../src/net/ports.js';
import { replyOf, type Addresses, type Policy, type Ports, type Term } from '../../src/policy/types.js';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { OutputFile } from '../../src/targets/types.js';
import { readAsteriskConfig } from './asterisk-config.js';

/** One accepted flow shape: a sorted, comparable text. */
export type Atom = string;

const atom = (a: { family: string; direction: string; state: string; protocol: string; src: string; dst: string; sport: string; dport: string }): Atom =>
  `${a.family} ${a.direction} ${a.state} ${a.protocol} src=${a.src} dst=${a.dst} sport=${a.sport} dport=${a.dport}`;

const canonical = (text: string): string => formatPrefix(parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`, 'parse-back'));
const portText = (r: PortRange): string => formatPortRange(r, '-');

/**
 * What the policy says the sipwall chains accept, as atoms. `bothFamilies`: split `both` (iptables
 * writes it in each file); `sourcePorts` false: the target cannot match them and widens to any
 * (said in its header and warnings).
 */
export function expectedAtoms(policy: Policy, into: boolean, bothFamilies: boolean, sourcePorts = true): Atom[] {
  const out = new Set<Atom>();
  const add = (t: Term, state: string) => {
    const families = t.family === 'both' ? (bothFamilies ? policy.families.map(String) : ['both']) : [String(t.family)];
    const sides = (a: Addresses) => (a.kind === 'any' ? ['any'] : a.set.prefixes.map(formatPrefix));
    const ports = (p: Ports) => (p === 'any' ? ['any'] : p.map(portText));
    for (const family of families)
      for (const src of sides(t.sources))
        for (const dst of sides(t.destinations))
          for (const sport of sourcePorts ? ports(t.sourcePorts) : ['any'])
            for (const dport of ports(t.destinationPorts)) out.add(atom({ family, direction: t.direction, state, protocol: t.protocol, src, dst, sport, dport }));
  };
  for (const t of policy.terms) add(t, 'any');
  // --into accepts the replies of the other direction's flows, established only (issue 11.6).
  if (into) for (const t of policy.terms) if (policy.directions.includes(t.direction === 'in' ? 'out' : 'in')) add(replyOf(t), 'established');
  return [...out].sort();
}

/** The here-document bodies of a shell form, or the file itself. */
function bodies(f: OutputFile): string[] {
  if (!f.name.endsWith('.sh')) return [f.content];
  return [...f.content.matchAll(/<<'(SIPWALL_[A-Z0-9]+)'\n([\s\S]*?)\n\1$/gm)].map((m) => m[2]!);
}

/** `N`, `N-M` or `{ N, N-M }` → port texts. */
const nftPorts = (text: string): string[] => dashPorts(text.replace(/[{}]/g, ''));

export function nftablesAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  for (const f of files) {
    for (const body of bodies(f)) {
      const sets = new Map<string, string[]>();
      for (const m of body.matchAll(/set (\S+) \{[^}]*?elements = \{([^}]*)\}/g)) sets.set(m[1]!, m[2]!.split(',').map((e) => canonical(e.trim())).filter(Boolean));
      // Rules of sipwall's chains: `add rule F T sipwall_in …` or the lines inside `chain sipwall_in { … }`.
      const rules: Array<{ chain: string; text: string }> = [];
      let chain: string | undefined;
      for (const line of body.split('\n')) {
        const add = /^add rule \S+ \S+ (sipwall_(?:in|out)) (.*)$/.exec(line);
        if (add) rules.push({ chain: add[1]!, text: add[2]! });
        const open = /^\tchain (\S+) \{$/.exec(line);
        if (open) chain = open[1];
        else if (/^\t\}$/.test(line)) chain = undefined;
        else if (chain?.startsWith('sipwall_') && /^\t\t\S/.test(line)) rules.push({ chain, text: line.trim() });
      }
      for (const r of rules) for (const a of nftRule(r.text, r.chain === 'sipwall_in' ? 'in' : 'out', sets)) out.add(a);
    }
  }
  return [...out].sort();
}

function nftRule(text: string, direction: string, sets: Map<string, string[]>): Atom[] {
  let rest = text.replace(/ comment ".*"$/, '');
  if (!rest.endsWith(' counter accept')) throw new Error(`not an accept rule: ${text}`);
  rest = rest.slice(0, -' counter accept'.length);
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = (rest.slice(0, m.index) + rest.slice(m.index + m[0].length)).trim();
    return m;
  };
  const state = take(/^ct state established,related\b/) ? 'established' : 'any';
  const addresses = (field: 'saddr' | 'daddr'): { family?: string; list: string[] } => {
    const m = take(new RegExp(`(ip6?) ${field} (@\\S+|\\{[^}]*\\}|\\S+)`));
    if (!m) return { list: ['any'] };
    const family = m[1] === 'ip' ? '4' : '6';
    const v = m[2]!;
    const list = v.startsWith('@') ? sets.get(v.slice(1)) : v.replace(/[{}]/g, '').split(',').map((e) => e.trim()).filter(Boolean).map(canonical);
    if (!list) throw new Error(`unknown set ${v}`);
    return { family, list };
  };
  const src = addresses('saddr');
  const dst = addresses('daddr');
  const nfproto = take(/meta nfproto (ipv4|ipv6)/);
  const l4 = take(/meta l4proto (udp|tcp)/);
  const sport = take(/(udp|tcp) sport (\{[^}]*\}|\S+)/);
  const dport = take(/(udp|tcp) dport (\{[^}]*\}|\S+)/);
  if (rest !== '') throw new Error(`unread part "${rest}" of: ${text}`);
  const family = src.family ?? dst.family ?? (nfproto ? (nfproto[1] === 'ipv4' ? '4' : '6') : 'both');
  const protocol = sport?.[1] ?? dport?.[1] ?? l4?.[1];
  if (!protocol) throw new Error(`no protocol in: ${text}`);
  const out: Atom[] = [];
  for (const s of src.list) for (const d of dst.list) for (const sp of sport ? nftPorts(sport[2]!) : ['any']) for (const dp of dport ? nftPorts(dport[2]!) : ['any']) out.push(atom({ family, direction, state, protocol, src: s, dst: d, sport: sp, dport: dp }));
  return out;
}

/** `N`, `N:M` or `a,b:c` → port texts. */
function iptPorts(text: string): string[] {
  return text.split(',').map((p) => {
    const [a, b] = p.split(':').map(Number);
    return portText({ from: a!, to: b ?? a! });
  });
}

export function iptablesAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  const sets = new Map<string, string[]>();
  const payloads: Array<{ family: string; body: string }> = [];
  for (const f of files) {
    if (f.name.endsWith('.ipset')) payloads.push({ family: 'ipset', body: f.content });
    else if (f.name.endsWith('.sh')) {
      for (const m of f.content.matchAll(/^(.*) <<'(SIPWALL_[A-Z0-9]+)'\n([\s\S]*?)\n\2$/gm)) payloads.push({ family: m[1]!.startsWith('ipset') ? 'ipset' : m[1]!.startsWith('ip6tables') ? '6' : '4', body: m[3]! });
    } else payloads.push({ family: f.name.endsWith('.v6') ? '6' : '4', body: f.content });
  }
  for (const p of payloads.filter((x) => x.family === 'ipset')) {
    for (const m of p.body.matchAll(/^add (\S+)-tmp (\S+)$/gm)) sets.set(m[1]!, [...(sets.get(m[1]!) ?? []), canonical(m[2]!)]);
  }
  for (const p of payloads.filter((x) => x.family !== 'ipset')) {
    for (const line of p.body.split('\n')) {
      const m = /^-A (SIPWALL-(?:IN|OUT)) (.*) -j (\S+)$/.exec(line);
      if (!m || m[3] === 'RETURN') continue;
      if (m[3] !== 'ACCEPT') throw new Error(`not an accept rule: ${line}`);
      for (const a of iptRule(m[2]!, m[1] === 'SIPWALL-IN' ? 'in' : 'out', p.family, sets)) out.add(a);
    }
  }
  return [...out].sort();
}

function iptRule(text: string, direction: string, family: string, sets: Map<string, string[]>): Atom[] {
  let rest = text.replace(/ -m comment --comment "[^"]*"/, '');
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = (rest.slice(0, m.index) + rest.slice(m.index + m[0].length)).replace(/\s+/g, ' ').trim();
    return m;
  };
  const state = take(/-m conntrack --ctstate ESTABLISHED,RELATED/) ? 'established' : 'any';
  const side = (flag: '-s' | '-d', dir: 'src' | 'dst'): string[] => {
    const cidr = take(new RegExp(`${flag} (\\S+)`));
    if (cidr) return [canonical(cidr[1]!)];
    const set = take(new RegExp(`-m set --match-set (\\S+) ${dir}`));
    if (set) {
      const list = sets.get(set[1]!);
      if (!list) throw new Error(`unknown ipset ${set[1]}`);
      return list;
    }
    return ['any'];
  };
  const src = side('-s', 'src');
  const dst = side('-d', 'dst');
  const proto = take(/-p (udp|tcp)/);
  let sport: string[] = ['any'];
  let dport: string[] = ['any'];
  const multi = (field: 'sports' | 'dports') => take(new RegExp(`-m multiport --${field} (\\S+)`));
  const sm = multi('sports');
  if (sm) sport = iptPorts(sm[1]!);
  const dm = multi('dports');
  if (dm) dport = iptPorts(dm[1]!);
  // `-m udp --sport A --dport B` (one match for both) or each on its own.
  while (take(/-m (udp|tcp)(?= --)/)) {
    const s = take(/--sport (\S+)/);
    if (s) sport = iptPorts(s[1]!);
    const d = take(/--dport (\S+)/);
    if (d) dport = iptPorts(d[1]!);
  }
  if (rest !== '') throw new Error(`unread part "${rest}" of: ${text}`);
  if (!proto) throw new Error(`no protocol in: ${text}`);
  const out: Atom[] = [];
  for (const s of src) for (const d of dst) for (const sp of sport) for (const dp of dport) out.push(atom({ family, direction, state, protocol: proto[1]!, src: s, dst: d, sport: sp, dport: dp }));
  return out;
}


/** ufw.sh: `ufw allow in|out from A [port P] to B [port P] proto udp|tcp comment '…'`, one per line. */
export function ufwAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  for (const f of files) {
    for (const line of f.content.split('\n')) {
      if (!line.startsWith('ufw allow ')) continue;
      const m = /^ufw allow (in|out) from (\S+)(?: port (\S+))? to (\S+)(?: port (\S+))? proto (udp|tcp) comment '[^']*'$/.exec(line);
      if (!m) throw new Error(`unread ufw rule: ${line}`);
      // ufw's `any` is both families; a family-only rule says 0.0.0.0/0 or ::/0.
      const familyOf = (v: string) => (v === 'any' ? undefined : v.includes(':') ? '6' : '4');
      const side = (v: string) => (v === 'any' || v === '0.0.0.0/0' || v === '::/0' ? 'any' : canonical(v));
      const [src, dst] = [side(m[2]!), side(m[4]!)];
      const family = familyOf(m[2]!) ?? familyOf(m[4]!) ?? 'both';
      for (const sp of m[3] ? iptPorts(m[3]) : ['any']) for (const dp of m[5] ? iptPorts(m[5]) : ['any']) out.add(atom({ family, direction: m[1]!, state: 'any', protocol: m[6]!, src, dst, sport: sp, dport: dp }));
    }
  }
  return [...out].sort();
}

/** windows.ps1: one New-NetFirewallRule a line; the far side is -RemoteAddress, ports Local/Remote. */
export function windowsAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  const list = (v: string | undefined) => (v === undefined ? undefined : [...v.matchAll(/'([^']*)'/g)].map((m) => m[1]!));
  for (const f of files) {
    for (const line of f.content.split('\n')) {
      if (!line.startsWith('New-NetFirewallRule ')) continue;
      const param = (name: string) => new RegExp(` -${name} (@\\([^)]*\\)|\\S+)`).exec(line)?.[1];
      const inbound = param('Direction') === 'Inbound';
      if (param('Action') !== 'Allow') throw new Error(`not an allow rule: ${line}`);
      const remote = param('RemoteAddress')!;
      const ranges = remote === 'Any' ? ['any'] : list(remote)!;
      const local = list(param('LocalPort')) ?? ['any'];
      const far = list(param('RemotePort')) ?? ['any'];
      for (const r of ranges) {
        const everyV4 = r === '0.0.0.0-255.255.255.255';
        const everyV6 = r === '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
        const address = r === 'any' || everyV4 || everyV6 ? 'any' : canonical(r);
        const family = everyV4 ? '4' : everyV6 ? '6' : r === 'any' ? 'both' : address.includes(':') ? '6' : '4';
        for (const lp of local) {
          for (const rp of far) {
            out.add(atom({ family, direction: inbound ? 'in' : 'out', state: 'any', protocol: param('Protocol')!.toLowerCase(), src: inbound ? address : 'any', dst: inbound ? 'any' : address, sport: inbound ? rp : lp, dport: inbound ? lp : rp }));
          }
        }
      }
    }
  }
  return [...out].sort();
}

/** routeros.rsc: `add chain=input|output action=accept protocol=… [src|dst-address-list=…] [src-port=…] [dst-port=…]`, per family section. */
export function routerosAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  for (const f of files) {
    const lists = new Map<string, string[]>();
    let family = '4';
    const rules: Array<{ family: string; line: string }> = [];
    for (const line of f.content.split('\n')) {
      const section = /^\/(ip|ipv6) firewall (filter|address-list)$/.exec(line);
      if (section) family = section[1] === 'ip' ? '4' : '6';
      const list = /^add list=(\S+) address=(\S+) comment=/.exec(line);
      if (list) lists.set(list[1]!, [...(lists.get(list[1]!) ?? []), canonical(list[2]!)]);
      else if (/^add chain=/.test(line)) rules.push({ family, line });
    }
    for (const { family: fam, line } of rules) {
      const word = (k: string) => new RegExp(` ${k}=(\\S+)`).exec(line)?.[1];
      if (word('action') !== 'accept') throw new Error(`not an accept rule: ${line}`);
      const chain = /^add chain=(\S+)/.exec(line)![1];
      const inbound = chain === 'input';
      const side = (k: string) => {
        const name = word(k);
        if (name === undefined) return ['any'];
        const l = lists.get(name);
        if (!l) throw new Error(`unknown address list ${name}`);
        return l;
      };
      const ports = (k: string) => dashPorts(word(k));
      for (const src of side('src-address-list')) for (const dst of side('dst-address-list')) for (const sp of ports('src-port')) for (const dp of ports('dst-port')) {
        out.add(atom({ family: fam, direction: inbound ? 'in' : 'out', state: 'any', protocol: word('protocol')!, src, dst, sport: sp, dport: dp }));
      }
    }
  }
  return [...out].sort();
}

/** aws-ingress.json / aws-egress.json (EC2 IpPermissions): the far side's CIDRs and the port range of the rule. */
export function awsAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  for (const f of files.filter((x) => x.name.endsWith('cloudformation.json'))) {
    const template = JSON.parse(f.content) as { Resources: Record<string, { Type: string; Properties: { IpProtocol: string; FromPort: number; ToPort: number; CidrIp?: string; CidrIpv6?: string } }> };
    for (const r of Object.values(template.Resources)) {
      const inbound = r.Type === 'AWS::EC2::SecurityGroupIngress';
      const cidr = (r.Properties.CidrIp ?? r.Properties.CidrIpv6)!;
      const far = cidr === '0.0.0.0/0' || cidr === '::/0' ? 'any' : canonical(cidr);
      const p = r.Properties;
      const dport = p.FromPort === 0 && p.ToPort === 65535 ? 'any' : portText({ from: p.FromPort, to: p.ToPort });
      out.add(atom({ family: cidr.includes(':') ? '6' : '4', direction: inbound ? 'in' : 'out', state: 'any', protocol: p.IpProtocol, src: inbound ? far : 'any', dst: inbound ? 'any' : far, sport: 'any', dport }));
    }
  }
  for (const f of files.filter((x) => /^aws-(ingress|egress)(-\d+)?\.json$/.test(x.name))) {
    const inbound = f.name.includes('ingress');
    const permissions = JSON.parse(f.content) as Array<{ IpProtocol: string; FromPort: number; ToPort: number; IpRanges?: Array<{ CidrIp: string }>; Ipv6Ranges?: Array<{ CidrIpv6: string }> }>;
    for (const p of permissions) {
      const port = p.FromPort === 0 && p.ToPort === 65535 ? 'any' : portText({ from: p.FromPort, to: p.ToPort });
      for (const cidr of [...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)]) {
        const family = cidr.includes(':') ? '6' : '4';
        const far = cidr === '0.0.0.0/0' || cidr === '::/0' ? 'any' : canonical(cidr);
        out.add(atom({ family, direction: inbound ? 'in' : 'out', state: 'any', protocol: p.IpProtocol, src: inbound ? far : 'any', dst: inbound ? 'any' : far, sport: 'any', dport: port }));
      }
    }
  }
  return [...out].sort();
}

/** pfsense.xml / opnsense.xml: aliases (network, port) and pass rules; source alias or any, ports a range or a port alias. */
export function pfsenseAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  const kids = (el: Element, name: string) => Array.from(el.getElementsByTagName(name));
  const text = (el: Element | undefined, name: string) => (el ? (kids(el, name)[0]?.textContent ?? undefined) : undefined);
  for (const f of files) {
    const root = new DOMParser().parseFromString(f.content, 'text/xml').documentElement!;
    const aliases = new Map<string, { type: string; entries: string[] }>();
    for (const a of kids(root, 'alias')) aliases.set(text(a, 'name')!, { type: text(a, 'type')!, entries: (text(a, 'address') ?? text(a, 'content') ?? '').split(/[ \n]+/).filter(Boolean) });
    for (const rule of kids(root, 'rule')) {
      if (!(text(rule, 'descr') ?? '').startsWith('sipwall:')) continue;
      if (text(rule, 'type') !== 'pass') throw new Error('not a pass rule');
      const family = { inet: '4', inet6: '6', inet46: 'both' }[text(rule, 'ipprotocol')!]!;
      const [source, destination] = [kids(rule, 'source')[0]!, kids(rule, 'destination')[0]!];
      const addresses = (el: Element) => {
        const name = text(el, 'address');
        if (name === undefined) return ['any'];
        const alias = aliases.get(name);
        if (alias?.type !== 'network') throw new Error(`no network alias ${name}`);
        return alias.entries.map(canonical);
      };
      const ports = (el: Element) => {
        const p = text(el, 'port');
        if (p === undefined) return ['any'];
        const alias = aliases.get(p);
        return dashPorts((alias ? alias.entries.map((e) => e.replace(':', '-')) : [p]).join(','));
      };
      for (const src of addresses(source)) for (const dst of addresses(destination)) for (const sp of ports(source)) for (const dp of ports(destination)) {
        out.add(atom({ family, direction: 'in', state: 'any', protocol: text(rule, 'protocol')!, src, dst, sport: sp, dport: dp }));
      }
    }
  }
  return [...out].sort();
}

/** OPNsense: the rule model (Firewall/Filter rules, source_net / source_port fields), else the legacy <filter> form. */
export function opnsenseAtoms(files: readonly OutputFile[]): Atom[] {
  if (!files.some((f) => f.content.includes('<Filter version='))) return pfsenseAtoms(files);
  const out = new Set<Atom>();
  const kids = (el: Element, name: string) => Array.from(el.getElementsByTagName(name));
  const text = (el: Element, name: string) => kids(el, name)[0]?.textContent ?? undefined;
  for (const f of files) {
    const root = new DOMParser().parseFromString(f.content, 'text/xml').documentElement!;
    const aliases = new Map<string, { type: string; entries: string[] }>();
    for (const a of kids(root, 'alias')) aliases.set(text(a, 'name')!, { type: text(a, 'type')!, entries: (text(a, 'content') ?? '').split('\n').filter(Boolean) });
    for (const rule of kids(kids(root, 'Filter')[0]!, 'rule')) {
      if (!(text(rule, 'description') ?? '').startsWith('sipwall:')) continue;
      if (text(rule, 'action') !== 'pass' || text(rule, 'direction') !== 'in') throw new Error('not an inbound pass rule');
      const family = { inet: '4', inet6: '6', inet46: 'both' }[text(rule, 'ipprotocol')!]!;
      const addresses = (field: string) => {
        const name = text(rule, field)!;
        if (name === 'any') return ['any'];
        const alias = aliases.get(name);
        if (alias?.type !== 'network') throw new Error(`no network alias ${name}`);
        return alias.entries.map(canonical);
      };
      const ports = (field: string) => {
        const p = text(rule, field);
        if (p === undefined) return ['any'];
        const alias = aliases.get(p);
        return dashPorts((alias ? alias.entries.map((e) => e.replace(':', '-')) : [p]).join(','));
      };
      for (const src of addresses('source_net')) for (const dst of addresses('destination_net')) for (const sp of ports('source_port')) for (const dp of ports('destination_port')) {
        out.add(atom({ family, direction: 'in', state: 'any', protocol: text(rule, 'protocol')!.toLowerCase(), src, dst, sport: sp, dport: dp }));
      }
    }
  }
  return [...out].sort();
}

/** firewalld XML: ipsets/NAME.xml entries, policies/sipwall-in|out.xml rich rules (one port each; no source ports). */
export function firewalldAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  const sets = new Map<string, string[]>();
  const doc = (f: OutputFile) => new DOMParser().parseFromString(f.content, 'text/xml').documentElement!;
  for (const f of files.filter((x) => x.name.startsWith('ipsets/'))) {
    sets.set(f.name.slice('ipsets/'.length, -'.xml'.length), Array.from(doc(f).getElementsByTagName('entry')).map((e) => canonical(e.textContent ?? '')));
  }
  for (const f of files.filter((x) => x.name.startsWith('policies/'))) {
    const inbound = f.name.includes('sipwall-in');
    for (const rule of Array.from(doc(f).getElementsByTagName('rule'))) {
      if (rule.getElementsByTagName('accept').length !== 1) throw new Error('not an accept rule');
      const family = { ipv4: '4', ipv6: '6', '': 'both' }[rule.getAttribute('family') ?? '']!;
      const far = rule.getElementsByTagName(inbound ? 'source' : 'destination')[0];
      const name = far?.getAttribute('ipset');
      const addresses = name ? sets.get(name) : ['any'];
      if (!addresses) throw new Error(`unknown ipset ${name}`);
      const port = rule.getElementsByTagName('port')[0];
      const protocol = port?.getAttribute('protocol') ?? rule.getElementsByTagName('protocol')[0]!.getAttribute('value')!;
      const range = port ? port.getAttribute('port')!.split('-').map(Number) : undefined;
      const dport = range ? portText({ from: range[0]!, to: range[1] ?? range[0]! }) : 'any';
      for (const a of addresses) out.add(atom({ family, direction: inbound ? 'in' : 'out', state: 'any', protocol, src: inbound ? a : 'any', dst: inbound ? 'any' : a, sport: 'any', dport }));
    }
  }
  return [...out].sort();
}

/** A comma or blank list of ranges `N` / `N-M` (`*` or absent: any) → port texts. */
function dashPorts(text: string | undefined): string[] {
  if (text === undefined || text === "'*'" || text === '*') return ['any'];
  return text.split(/[ ,]+/).filter(Boolean).map((p) => { const [a, b] = p.split('-').map(Number); return portText({ from: a!, to: b ?? a! }); });
}

/** gcp.sh: `upsert NAME INGRESS|EGRESS --rules=proto[:ports] --source-ranges=…|--destination-ranges=…` (no source ports). */
export function gcpShellAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  for (const line of files.flatMap((f) => f.content.split('\n'))) {
    const m = /^upsert \S+ (INGRESS|EGRESS) --rules=(udp|tcp)(?::(\S+))? --(source|destination)-ranges=(\S+) /.exec(line.replace(/,(udp|tcp):/g, ','));
    if (!line.startsWith('upsert ')) continue;
    if (!m) throw new Error(`unread gcp rule: ${line}`);
    const inbound = m[1] === 'INGRESS';
    for (const cidr of m[5]!.split(',')) {
      const far = cidr === '0.0.0.0/0' || cidr === '::/0' ? 'any' : canonical(cidr);
      for (const dp of dashPorts(m[3])) out.add(atom({ family: cidr.includes(':') ? '6' : '4', direction: inbound ? 'in' : 'out', state: 'any', protocol: m[2]!, src: inbound ? far : 'any', dst: inbound ? 'any' : far, sport: 'any', dport: dp }));
    }
  }
  return [...out].sort();
}

/** azure.sh: `az network nsg rule create … --direction … --protocol … --source-…-prefixes … --source-port-ranges … --destination-…`. */
export function azureShellAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  for (const line of files.flatMap((f) => f.content.split('\n'))) {
    if (!line.startsWith('az network nsg rule create ')) continue;
    const arg = (name: string) => new RegExp(` --${name} ((?:'\\*'|[^ -][^ ]*)(?: [^ -][^ ]*)*)`).exec(line)?.[1];
    const inbound = arg('direction') === 'Inbound';
    if (arg('access') !== 'Allow') throw new Error(`not an allow rule: ${line}`);
    const list = (v: string | undefined) => (v === undefined || v === "'*'" ? ['any'] : v.split(' ').map(canonical));
    const far = list(arg(inbound ? 'source-address-prefixes' : 'destination-address-prefixes'));
    const near = list(arg(inbound ? 'destination-address-prefixes' : 'source-address-prefixes'));
    if (near.join() !== 'any') throw new Error(`a local address in: ${line}`);
    const family = / -n \S+-v4 /.test(line) ? '4' : / -n \S+-v6 /.test(line) ? '6' : 'both';
    for (const a of far) {
      const fam = a === 'any' ? family : a.includes(':') ? '6' : '4';
      for (const sp of dashPorts(arg('source-port-ranges'))) for (const dp of dashPorts(arg('destination-port-ranges'))) {
        out.add(atom({ family: fam, direction: inbound ? 'in' : 'out', state: 'any', protocol: arg('protocol')!.toLowerCase(), src: inbound ? a : 'any', dst: inbound ? 'any' : a, sport: sp, dport: dp }));
      }
    }
  }
  return [...out].sort();
}

type Resource = Record<string, unknown>;

/** Terraform (gcp, azure, aws) read through HashiCorp's HCL parser: each rule resource's sides and ports. */
export async function terraformAtoms(files: readonly OutputFile[]): Promise<Atom[]> {
  const out = new Set<Atom>();
  for (const f of files.filter((x) => x.name.endsWith('.tf'))) {
    const json = (await parseHcl(f.name, f.content)) as { resource?: Record<string, Record<string, Resource[]>> };
    const resources = (type: string) => Object.values(json.resource?.[type] ?? {}).map((list) => list[0]!);
    const cidrFamily = (c: string) => (c.includes(':') ? '6' : '4');
    const far = (c: string) => (c === '0.0.0.0/0' || c === '::/0' || c === '*' ? 'any' : canonical(c));
    for (const r of resources('google_compute_firewall')) {
      const inbound = r.direction === 'INGRESS';
      const allow = (r.allow as Array<{ protocol: string; ports?: string[] }>)[0]!;
      for (const c of (inbound ? r.source_ranges : r.destination_ranges) as string[]) {
        for (const dp of dashPorts(allow.ports?.join(','))) out.add(atom({ family: cidrFamily(c), direction: inbound ? 'in' : 'out', state: 'any', protocol: allow.protocol, src: inbound ? far(c) : 'any', dst: inbound ? 'any' : far(c), sport: 'any', dport: dp }));
      }
    }
    for (const r of resources('azurerm_network_security_rule')) {
      if (r.access !== 'Allow') throw new Error(`not an allow rule: ${String(r.name)}`);
      const inbound = r.direction === 'Inbound';
      const list = (one: string) => (r[one.endsWith('x') ? `${one}es` : `${one}s`] as string[] | undefined) ?? [(r[one] as string | undefined) ?? '*'];
      const remote = list(inbound ? 'source_address_prefix' : 'destination_address_prefix');
      const family = /-v4$/.test(String(r.name)) ? '4' : /-v6$/.test(String(r.name)) ? '6' : 'both';
      for (const c of remote) {
        for (const sp of dashPorts(list('source_port_range').join(','))) {
          for (const dp of dashPorts(list('destination_port_range').join(','))) {
            out.add(atom({ family: c === '*' ? family : cidrFamily(c), direction: inbound ? 'in' : 'out', state: 'any', protocol: String(r.protocol).toLowerCase(), src: inbound ? far(c) : 'any', dst: inbound ? 'any' : far(c), sport: sp, dport: dp }));
          }
        }
      }
    }
    for (const [type, inbound] of [['aws_vpc_security_group_ingress_rule', true], ['aws_vpc_security_group_egress_rule', false]] as const) {
      for (const r of resources(type)) {
        const c = (r.cidr_ipv4 ?? r.cidr_ipv6) as string;
        const [from, to] = [Number(r.from_port), Number(r.to_port)];
        const dport = from === 0 && to === 65535 ? 'any' : portText({ from, to });
        out.add(atom({ family: cidrFamily(c), direction: inbound ? 'in' : 'out', state: 'any', protocol: String(r.ip_protocol), src: inbound ? far(c) : 'any', dst: inbound ? 'any' : far(c), sport: 'any', dport }));
      }
    }
  }
  return [...out].sort();
}

/**
 * PBX configurations (targets of kind `receiver`): whose SIP each provider's trunk takes, as
 * `trunk <provider> src=<prefix>` atoms, and for Asterisk the ACL's permits as `acl src=<prefix>`.
 */
export function expectedTrunkAtoms(policy: Policy, withAcl: boolean): Atom[] {
  const out = new Set<Atom>();
  for (const t of policy.terms) {
    if (t.role !== 'sip' || t.direction !== 'in' || t.sources.kind !== 'set') continue;
    for (const p of t.sources.set.prefixes) {
      out.add(`trunk ${t.provider} src=${formatPrefix(p)}`);
      if (withAcl) out.add(`acl src=${formatPrefix(p)}`);
    }
  }
  return [...out].sort();
}

export function asteriskAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  const file = (name: string) => files.find((f) => f.name === name)?.content ?? '';
  for (const c of readAsteriskConfig(file('pjsip_sipwall.conf')).categories) {
    for (const [k, v] of c.vars) if (k === 'match') out.add(`trunk ${c.name.replace(/^sipwall-/, '')} src=${canonical(v)}`);
  }
  for (const c of readAsteriskConfig(file('acl_sipwall.conf')).categories) {
    for (const [k, v] of c.vars) if (k === 'permit') out.add(`acl src=${canonical(v)}`);
  }
  return [...out].sort();
}

export function freeswitchAtoms(files: readonly OutputFile[]): Atom[] {
  const out = new Set<Atom>();
  for (const f of files) {
    const root = new DOMParser().parseFromString(f.content, 'text/xml').documentElement!;
    for (const list of Array.from(root.getElementsByTagName('list'))) {
      for (const node of Array.from(list.getElementsByTagName('node'))) {
        if (node.getAttribute('type') === 'allow') out.add(`trunk ${list.getAttribute('name')!.replace(/^sipwall-/, '')} src=${canonical(node.getAttribute('cidr')!)}`);
      }
    }
  }
  return [...out].sort();
}

/** VAPI: the gateways the credential lists, as `gateway <prefix>` atoms. */
export function vapiAtoms(files: readonly OutputFile[]): Atom[] {
  const body = JSON.parse(files.find((f) => f.name === 'vapi-credential.json')!.content) as { gateways: Array<{ ip: string; netmask?: number }> };
  return [...new Set(body.gateways.map((g) => `gateway ${canonical(`${g.ip}/${g.netmask ?? 32}`)}`))].sort();
}

/** What VAPI's gateways must be: each provider's listed gateways of the policy's families, else its SIP prefixes. */
export function expectedVapiAtoms(policy: Policy): Atom[] {
  const out = new Set<Atom>();
  for (const p of policy.providers) {
    const sip = policy.terms.filter((t) => t.provider === p.id && t.role === 'sip' && t.direction === 'in' && t.sources.kind === 'set').flatMap((t) => (t.sources.kind === 'set' ? t.sources.set.prefixes : []));
    if (sip.length === 0) continue;
    const listed = (p.sip?.gateways ?? []).filter((g) => policy.families.includes(g.family));
    for (const g of listed.length > 0 ? listed : sip) out.add(`gateway ${formatPrefix(g)}`);
  }
  return [...out].sort();
}

/** LiveKit: the trunk's allowed addresses, as the `acl src=` atoms of expectedTrunkAtoms. */
export function livekitAtoms(files: readonly OutputFile[]): Atom[] {
  const body = JSON.parse(files.find((f) => f.name === 'livekit-inbound-trunk.json')!.content) as { trunk: { allowedAddresses?: string[] } };
  return [...new Set((body.trunk.allowedAddresses ?? []).map((a) => `acl src=${canonical(a)}`))].sort();
}
