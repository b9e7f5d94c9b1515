/**
 * Replays flows against a copy of a ruleset, decided by the kernel itself: the ruleset is loaded
 * into a throw-away network namespace (inside the sandbox `inNetns` makes: nothing outlives it, and
 * the host's own ruleset is never touched) whose public interface carries the host's interface
 * name; a peer namespace sends each flow; `nft monitor trace` says which rule decided, and a
 * listener on every sampled port says whether the flow arrived. Needs root and Linux.
 */
import { inNetns, hasTool } from '../validate/run.js';
import type { Flow } from './flows.js';
import { PEER_SCRIPT } from './peer-script.js';
import { interfaceNames, type Ruleset } from './ruleset.js';
import { decide, parseTrace, type Decision, type Step } from './trace.js';

export interface ReplaySetup {
  readonly ruleset: Ruleset;
  /** The interface the provider's packets arrive on (its name in the host copy). */
  readonly iface: string;
  /** The host's addresses the flows are sent to. */
  readonly addresses: { readonly 4: string; readonly 6: string };
  /**
   * A script run on the copy after it is loaded and before the flows (`sipwall apply`'s
   * rehearsal): the flows then meet the ruleset as it will be.
   */
  readonly apply?: string;
  /** A script whose output is returned (src/apply/scope.ts: the scope read after `apply`). */
  readonly read?: string;
}

export interface FlowVerdict {
  readonly flow: Flow;
  /** What the kernel decided on the way in; undefined when no trace of the packet came back. */
  readonly decision?: Decision;
  /** The deciding rule as the user knows it: `rule 3 of chain INPUT (table filter): -A INPUT …`. */
  readonly rule?: string;
  /** The listener in the host copy received it. */
  readonly arrived: boolean;
  /** What the sender saw: sent, connected, ECONNREFUSED, EHOSTUNREACH, timeout, … */
  readonly outcome: string;
}

export type ReplayResult = { ok: true; verdicts: FlowVerdict[]; read: string } | { ok: false; why: string };

export const TRACE_TABLE = 'sipwall_diagnose';
const HOST_MAC = '02:73:77:00:00:01';
const PEER_MAC = '02:73:77:00:00:02';

/** Why the replay cannot run here, or undefined when it can; `who` names the caller in the text. */
export function cannotReplay(who = 'the replay'): string | undefined {
  if (process.platform !== 'linux') return `${who} needs Linux network namespaces`;
  if (process.getuid?.() !== 0) return `${who} needs root (it loads a copy of the ruleset into a throw-away network namespace); run it with sudo`;
  for (const tool of ['ip', 'nft', 'unshare']) if (!hasTool(tool)) return `${who} needs ${tool} (Debian: apt install ${tool === 'ip' ? 'iproute2' : tool === 'nft' ? 'nftables' : 'util-linux'})`;
  return undefined;
}

