/**
 * Who else manages this host's firewall, read off its ruleset: a standalone apply next to them
 * would wipe their rules (iptables-restore replaces the filter table) or open nothing (a packet
 * must pass every base chain at a hook: another table's drop is final). Pure.
 *
 * The marks each tool leaves, from its own code:
 * - ufw: its chains ufw-before-input, ufw-user-input, … (ufw's before.rules, user.rules);
 * - firewalld: the nftables table `inet firewalld` (firewalld/nftables.py, TABLE_NAME), or with
 *   the iptables backend its INPUT_direct and IN_<zone> chains (firewalld/ipXtables.py);
 * - Docker: the DOCKER, DOCKER-USER and DOCKER-ISOLATION-STAGE-* chains (moby libnetwork
 *   iptables), or its own nftables table `ip docker-bridges` in Docker 28's nftables mode;
 * - fail2ban: its f2b-<jail> chains (action.d/iptables.conf: chain = f2b-<name>) or the table
 *   `inet f2b-table` (action.d/nftables.conf).
 */
import { nftTables, type Ruleset } from '../diagnose/ruleset.js';

export interface Manager {
  /** ufw, firewalld, Docker, fail2ban, or `nftables table inet filter`. */
  readonly name: string;
  /** What shows it: `chain ufw-before-input`. */
  readonly evidence: string;
  /** What to do instead of a standalone apply. */
  readonly instead: string;
}

interface Mark {
  readonly name: string;
  readonly chain?: RegExp;
  readonly table?: RegExp;
  readonly instead: string;
}

const MARKS: readonly Mark[] = [
  { name: 'ufw', chain: /^ufw6?-/, instead: 'let ufw own the firewall: sipwall render --target ufw' },
  { name: 'firewalld', chain: /^(INPUT_direct|IN_\w+|FWDI_\w+)$/, table: /^inet firewalld$/, instead: 'let firewalld own the firewall: sipwall render --target firewalld' },
  { name: 'Docker', chain: /^DOCKER(-USER|-ISOLATION-STAGE-\d|-FORWARD|-CT|-BRIDGE)?$/, table: /^ip6? docker-bridges$/, instead: "hook into the host's input chain instead: --into INPUT (iptables) or --into FAMILY/TABLE/CHAIN (nftables); a standalone forward policy of drop would also cut its containers off" },
  { name: 'fail2ban', chain: /^f2b-/, table: /^inet f2b-table$/, instead: 'hook into the input chain fail2ban also uses: --into INPUT (iptables) or --into FAMILY/TABLE/CHAIN (nftables)' },
];

/** Chain names of iptables-save text (`:NAME POLICY [p:b]`). */
function saveChains(text: string): string[] {
  return [...text.matchAll(/^:(\S+) /gm)].map((m) => m[1]!);
}

export function managersOf(live: Ruleset): Manager[] {
  const found = new Map<string, Manager>();
  const tables = nftTables(live.nft ?? '');
  const chains = [
    ...saveChains(live.iptables ?? '').map((c) => ({ chain: c, where: 'iptables' })),
    ...saveChains(live.ip6tables ?? '').map((c) => ({ chain: c, where: 'ip6tables' })),
    ...tables.flatMap((t) => [...t.text.matchAll(/^\tchain (\S+) \{/gm)].map((m) => ({ chain: m[1]!, where: `nftables table ${t.family} ${t.name}` }))),
  ];
  for (const mark of MARKS) {
    const table = tables.find((t) => mark.table?.test(`${t.family} ${t.name}`));
    const chain = chains.find((c) => mark.chain?.test(c.chain));
    const evidence = table ? `nftables table ${table.family} ${table.name}` : chain ? `${chain.where} chain ${chain.chain}` : undefined;
    if (evidence && !found.has(mark.name)) found.set(mark.name, { name: mark.name, evidence, instead: mark.instead });
  }
  return [...found.values()];
}

/**
 * nftables base chains at the input or forward hook, outside sipwall's table, that drop what
 * they do not accept: a standalone sipwall table's accepts do not override them.
 */
export function droppingChains(live: Ruleset): Manager[] {
  const out: Manager[] = [];
  for (const t of nftTables(live.nft ?? '')) {
    if (t.family === 'inet' && t.name === 'sipwall') continue;
    for (const m of t.text.matchAll(/^\tchain (\S+) \{\n([\s\S]*?)^\t\}/gm)) {
      const body = m[2]!;
      const hook = /type filter hook (input|forward) /.exec(body);
      if (hook && (/policy drop;/.test(body) || /^\t\t.* (drop|reject)( |$)/m.test(body))) {
        out.push({ name: `nftables table ${t.family} ${t.name}`, evidence: `its base chain ${m[1]} drops at the ${hook[1]} hook`, instead: `--into ${t.family}/${t.name}/${m[1]}` });
      }
    }
  }
  for (const [text, tool] of [[live.iptables, 'iptables'], [live.ip6tables, 'ip6tables']] as const) {
    const drop = /^:(INPUT|FORWARD) DROP /m.exec(text ?? '');
    if (drop) out.push({ name: tool, evidence: `its ${drop[1]} chain's policy is DROP`, instead: '--target iptables --into INPUT' });
  }
  return out;
}
