/**
 * Replay verdicts → findings: provider flows the firewall drops or rejects (calls that never
 * arrive, one-way audio), strangers it lets reach SIP (toll fraud), flows it accepts that still do
 * not arrive. Flows are grouped by what decided them, so one missing rule is one finding. Pure.
 */
import type { Finding } from './findings.js';
import type { Flow } from './flows.js';
import type { FlowVerdict } from './replay.js';

export interface FixContext {
  /** `-p flynumber --pbx asterisk`: the flags that name the providers and the PBX. */
  readonly flags: string;
}

/** At most this many sources or ports named in one line of evidence. */
const NAMED = 6;

function list(items: readonly (string | number)[]): string {
  const unique = [...new Set(items)];
  return unique.length <= NAMED ? unique.join(', ') : `${unique.slice(0, NAMED).join(', ')} and ${unique.length - NAMED} more`;
}

/** What the flow carries, for a title: `FlyNumber SIP over tcp to port 5060`. */
function what(f: Flow): string {
  return f.role === 'sip' ? `SIP over ${f.protocol}` : 'RTP (udp)';
}

/**
 * `21 of 21 provider flows accepted, 3 of 3 strangers on SIP refused` (and, when there are any,
 * `1 of 1 management flows kept`): what a replay found, in one line.
 */
export function flowSummary(verdicts: readonly FlowVerdict[]): string {
  const accepted = (v: FlowVerdict) => v.decision?.verdict === 'accept';
  const provider = verdicts.filter((v) => v.flow.role !== 'management');
  const wanted = provider.filter((v) => v.flow.expect === 'accept');
  const strangers = provider.filter((v) => v.flow.expect === 'refuse');
  const management = verdicts.filter((v) => v.flow.role === 'management');
  const kept = management.length > 0 ? `, ${management.filter(accepted).length} of ${management.length} management flows kept` : '';
  return `${wanted.filter(accepted).length} of ${wanted.length} provider flows accepted, ${strangers.filter((v) => !accepted(v)).length} of ${strangers.length} strangers on SIP refused${kept}`;
}

/** The target and `--into` chain for sipwall's rules: the chain where the deciding rule sits. */
export function intoOf(v: FlowVerdict): { target: 'nftables' | 'iptables'; into: string } {
  const by = v.decision?.by;
  if (by?.family === 'ip' || by?.family === 'ip6') return { target: 'iptables', into: by.table === 'filter' && /^[A-Z]/.test(by.chain) ? by.chain : 'INPUT' };
  if (by) return { target: 'nftables', into: `${by.family}/${by.table}/${by.chain}` };
  return { target: 'nftables', into: 'inet/filter/input' };
}

/** The render command that writes sipwall's rules into the chain where the deciding rule sits. */
export function renderFix(v: FlowVerdict, ctx: FixContext): string {
  const { target, into } = intoOf(v);
  return `sipwall render ${ctx.flags} --target ${target} --into ${into} --form shell`;
}

/** For a provider flow a rule or policy refuses: sipwall's accept rules go first in that chain. */
export function fixFor(v: FlowVerdict, ctx: FixContext): string {
  return `${v.decision?.by?.rule === undefined ? '' : "put the provider's accept rules before that rule: "}${renderFix(v, ctx)}`;
}

export function firewallFindings(verdicts: readonly FlowVerdict[], ctx: FixContext): Finding[] {
  const findings: Finding[] = [];
  const blocked = verdicts.filter((v) => v.flow.expect === 'accept' && v.decision && v.decision.verdict !== 'accept');
  const groups = new Map<string, FlowVerdict[]>();
  for (const v of blocked) {
    const key = `${v.flow.provider}|${v.flow.role}|${v.flow.protocol}|${v.decision!.verdict}|${v.rule ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  for (const group of groups.values()) {
    const f = group[0]!.flow;
    const all = verdicts.filter((v) => v.flow.expect === 'accept' && v.flow.provider === f.provider && v.flow.role === f.role && v.flow.protocol === f.protocol);
    const ports = group.map((v) => v.flow.destinationPort);
    const verb = group[0]!.decision!.verdict === 'reject' ? 'rejected' : 'dropped';
    const effect = f.role === 'sip' ? 'calls from the provider over this transport never arrive' : 'one-way audio: the caller\'s voice never reaches the PBX on calls given these ports';
    findings.push({
      severity: 'error',
      part: 'firewall',
      title: `${f.provider} ${what(f)} to port${new Set(ports).size > 1 ? "s" : ""} ${list(ports)} is ${verb}: ${effect}`,
      evidence: [
        `${group.length} of ${all.length} sampled ${f.provider} ${f.role} flows over ${f.protocol} ${verb} (sources ${list(group.map((v) => v.flow.source))})`,
        `decided by ${group[0]!.rule ?? 'no rule the trace named'}`,
      ],
      fix: fixFor(group[0]!, ctx),
    });
  }
  const open = verdicts.filter((v) => v.flow.expect === 'refuse' && v.decision?.verdict === 'accept');
  const byRule = new Map<string, FlowVerdict[]>();
  for (const v of open) byRule.set(v.rule ?? '', [...(byRule.get(v.rule ?? '') ?? []), v]);
  for (const group of byRule.values()) {
    findings.push({
      severity: 'warning',
      part: 'firewall',
      title: `SIP port${group.length > 1 ? 's' : ''} ${list(group.map((v) => `${v.flow.protocol}/${v.flow.destinationPort}`))} accept${group.length > 1 ? '' : 's'} any address: scanners find an open SIP port within minutes and try toll fraud`,
      evidence: [`${list(group.map((v) => v.flow.source))}, listed by no provider, got through`, `accepted by ${group[0]!.rule ?? 'the chains\' policies'}`],
      fix: `${group[0]!.decision?.by?.rule === undefined ? "make the chain's policy drop" : 'remove or narrow that rule'}, and accept SIP only from the providers' addresses: ${renderFix(group[0]!, ctx)}`,
    });
  }
  const lost = verdicts.filter((v) => v.flow.expect === 'accept' && v.decision?.verdict === 'accept' && !v.arrived);
  if (lost.length > 0) {
    findings.push({
      severity: 'warning',
      part: 'firewall',
      title: `${lost.length} provider flow${lost.length > 1 ? 's' : ''} the input chains accept did not arrive (a later hook or a redirect took ${lost.length > 1 ? 'them' : 'it'})`,
      evidence: lost.slice(0, NAMED).map((v) => `${v.flow.protocol} ${v.flow.source}:${v.flow.sourcePort} → port ${v.flow.destinationPort}: accepted by ${v.rule ?? 'policy'}, sender saw ${v.outcome}`),
      fix: 'look for nat/redirect rules and for chains on the output hook that drop the answers',
    });
  }
  const untraced = verdicts.filter((v) => !v.decision);
  if (untraced.length > 0) {
    findings.push({
      severity: 'info',
      part: 'firewall',
      title: `${untraced.length} flow${untraced.length > 1 ? 's' : ''} left no trace: no verdict for ${untraced.length > 1 ? 'them' : 'it'}`,
      evidence: untraced.slice(0, NAMED).map((v) => `${v.flow.protocol} ${v.flow.source} → port ${v.flow.destinationPort} (${v.outcome})`),
      fix: 'run again; if it stays, the ruleset drops packets before the prerouting hook (netdev ingress)',
    });
  }
  return findings;
}