function script(setup: ReplaySetup, flows: readonly Flow[]): string {
  const sources = [...new Set(flows.map((f) => f.source))];
  const dummies = interfaceNames(setup.ruleset).filter((n) => n !== setup.iface);
  const { 4: a4, 6: a6 } = setup.addresses;
  // Every name and address below is checked before it gets here (interface names by
  // isInterfaceName, addresses by the CIDR parser); they are still passed quoted.
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const load = (file: string, command: string, what: string) => `if [ -f ${file} ]; then if ! ${command} < ${file} > load.err 2>&1; then echo '@@fail ${what}'; cat load.err; exit 0; fi; fi`;
  return [
    'set -e',
    `NODE=${q(process.execPath)}; IF=${q(setup.iface)}`,
    'ip link set lo up',
    'ip netns add swpeer',
    `ip link add "$IF" address ${HOST_MAC} type veth peer name swpeer0 address ${PEER_MAC} netns swpeer`,
    // Other names the rules match on exist too (`iif` needs the interface to load): veth pairs,
    // since kernels without the dummy module are common in containers.
    ...dummies.map((n, i) => `ip link add ${q(n)} type veth peer name swx${i} && ip link set ${q(n)} up`),
    `ip addr add ${q(a4)}/32 dev "$IF"`,
    `ip -6 addr add ${q(a6)}/128 dev "$IF" nodad`,
    'ip link set "$IF" up',
    'ip route add default dev "$IF"',
    'ip -6 route add default dev "$IF"',
    'ip -n swpeer link set lo up',
    'ip -n swpeer link set swpeer0 up',
    `ip -n swpeer route add ${q(a4)}/32 dev swpeer0`,
    `ip -n swpeer -6 route add ${q(a6)}/128 dev swpeer0`,
    `ip -n swpeer neigh replace ${q(a4)} lladdr ${HOST_MAC} dev swpeer0 nud permanent`,
    `ip -n swpeer -6 neigh replace ${q(a6)} lladdr ${HOST_MAC} dev swpeer0 nud permanent`,
    // Static neighbours both ways: a ruleset that drops ICMPv6 must not keep the flows from the wire.
    ...sources.map((s) => `ip -n swpeer addr add ${q(s)} dev swpeer0${s.includes(':') ? ' nodad' : ''} && ip neigh replace ${q(s)} lladdr ${PEER_MAC} dev "$IF" nud permanent`),
    'set +e',
    load('ipset.txt', 'ipset restore', 'ipset'),
    load('ruleset.nft', 'nft -f -', 'nft'),
    load('iptables.txt', 'iptables-restore', 'iptables'),
    load('ip6tables.txt', 'ip6tables-restore', 'ip6tables'),
    // The script's own check for other tables' drops is the apply's (src/apply/detect.ts).
    `if [ -f apply.sh ]; then if ! sh apply.sh --force > apply.err 2>&1; then echo '@@fail apply'; cat apply.err; exit 0; fi; fi`,
    `nft -f trace.nft > load.err 2>&1 || { echo '@@fail trace'; cat load.err; exit 0; }`,
    // Background jobs by PID: `kill %1` needs job control, which sh -c does not have (the
    // listener outlived every run). `timeout` bounds it even if this script is killed.
    'timeout 300 "$NODE" peer.cjs listen ports.json > listen.out 2>&1 &',
    'LISTEN=$!',
    'i=0; until grep -q ready listen.out; do i=$((i+1)); [ $i -gt 100 ] && break; sleep 0.1; done',
    'nft -a monitor trace > trace.out 2>&1 &',
    'MON=$!',
    `trap 'kill $MON $LISTEN 2>/dev/null' EXIT`,
    'sleep 0.5',
    'ip netns exec swpeer timeout 300 "$NODE" peer.cjs send flows.json > send.out 2>&1',
    'sleep 0.5',
    'kill $MON $LISTEN 2>/dev/null; wait',
    'echo @@trace; cat trace.out; echo @@listen; cat listen.out; echo @@send; cat send.out',
    `echo @@read; if [ -f read.sh ]; then nft delete table inet ${TRACE_TABLE} 2>/dev/null; sh read.sh; fi`,
    'echo @@nft; nft -a list ruleset; echo @@iptables; iptables-save 2>/dev/null; echo @@ip6tables; ip6tables-save 2>/dev/null; echo @@end',
  ].join('\n');
}

/** The sections between `@@name` markers. */
function sections(output: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = '';
  for (const line of output.split('\n')) {
    const m = /^@@(\w+)(?: (.*))?$/.exec(line);
    if (m) {
      name = m[1] === 'fail' ? `fail ${m[2]}` : m[1]!;
      out.set(name, '');
    } else if (name) out.set(name, `${out.get(name)}${line}\n`);
  }
  return out;
}

