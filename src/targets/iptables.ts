/**
 * iptables and ip6tables in iptables-restore format (+ optional ipset), or one shell script.
 * Facts: shared/reference/target-formats.md §2.1 (colon ranges, multiport 15 with range = 2,
 * `--noflush` re-declaring a chain flushes it, `-D` in a restore file aborts it, ipset
 * create/swap idiom that can be restored twice).
 */
import { coreError } from '../errors/catalogue.js';
import type { Family } from '../net/address.js';
import { formatPrefix } from '../net/cidr.js';
import { replyOf, type Addresses, type AddressSet, type Direction, type Policy, type Term } from '../policy/types.js';
import { headerLines, INTO_NOTE, STANDALONE_WARNING } from './header.js';
import { warning } from '../errors/warnings.js';
import { packPorts, portMatch } from './multiport.js';
import { setCidrs } from './lower.js';
import { NameBook, shortHash } from './names.js';
import { Lines } from './lines.js';
import { iptablesComment } from './quote.js';
import { linesFile } from './templates.js';
import { type RenderOptions, type RenderResult, type Target, type TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'iptables',
  title: 'iptables + ip6tables (iptables-restore files or shell script; optional ipset)',
  kind: 'firewall',
  rangeSeparator: ':',
  forms: ['restore', 'shell'],
  modes: ['standalone', 'into'],
  capabilities: { outbound: true, sourcePorts: true, dualFamilyRule: false, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: { portsPerRule: 15, commentBytes: 255 , lineBytes: 1022,
    lineSource: 'ipset restore (ipset 7.17 lib/ipset.c: fgets into MAX_CMDLINE_CHARS 1024, newline and NUL included); iptables-restore reads 10,240 (iptables 1.8.9 xtables-restore.c buffer[10240])'},
  flags: { ipset: 'match address lists through ipset sets' },
  into: { input: 'CHAIN of the filter table, e.g. INPUT', output: 'CHAIN (default OUTPUT)' },
  apply: '`iptables-restore`',
  rerun: 'replaces chains; ipset swap',
  validators: ['iptables-restore --test', 'ip6tables-restore --test', 'iptables-legacy-restore --test', 'ipset restore'],
  check: 'iptables',
};

const CHAIN = /^[A-Za-z][A-Za-z0-9_-]{0,28}$/;
/** ipset names: IPSET_MAXNAMELEN 32 with the terminator. */
const IPSET_NAME_MAX = 31;
/** Constant create parameters, so `create … -exist` matches the set a previous run swapped in. */
const IPSET_MAXELEM = 1_048_576;
/** Lists longer than this are better matched through ipset than rule by rule. */
const LARGE_LIST = 64;

const CHAIN_OF: Record<Direction, string> = { in: 'SIPWALL-IN', out: 'SIPWALL-OUT' };
const BUILTIN_OF: Record<Direction, string> = { in: 'INPUT', out: 'OUTPUT' };

/** Parses `--into INPUT` or `--into filter/INPUT`. */
export function parseIntoChain(value: string | undefined, flag: 'into' | 'into-output'): string {
  const text = value ?? '';
  const chain = text.startsWith('filter/') ? text.slice('filter/'.length) : text;
  if (!CHAIN.test(chain)) {
    throw coreError('E_INTO_SYNTAX_IPTABLES', { option: flag, value: text });
  }
  return chain;
}

/** `sipwall-<set>`; long names keep a readable head and a hash, and leave room for `-tmp`. */
export function ipsetName(set: AddressSet): string {
  const name = `sipwall-${set.name}`;
  const max = IPSET_NAME_MAX - 4;
  return name.length <= max ? name : `${name.slice(0, max - 9)}-${shortHash(name)}`;
}

/** `-A CHAIN MATCH -m comment --comment "…" -j VERDICT`, the one layout of an iptables rule. */
function ruleLine(r: Rule): string {
  const match = r.match === '' ? '' : ` ${r.match}`;
  const comment = r.comment === undefined ? '' : ` -m comment --comment ${r.comment}`;
  return `-A ${r.chain}${match}${comment} -j ${r.verdict}`;
}

class RuleLines extends Lines {
  override push(rule: Rule | string): void {
    super.push(typeof rule === 'string' ? rule : ruleLine(rule));
  }
}

interface Rule {
  readonly chain: string;
  readonly match: string;
  readonly comment?: string;
  readonly verdict: string;
}

const ICMP: Record<Family, { proto: string; module: string; option: string; types: string[] }> = {
  4: { proto: 'icmp', module: 'icmp', option: '--icmp-type', types: ['destination-unreachable', 'time-exceeded', 'parameter-problem', 'echo-request'] },
  6: {
    proto: 'ipv6-icmp',
    module: 'icmp6',
    option: '--icmpv6-type',
    types: [
      'destination-unreachable', 'packet-too-big', 'time-exceeded', 'parameter-problem', 'echo-request',
      'router-solicitation', 'router-advertisement', 'neighbour-solicitation', 'neighbour-advertisement',
    ],
  },
};

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const warnings: string[] = [];
  const into = options.mode === 'into';
  const hookChains: Partial<Record<Direction, string>> = {};
  if (into) {
    hookChains.in = parseIntoChain(options.into, 'into');
    if (policy.directions.includes('out')) hookChains.out = parseIntoChain(options.intoOutput ?? 'OUTPUT', 'into-output');
  } else {
    warnings.push(warning('W_STANDALONE', {}));
  }
  const useIpset = options.ipset;
  const largest = Math.max(0, ...policy.sets.map((s) => s.prefixes.length));
  if (!useIpset && largest > LARGE_LIST) {
    warnings.push(warning('W_IPSET_HINT', { largest }));
  }
  for (const s of policy.sets) {
    if (useIpset && s.prefixes.some((p) => p.length === 0)) {
      throw coreError('E_IPSET_ZERO_PREFIX', { set: s.name });
    }
    if (useIpset && s.prefixes.length > IPSET_MAXELEM) {
      throw coreError('E_IPSET_TOO_LARGE', { set: s.name, size: s.prefixes.length, max: IPSET_MAXELEM });
    }
  }

  const families: Family[] = into
    ? ([4, 6] as const).filter((f) => policy.terms.some((t) => t.family === f || t.family === 'both'))
    : [4, 6];
  const restore = families.map((family) => familyView(policy, family, into, useIpset, hookChains));
  const ipsetNames = new NameBook('iptables', 'ipset');
  const ipsets = useIpset ? policy.sets.map((s) => ipsetView(s, ipsetNames.claim(ipsetName(s), s.description))) : [];
  const shell = options.form === 'shell';
  const fileOf = (f: Family) => (f === 4 ? 'iptables.rules.v4' : 'iptables.rules.v6');
  const apply = shell
    ? ['Apply: sh iptables.sh (run as root).']
    : [
        ...(ipsets.length > 0 ? ['Apply: ipset restore < iptables.ipset (first: the rules refer to the sets)'] : []),
        ...restore.map((r) => `Apply: ${r.restoreCommand} < ${fileOf(r.family)}${r.hooks.map((h) => `; once: ${h.check} || ${h.insert}`).join('')}`),
      ];
  const how = [
    into
      ? `Into: sipwall owns chain(s) ${policy.directions.map((d) => CHAIN_OF[d]).join(', ')} (filter table), re-created on every run, hooked once at the top of ${Object.values(hookChains).join(', ')}.`
      : STANDALONE_WARNING,
    ...(into ? [INTO_NOTE] : ['Standalone restores the whole filter table (iptables-restore without --noflush). Try it with a dead-man revert: iptables-apply -t 60 FILE.']),
    ...apply,
  ];
  const header = headerLines(policy, options, how);
  // The rules and the ipset members go into the templates as Lines: made in pieces when written.
  type Put = (lines: Lines) => string;
  const familyOf = (put: Put) => (r: (typeof restore)[number]) => ({ ...r, rules: put(r.rules) });
  const view = (put: Put) => ({ headerLines: header, families: restore.map(familyOf(put)), ipsets: ipsets.map((s) => ({ ...s, adds: put(s.adds) })), cleanup: useIpset });
  if (shell) return { files: [linesFile('iptables.sh', 0o755, 'iptables-shell', view, options.templates)], warnings };
  const files = restore.map((r) => linesFile(fileOf(r.family), 0o644, 'iptables', (put) => ({ headerLines: header, ...familyOf(put)(r) }), options.templates));
  if (ipsets.length > 0) files.unshift(linesFile('iptables.ipset', 0o644, 'ipset', view, options.templates));
  return { files, warnings };
}

