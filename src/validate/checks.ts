/**
 * Which real parser checks which target's files, planned as shell steps so that many outputs
 * can be checked in one network namespace (one `unshare` for 200 random cases, not 1,000).
 */
import type { OutputFile } from '../targets/types.js';
import { inNetns, type Check } from './run.js';

export interface CheckPlan {
  /** Files to put in the namespace's working folder. */
  readonly files: Record<string, string>;
  /** Shell commands run in order; each one's exit status is a check. */
  readonly steps: ReadonlyArray<{ readonly label: string; readonly command: string }>;
}

type MutablePlan = { files: Record<string, string>; steps: Array<{ label: string; command: string }> };

/** Pulls the restore payloads out of a shell script's here-documents. */
function heredocs(script: string): Array<{ command: string; body: string }> {
  const out: Array<{ command: string; body: string }> = [];
  const re = /^(.*) <<'(SIPWALL_[A-Z0-9]+)'\n([\s\S]*?)\n\2$/gm;
  for (const m of script.matchAll(re)) out.push({ command: m[1]!, body: `${m[3]!}\n` });
  return out;
}

/** nft -c -f on each nftables file (the payload of a shell form). */
function planNftables(files: readonly OutputFile[], id: string): CheckPlan {
  const plan: MutablePlan = { files: {}, steps: [] };
  for (const f of files) {
    const body = f.name.endsWith('.sh') ? heredocs(f.content).map((h) => h.body).join('') : f.content;
    const name = `${id}-${f.name}.nft`;
    plan.files[name] = body;
    plan.steps.push({ label: `nft -c -f ${f.name}`, command: `nft -c -f ${name}` });
  }
  return plan;
}

/**
 * ipset sets are loaded for real first (the rules refer to them), then every rules payload goes
 * through iptables-restore --test (nf_tables backend) and iptables-legacy-restore --test, which
 * also catches a jump to an undeclared chain.
 */
function planIptables(files: readonly OutputFile[], id: string): CheckPlan {
  const parts: Array<{ command: string; body: string }> = [];
  for (const f of files) {
    if (f.name.endsWith('.sh')) parts.push(...heredocs(f.content));
    else if (f.name.endsWith('.ipset')) parts.push({ command: 'ipset restore', body: f.content });
    else parts.push({ command: f.name.endsWith('.v6') ? 'ip6tables-restore' : 'iptables-restore', body: f.content });
  }
  const plan: MutablePlan = { files: {}, steps: [] };
  parts.forEach((p, i) => {
    const name = `${id}-part${i}`;
    plan.files[name] = p.body;
    if (p.command.startsWith('ipset')) {
      plan.steps.push({ label: 'ipset restore', command: `ipset restore < ${name}` });
      return;
    }
    const tool = p.command.startsWith('ip6tables') ? 'ip6tables' : 'iptables';
    for (const restore of [`${tool}-restore`, `${tool}-legacy-restore`]) {
      plan.steps.push({ label: `${restore} --test`, command: `${restore} --test < ${name}` });
    }
  });
  return plan;
}

export function planChecks(targetId: string, files: readonly OutputFile[], id = 'out'): CheckPlan {
  switch (targetId) {
    case 'nftables':
      return planNftables(files, id);
    case 'iptables':
      return planIptables(files, id);
    default:
      return { files: {}, steps: [] };
  }
}

/** Runs plans in one throw-away namespace after `setup` (e.g. the table an --into file needs). */
export function runChecks(plans: readonly CheckPlan[], setup = ''): Check[] {
  const files: Record<string, string> = { 'setup.nft': setup };
  const steps = plans.flatMap((p) => {
    Object.assign(files, p.files);
    return p.steps;
  });
  const script = [
    setup === '' ? '' : 'nft -f setup.nft || echo "@@setup failed"',
    ...steps.map((s, i) => `${s.command} > step${i}.out 2>&1; echo "@@$? ${i}"; head -c 2000 step${i}.out | sed 's/^/@@> ${i} /'`),
  ].join('\n');
  const { ok, output } = inNetns(files, script, 600_000);
  if (!ok || output.includes('@@setup failed')) return [{ command: 'setup', ok: false, output }];
  const status = new Map<number, number>();
  const said = new Map<number, string[]>();
  for (const line of output.split('\n')) {
    const done = /^@@(\d+) (\d+)$/.exec(line);
    if (done) status.set(Number(done[2]), Number(done[1]));
    const text = /^@@> (\d+) (.*)$/.exec(line);
    if (text) said.set(Number(text[1]), [...(said.get(Number(text[1])) ?? []), text[2]!]);
  }
  return steps.map((s, i) => ({ command: s.label, ok: status.get(i) === 0, output: (said.get(i) ?? []).join('\n') }));
}

/** Checks one target's files in their own namespace. */
export function checkTarget(targetId: string, files: readonly OutputFile[], setup = ''): Check[] {
  return runChecks([planChecks(targetId, files)], setup);
}

/** What an nftables --into file expects to exist: the user's table and chains (nft -c only). */
export function intoSetup(targetId: string, into: string | undefined, intoOutput: string | undefined): string {
  if (targetId !== 'nftables' || into === undefined) return '';
  const lines = [into, intoOutput].flatMap((ref, i) => {
    const [family, table, chain] = (ref ?? '').split('/');
    if (!family || !table || !chain) return [];
    return [`add table ${family} ${table}`, `add chain ${family} ${table} ${chain} { type filter hook ${i === 0 ? 'input' : 'output'} priority 0; }`];
  });
  return `${lines.join('\n')}\n`;
}