/** Rule handles of each chain, in order, from `nft -a list ruleset`: `family table chain` → handles. */
function chainOrder(listing: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let table = '';
  let chain = '';
  for (const line of listing.split('\n')) {
    const t = /^table (\S+) (\S+) \{/.exec(line);
    if (t) table = `${t[1]} ${t[2]}`;
    const c = /^\s+chain (\S+) \{/.exec(line);
    if (c) {
      chain = `${table} ${c[1]}`;
      out.set(chain, []);
      continue;
    }
    const h = /^\s+(?!type |policy )\S.* # handle (\d+)$/.exec(line);
    if (h && chain && !/^\s+(set|map|flowtable|counter|quota|limit|ct) \S+ \{/.test(line)) out.get(chain)?.push(Number(h[1]));
    if (/^\t}$/.test(line)) chain = '';
  }
  return out;
}

/** The deciding step as the user knows it. */
function describeStep(step: Step, order: Map<string, number[]>, saves: { ip?: string | undefined; ip6?: string | undefined }): string {
  const where = `${step.family} ${step.table} ${step.chain}`;
  if (step.rule === undefined) return `the policy ${step.verdict} of chain ${step.chain} (table ${step.family} ${step.table}): no rule matched`;
  const position = step.handle === undefined ? 0 : (order.get(where)?.indexOf(step.handle) ?? -1) + 1;
  const save = step.family === 'ip' ? saves.ip : step.family === 'ip6' ? saves.ip6 : undefined;
  const line = save && position > 0 ? iptablesLine(save, step.table, step.chain, position) : undefined;
  if (line) return `rule ${position} of chain ${step.chain} (${step.family === 'ip6' ? 'ip6tables' : 'iptables'} table ${step.table}): ${line}`;
  const text = step.rule.replace(/ counter packets \d+ bytes \d+/, ' counter');
  return `${position > 0 ? `rule ${position}` : 'a rule'} of chain ${step.chain} (table ${step.family} ${step.table}): ${text}`;
}

/** The Nth `-A CHAIN` line of a table in iptables-save output. */
function iptablesLine(save: string, table: string, chain: string, n: number): string | undefined {
  const start = save.indexOf(`*${table}\n`);
  if (start < 0) return undefined;
  const end = save.indexOf('\nCOMMIT', start);
  const rules = save.slice(start, end < 0 ? undefined : end).split('\n').filter((l) => l.startsWith(`-A ${chain} `));
  return rules[n - 1];
}

export function replay(setup: ReplaySetup, flows: readonly Flow[]): ReplayResult {
  const ports = {
    udp: [...new Set(flows.filter((f) => f.protocol === 'udp').map((f) => f.destinationPort))],
    tcp: [...new Set(flows.filter((f) => f.protocol === 'tcp').map((f) => f.destinationPort))],
  };
  const files: Record<string, string> = {
    'peer.cjs': PEER_SCRIPT,
    'ports.json': JSON.stringify(ports),
    'flows.json': JSON.stringify({ flows, targets: setup.addresses }),
    'trace.nft': `table inet ${TRACE_TABLE} {\n\tchain trace {\n\t\ttype filter hook prerouting priority -350; policy accept;\n\t\tmeta l4proto { tcp, udp } meta nftrace set 1\n\t}\n}\n`,
  };
  const r = setup.ruleset;
  if (r.nft !== undefined) files['ruleset.nft'] = r.nft;
  if (r.iptables !== undefined) files['iptables.txt'] = r.iptables;
  if (r.ip6tables !== undefined) files['ip6tables.txt'] = r.ip6tables;
  if (r.ipset !== undefined) files['ipset.txt'] = r.ipset;
  if (setup.apply !== undefined) files['apply.sh'] = setup.apply;
  if (setup.read !== undefined) files['read.sh'] = setup.read;
  const run = inNetns(files, script(setup, flows), 600_000);
  const parts = sections(run.output);
  const failed = [...parts.keys()].find((k) => k.startsWith('fail '));
  if (failed) return { ok: false, why: `the ${failed.slice(5)} ruleset does not load: ${parts.get(failed)!.trim().split('\n').slice(0, 3).join(' / ')}` };
  if (!parts.has('end')) return { ok: false, why: `the replay stopped early: ${run.output.trim().split('\n').slice(-3).join(' / ')}` };

  const traced = new Map<string, Decision>();
  for (const t of parseTrace(parts.get('trace')!).values()) {
    const key = `${t.source}|${t.protocol}|${t.sourcePort}|${t.destinationPort}`;
    if (t.source === undefined || traced.has(key)) continue;
    traced.set(key, decide(t.steps.filter((s) => s.table !== TRACE_TABLE)));
  }
  const arrived = new Set<string>();
  let sent: Array<{ id: number; outcome: string }> = [];
  for (const line of parts.get('listen')!.split('\n')) {
    const o = safeJson(line) as { source?: string; protocol?: string; sourcePort?: number; destinationPort?: number } | undefined;
    if (o?.source) arrived.add(`${o.source}|${o.protocol}|${o.sourcePort}|${o.destinationPort}`);
  }
  for (const line of parts.get('send')!.split('\n')) {
    const o = safeJson(line) as { results?: typeof sent } | undefined;
    if (o?.results) sent = o.results;
  }
  const order = chainOrder(parts.get('nft') ?? '');
  const saves = { ip: parts.get('iptables'), ip6: parts.get('ip6tables') };
  const outcomes = new Map(sent.map((s) => [s.id, s.outcome]));
  return {
    ok: true,
    read: parts.get('read') ?? '',
    verdicts: flows.map((flow) => {
      const key = `${flow.source}|${flow.protocol}|${flow.sourcePort}|${flow.destinationPort}`;
      const decision = traced.get(key);
      return {
        flow,
        ...(decision ? { decision } : {}),
        ...(decision?.by ? { rule: describeStep(decision.by, order, saves) } : {}),
        arrived: arrived.has(key),
        outcome: outcomes.get(flow.id) ?? 'not sent',
      };
    }),
  };
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