function familyView(policy: Policy, family: Family, into: boolean, useIpset: boolean, hookChains: Partial<Record<Direction, string>>) {
  const rules = new RuleLines();
  const builtins: Array<{ chain: string; policy: string }> = [];
  if (!into) {
    const filtersOut = policy.directions.includes('out');
    builtins.push({ chain: 'INPUT', policy: 'DROP' }, { chain: 'FORWARD', policy: 'DROP' }, { chain: 'OUTPUT', policy: filtersOut ? 'DROP' : 'ACCEPT' });
    baseline(policy, family, 'in').forEach((r) => rules.push(r));
    if (filtersOut) baseline(policy, family, 'out').forEach((r) => rules.push(r));
  }
  for (const d of policy.directions) {
    const chain = CHAIN_OF[d];
    for (const term of policy.terms) {
      if (term.direction !== d || (term.family !== family && term.family !== 'both')) continue;
      termRules(term, chain, useIpset, rules);
    }
    // Into: return traffic of the providers' flows only (standalone accepts all of it in INPUT/OUTPUT).
    for (const term of into ? policy.terms : []) {
      if (term.direction === d || (term.family !== family && term.family !== 'both')) continue;
      termRules(replyOf(term), chain, useIpset, rules, '-m conntrack --ctstate ESTABLISHED,RELATED ');
    }
    rules.push({ chain, match: '', verdict: 'RETURN' });
  }
  const command = family === 4 ? 'iptables' : 'ip6tables';
  return {
    family,
    restoreCommand: `${command}-restore${into ? ' --noflush' : ''}`,
    builtins,
    chains: policy.directions.map((d) => CHAIN_OF[d]),
    // Lines, not an object per rule: 100,000 prefixes make ~300,000 rules, and a template call per
    // rule cost most of the render time (BENCHMARKS.md). The line layout is ruleLine().
    rules,
    hooks: Object.entries(hookChains).map(([d, chain]) => ({
      check: `${command} -C ${chain} -j ${CHAIN_OF[d as Direction]} 2>/dev/null`,
      insert: `${command} -I ${chain} 1 -j ${CHAIN_OF[d as Direction]}`,
    })),
  };
}

