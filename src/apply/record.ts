/**
 * The record of a confirmed apply (/var/lib/sipwall/applied.json), and the script `sipwall
 * remove` runs from it: it takes out what the apply added (its table or chains, the jump into
 * them, its sets, the standalone rules and policies) and nothing else. Pure.
 */
import { shellWord } from '../text/shell-word.js';
import { OWN_CHAINS, type Snapshot } from './scope.js';

export interface AppliedRecord {
  readonly sipwall: string;
  readonly applied: string;
  readonly command: string;
  readonly target: 'nftables' | 'iptables';
  /** `--into` and `--into-output`, when given. */
  readonly into: readonly string[];
  readonly tables: readonly string[];
  readonly ipsets: readonly string[];
  /** The script that was applied. */
  readonly script: string;
  /** Built-in chains' policies before a standalone iptables apply: `{"4": {"INPUT": "ACCEPT"}}`. */
  readonly policies: { readonly [v: string]: { readonly [chain: string]: string } };
  /** The filter tables (`4`, `6`) the apply made: remove deletes them again once they are empty. */
  readonly created?: readonly string[];
  /** Files --persist wrote, and the file it added an include line to. */
  readonly persisted: readonly string[];
  readonly include?: string;
}

const WORD = /^[A-Za-z0-9_.-]{1,64}$/;

/** A record read back: every name it holds is checked, as it goes into a shell script. */
export function parseRecord(text: string): AppliedRecord | string {
  let r: Partial<AppliedRecord>;
  try {
    r = JSON.parse(text) as Partial<AppliedRecord>;
  } catch {
    return 'not JSON';
  }
  if (r.target !== 'nftables' && r.target !== 'iptables') return 'no target';
  const words = (xs: unknown, sep: string) => Array.isArray(xs) && xs.every((x) => typeof x === 'string' && x.split(sep).every((w) => WORD.test(w)));
  if (!words(r.into, '/') || !words(r.tables, ' ') || !words(r.ipsets, ' ')) return 'a name that is not a word';
  if (typeof r.script !== 'string' || !Array.isArray(r.persisted) || !r.persisted.every((p) => typeof p === 'string' && /^\/etc\/[A-Za-z0-9_./-]+$/.test(p) && !p.includes('..'))) return 'no script or a persisted path outside /etc';
  if (r.include !== undefined && (typeof r.include !== 'string' || !/^\/etc\/[A-Za-z0-9_./-]+$/.test(r.include) || r.include.includes('..'))) return 'an include path outside /etc';
  if (r.created !== undefined && !(Array.isArray(r.created) && r.created.every((v) => v === '4' || v === '6'))) return 'a created table that is not 4 or 6';
  const policies = r.policies ?? {};
  for (const v of Object.values(policies)) for (const [c, p] of Object.entries(v)) if (!/^(INPUT|FORWARD|OUTPUT)$/.test(c) || !/^(ACCEPT|DROP)$/.test(p)) return 'a policy that is not ACCEPT or DROP';
  return r as AppliedRecord;
}

/** Built-in chains' policies of each filter table in a snapshot. */
export function policiesOf(s: Snapshot): AppliedRecord['policies'] {
  const out: { [v: string]: { [chain: string]: string } } = {};
  for (const v of ['4', '6'] as const) {
    out[v] = Object.fromEntries([...(s.filter[v] ?? '*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\n').matchAll(/^:(INPUT|FORWARD|OUTPUT) (ACCEPT|DROP)/gm)].map((m) => [m[1]!, m[2]!]));
  }
  return out;
}

/** The iptables-restore files of a script: `{4: text, 6: text}` from its heredocs. */
function restoreFiles(script: string): { 4?: string; 6?: string } {
  const out: { 4?: string; 6?: string } = {};
  for (const m of script.matchAll(/^(ip6?)tables-restore[^\n]*<<'(\w+)'\n([\s\S]*?)^\2$/gm)) out[m[1] === 'ip6' ? 6 : 4] = m[3]!;
  return out;
}

export function removeScript(r: AppliedRecord): string {
  const out = ['status=0'];
  const own = OWN_CHAINS.filter((c) => (r.target === 'nftables' ? c.startsWith('sipwall') : c.startsWith('SIPWALL')));
  if (r.target === 'nftables') {
    for (const t of r.tables.filter((t) => t === 'inet sipwall')) out.push(`nft list table ${t} >/dev/null 2>&1 && { nft delete table ${t} || status=1; }`);
    for (const ref of r.into) {
      const [family, table, chain] = ref.split('/') as [string, string, string];
      // The jump rules by handle; then the chains, once nothing jumps to them.
      out.push(`for h in $(nft -a list chain ${family} ${table} ${chain} 2>/dev/null | grep -E ' jump sipwall_(in|out)( |$)' | sed -n 's/.*# handle \\([0-9]*\\)$/\\1/p'); do nft delete rule ${family} ${table} ${chain} handle "$h" || status=1; done`);
    }
    for (const t of r.tables.filter((t) => t !== 'inet sipwall')) for (const c of own) out.push(`nft list chain ${t} ${c} >/dev/null 2>&1 && { nft delete chain ${t} ${c} || status=1; }`);
  } else {
    const files = restoreFiles(r.script);
    for (const v of ['4', '6'] as const) {
      const tool = v === '6' ? 'ip6tables' : 'iptables';
      const text = files[v] ?? '';
      // Each rule the apply added to a built-in chain, deleted once, by its own text.
      for (const m of text.matchAll(/^-A (INPUT|FORWARD|OUTPUT) (.*)$/gm)) out.push(`printf '%s\\n' '*filter' ${shellWord(`-D ${m[1]} ${m[2]}`)} COMMIT | ${tool}-restore --noflush 2>/dev/null || status=1`);
      for (const c of own) {
        const hook = c.endsWith('IN') ? 'INPUT' : 'OUTPUT';
        out.push(`i=0; while [ $i -lt 100 ] && ${tool} -D ${hook} -j ${c} 2>/dev/null; do i=$((i + 1)); done`);
        out.push(`if ${tool} -n -L ${c} >/dev/null 2>&1; then ${tool} -F ${c} && ${tool} -X ${c} || status=1; fi`);
      }
      for (const [chain, policy] of Object.entries(r.policies[v] ?? {})) if (new RegExp(`^:${chain} `, 'm').test(text)) out.push(`${tool} -P ${chain} ${policy} || status=1`);
      // A table the apply made, left empty (built-in chains accepting, nothing else): gone again.
      if (r.created?.includes(v)) out.push(`if ${tool} --version | grep -q nf_tables && [ -z "$(${tool} -S | grep -v '^-P [A-Z]* ACCEPT$')" ]; then nft delete table ip${v === '6' ? '6' : ''} filter || status=1; fi`);
    }
    for (const s of r.ipsets) out.push(`ipset list -n ${s} >/dev/null 2>&1 && { ipset destroy ${s} || status=1; }`);
  }
  out.push('exit $status');
  return `${out.join('\n')}\n`;
}
