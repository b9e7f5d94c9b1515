/** Which real parser checks which target's files. */
import type { OutputFile } from '../targets/types.js';
import { inNetns, type Check } from './run.js';

/** Pulls the restore payloads out of a shell script's here-documents. */
function heredocs(script: string): Array<{ command: string; body: string }> {
  const out: Array<{ command: string; body: string }> = [];
  const re = /^(.*) <<'(SIPWALL_[A-Z0-9]+)'\n([\s\S]*?)\n\2$/gm;
  for (const m of script.matchAll(re)) out.push({ command: m[1]!, body: `${m[3]!}\n` });
  return out;
}

function check(command: string, files: Record<string, string>, script: string): Check {
  const { ok, output } = inNetns(files, script);
  return { command, ok, output };
}

/** nft -c -f on an nftables file; `prelude` creates what an `--into` file expects to exist. */
export function checkNftables(file: OutputFile, prelude = ''): Check[] {
  const body = file.name.endsWith('.sh') ? heredocs(file.content).map((h) => h.body).join('\n') : file.content;
  const setup = prelude === '' ? '' : 'nft -f prelude.nft && ';
  return [check(`nft -c -f ${file.name}`, { 'rules.nft': body, 'prelude.nft': prelude }, `${setup}nft -c -f rules.nft`)];
}

/**
 * iptables-restore --test (nf_tables backend) and iptables-legacy-restore --test (which also
 * catches a jump to an undeclared chain) for each family; ipset sets are loaded first because
 * the rules refer to them.
 */
export function checkIptables(files: readonly OutputFile[]): Check[] {
  const parts: Array<{ command: string; body: string }> = [];
  for (const f of files) {
    if (f.name.endsWith('.sh')) parts.push(...heredocs(f.content));
    else if (f.name.endsWith('.ipset')) parts.push({ command: 'ipset restore', body: f.content });
    else parts.push({ command: f.name.endsWith('.v6') ? 'ip6tables-restore' : 'iptables-restore', body: f.content });
  }
  const sets = parts.filter((p) => p.command.startsWith('ipset')).map((p) => p.body).join('\n');
  const load = sets === '' ? '' : 'ipset restore < sets && ';
  return parts
    .filter((p) => !p.command.startsWith('ipset'))
    .flatMap((p) => {
      const tool = p.command.startsWith('ip6tables') ? 'ip6tables' : 'iptables';
      return [`${tool}-restore`, `${tool}-legacy-restore`].map((restore) =>
        check(`${restore} --test`, { rules: p.body, sets }, `${load}${restore} --test < rules`),
      );
    });
}

export function checkTarget(targetId: string, files: readonly OutputFile[], prelude = ''): Check[] {
  switch (targetId) {
    case 'nftables':
      return files.flatMap((f) => checkNftables(f, prelude));
    case 'iptables':
      return checkIptables(files);
    default:
      return [];
  }
}