/** Standalone host baseline: loopback, return traffic, the ICMP the family needs, SSH. */
function baseline(policy: Policy, family: Family, direction: Direction): Rule[] {
  const chain = BUILTIN_OF[direction];
  const icmp = ICMP[family];
  const lo = direction === 'in' ? '-i lo' : '-o lo';
  const rules: Rule[] = [
    { chain, match: lo, verdict: 'ACCEPT' },
    { chain, match: '-m conntrack --ctstate ESTABLISHED,RELATED', comment: iptablesComment('return traffic'), verdict: 'ACCEPT' },
  ];
  if (direction === 'in') {
    rules.push(...icmp.types.map((type) => ({ chain, match: `-p ${icmp.proto} -m ${icmp.module} ${icmp.option} ${type}`, verdict: 'ACCEPT' })));
    rules.push({ chain, match: '-m conntrack --ctstate INVALID', verdict: 'DROP' });
    if (policy.ssh) {
      const ssh = `-p tcp -m tcp --dport ${policy.ssh.port}`;
      const sources = policy.ssh.sources === 'any' ? [''] : policy.ssh.sources.flatMap((a) => (a.kind === 'set' && a.set.family === family ? a.set.prefixes.map((p) => `-s ${formatPrefix(p)} `) : []));
      rules.push(...sources.map((s) => ({ chain, match: `${s}${ssh}`, comment: iptablesComment('ssh'), verdict: 'ACCEPT' })));
    }
  } else {
    rules.push({ chain, match: `-p ${icmp.proto}`, verdict: 'ACCEPT' });
    rules.push(...['udp', 'tcp'].map((p) => ({ chain, match: `-p ${p} -m ${p} --dport 53`, comment: iptablesComment('DNS'), verdict: 'ACCEPT' })));
  }
  if (policy.directions.includes(direction)) rules.push({ chain, match: '', verdict: CHAIN_OF[direction] });
  return rules;
}

/** One side's match: `pre + item + post` per item ('' for any, one ipset match, or each prefix). */
interface SideMatch {
  readonly pre: string;
  readonly items: readonly string[];
  readonly post: string;
}

function addressMatches(a: Addresses, flag: '-s' | '-d', useIpset: boolean): SideMatch {
  if (a.kind === 'any') return { pre: '', items: [''], post: '' };
  if (useIpset) return { pre: '', items: [`-m set --match-set ${ipsetName(a.set)} ${flag === '-s' ? 'src' : 'dst'} `], post: '' };
  return { pre: `${flag} `, items: setCidrs(a.set), post: ' ' };
}

/**
 * Rules for one term: one per prefix (without ipset) × port chunk, each multiport ≤ 15 slots.
 * Hot with long lists: the longer side's prefixes go into their lines through one join.
 */
function termRules(term: Term, chain: string, useIpset: boolean, rules: RuleLines, state = ''): void {
  const tail = ` -m comment --comment ${iptablesComment(`sipwall: ${term.description}`)} -j ACCEPT`;
  const sports = term.sourcePorts === 'any' ? [''] : packPorts(term.sourcePorts).map((c) => ` ${portMatch(term.protocol, 'sport', c)}`);
  const dports = term.destinationPorts === 'any' ? [''] : packPorts(term.destinationPorts).map((c) => ` ${portMatch(term.protocol, 'dport', c)}`);
  // `-m udp --sport A -m udp --dport B` reads better as one match: `-m udp --sport A --dport B`.
  const single = ` -m ${term.protocol} `;
  const join = (sp: string, dp: string) => (sp.startsWith(single) && dp.startsWith(single) ? `${sp} ${dp.slice(single.length)}` : `${sp}${dp}`);
  const suffixes = sports.flatMap((sp) => dports.map((dp) => `-p ${term.protocol}${join(sp, dp)}${tail}`));
  const head = `-A ${chain} ${state}`;
  const src = addressMatches(term.sources, '-s', useIpset);
  const dst = addressMatches(term.destinations, '-d', useIpset);
  if (src.items.length >= dst.items.length) {
    for (const d of dst.items) {
      for (const suffix of suffixes) rules.block(head + src.pre, src.items, src.post + dst.pre + d + dst.post + suffix);
    }
  } else {
    for (const s of src.items) {
      for (const suffix of suffixes) rules.block(head + src.pre + s + src.post + dst.pre, dst.items, dst.post + suffix);
    }
  }
}

function ipsetView(set: AddressSet, name: string) {
  const tmp = `${name}-tmp`;
  const adds = new Lines();
  adds.block(`add ${tmp} `, setCidrs(set), '');
  return {
    name,
    tmp,
    family: set.family === 4 ? 'inet' : 'inet6',
    maxelem: IPSET_MAXELEM,
    adds,
  };
}

export const iptables: Target = { meta, render };
