/**
 * What `sipwall apply` touches on a host, how it is read (one shell fragment, run on the host and
 * in the rehearsal's namespace alike), and the script that puts it back exactly. Pure.
 *
 * - nftables: the tables the script writes into: `inet sipwall` (standalone) or the table of
 *   `--into`/`--into-output`. Nothing outside them is written.
 * - iptables: the `filter` table of iptables and ip6tables (iptables-restore replaces it whole,
 *   standalone; `--into` adds chains and a jump to it), and the ipsets the script creates.
 */

export interface Scope {
  readonly target: 'nftables' | 'iptables';
  /** `inet sipwall`, `inet filter`: the nftables tables written into. */
  readonly tables: readonly string[];
  /** The ipsets the script creates (without their `-tmp` twins, which it destroys itself). */
  readonly ipsets: readonly string[];
}

/** One reading of a scope: each part's text, or undefined when it does not exist. */
export interface Snapshot {
  /** `nft list table …` per table of the scope. */
  readonly tables: Readonly<Record<string, string | undefined>>;
  /** `iptables-save -c -t filter` and the v6 twin; undefined when the table does not exist. */
  readonly filter: Readonly<Partial<Record<'4' | '6', string>>>;
  /** `ipset save NAME` per set. */
  readonly ipsets: Readonly<Record<string, string | undefined>>;
}

/** sipwall's own chain names, in every target and mode: what a re-apply may replace. */
export const OWN_CHAINS = ['sipwall_in', 'sipwall_out', 'SIPWALL-IN', 'SIPWALL-OUT'] as const;

export function scopeOf(target: 'nftables' | 'iptables', script: string, into: readonly (string | undefined)[]): Scope {
  if (target === 'iptables') {
    const ipsets = [...script.matchAll(/^create (\S+) /gm)].map((m) => m[1]!).filter((n) => !n.endsWith('-tmp'));
    return { target, tables: [], ipsets: [...new Set(ipsets)] };
  }
  const named = into.filter((r): r is string => r !== undefined).map((r) => r.split('/').slice(0, 2).join(' '));
  const standalone = [...script.matchAll(/^table (\S+ \S+) \{$/gm)].map((m) => m[1]!);
  return { target, tables: [...new Set([...named, ...standalone])], ipsets: [] };
}

/** Section markers of a snapshot's output (the replay's own are `@@`). */
const MARK = '%%';

/** A shell fragment that prints a snapshot of the scope (parsed by parseSnapshot). */
export function snapshotScript(scope: Scope): string {
  const lines: string[] = [];
  for (const t of scope.tables) lines.push(`echo '${MARK}table ${t}'; nft list table ${t} 2>/dev/null || echo '${MARK}absent'`);
  if (scope.target === 'iptables') {
    for (const [v, save, table] of [['4', 'iptables-save', 'ip filter'], ['6', 'ip6tables-save', 'ip6 filter']] as const) {
      // iptables-nft lists a filter table it has not made; nft says whether it exists.
      lines.push(`echo '${MARK}filter ${v}'; if ${save} --version 2>/dev/null | grep -q nf_tables && ! nft list table ${table} >/dev/null 2>&1; then echo '${MARK}absent'; else ${save} -c -t filter 2>/dev/null | grep -v '^# '; fi`);
    }
  }
  for (const s of scope.ipsets) lines.push(`echo '${MARK}ipset ${s}'; ipset save ${s} 2>/dev/null || echo '${MARK}absent'`);
  return `${lines.join('\n')}\n`;
}

export function parseSnapshot(text: string): Snapshot {
  const tables: Record<string, string | undefined> = {};
  const filter: Partial<Record<'4' | '6', string>> = {};
  const ipsets: Record<string, string | undefined> = {};
  let put: ((s: string | undefined) => void) | undefined;
  let body: string[] = [];
  let absent = false;
  const flush = () => put?.(absent ? undefined : body.join('\n') + (body.length > 0 ? '\n' : ''));
  for (const line of text.split('\n')) {
    if (line === `${MARK}absent`) {
      absent = true;
      continue;
    }
    const m = new RegExp(`^${MARK}(table|filter|ipset) (.+)$`).exec(line);
    if (!m) {
      if (put && line !== '') body.push(line);
      continue;
    }
    flush();
    const [, kind, name] = m as unknown as [string, string, string];
    body = [];
    absent = false;
    put = kind === 'table' ? (s) => (tables[name] = s) : kind === 'filter' ? (s) => (s === undefined ? delete filter[name as '4'] : (filter[name as '4'] = s)) : (s) => (ipsets[name] = s);
  }
  flush();
  return { tables, filter, ipsets };
}

/** A snapshot without counters: what a re-apply compares (counters move with every packet). */
export function normalize(s: Snapshot): string {
  const parts: string[] = [];
  for (const [name, text] of Object.entries(s.tables)) parts.push(`# nft table ${name}\n${text === undefined ? '(none)\n' : text.replace(/ counter packets \d+ bytes \d+/g, ' counter')}`);
  for (const v of ['4', '6'] as const) if (v in s.filter) parts.push(`# ip${v === '6' ? '6' : ''}tables filter\n${s.filter[v]!.replace(/^\[\d+:\d+\] /gm, '').replace(/ \[\d+:\d+\]$/gm, ' [0:0]')}`);
  // A set's members in hash order, and its random hash seed (initval), change with every load.
  for (const [name, text] of Object.entries(s.ipsets)) parts.push(`# ipset ${name}\n${text === undefined ? '(none)\n' : `${withoutSeed(text).split('\n').filter((l) => l !== '').sort((a, b) => Number(b.startsWith('create ')) - Number(a.startsWith('create ')) || a.localeCompare(b)).join('\n')}\n`}`);
  return parts.join('');
}

/** `ipset save` text without the random `initval` each set is made with. */
function withoutSeed(text: string): string {
  return text.replace(/ initval 0x[0-9a-f]+/g, '');
}

/** Chains, sets and maps of an nft table listing. */
function objects(text: string, kind: 'chain' | 'set' | 'map'): string[] {
  return [...text.matchAll(new RegExp(`^\\t${kind} (\\S+) \\{`, 'gm'))].map((m) => m[1]!);
}

/** Rule lines of a snapshot that are not sipwall's own: what a run must not lose. */
function ruleLines(s: Snapshot): Set<string> {
  const out = new Set<string>();
  const own = (chain: string) => (OWN_CHAINS as readonly string[]).includes(chain);
  for (const [name, text] of Object.entries(s.tables)) {
    if (text === undefined || name === 'inet sipwall') continue;
    let chain = '';
    for (const line of text.replace(/ counter packets \d+ bytes \d+/g, ' counter').split('\n')) {
      const c = /^\tchain (\S+) \{/.exec(line);
      if (c) chain = c[1]!;
      else if (/^\t\t\S/.test(line) && !/^\t\t(type|policy) /.test(line) && !own(chain) && !/(^|\s)(jump|goto) sipwall_(in|out)\b/.test(line)) out.add(`${name} ${chain}: ${line.trim()}`);
    }
  }
  for (const v of ['4', '6'] as const) {
    for (const line of (s.filter[v] ?? '').replace(/^\[\d+:\d+\] /gm, '').split('\n')) {
      const m = /^-A (\S+) (.*)$/.exec(line);
      if (m && !own(m[1]!) && !/ -j SIPWALL-(IN|OUT)$/.test(line)) out.add(`ip${v === '6' ? '6' : ''}tables ${line}`);
    }
  }
  return out;
}

/** Rules of another's in `before` that `after` no longer has: what the run would wipe. */
export function wiped(before: Snapshot, after: Snapshot): string[] {
  const kept = ruleLines(after);
  return [...ruleLines(before)].filter((l) => !kept.has(l));
}

/** `command <<'SIPWALL_REVERT' rest` then the text: `rest` (`|| status=1`) stays on the command's line. */
const heredoc = (command: string, text: string, rest = '') => `${command} <<'SIPWALL_REVERT'${rest === '' ? '' : ` ${rest}`}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}SIPWALL_REVERT`;

/**
 * The script that puts `before` back, given `after` (what the rehearsal says the run leaves):
 * each nftables table emptied in place and refilled from its saved text in one transaction, so
 * that its place among the tables and its chains' order stay as they were (a fallback deletes
 * and reloads it whole when the table changed meanwhile); iptables' filter tables restored with
 * their counters; ipsets emptied and refilled, or destroyed when the run made them.
 */
export function revertScript(scope: Scope, before: Snapshot, after: Snapshot): string {
  const out = ['# sipwall apply: puts back what was there before. Run by sipwall, or by its watchdog when no one confirmed.', 'status=0'];
  for (const t of scope.tables) {
    const was = before.tables[t];
    if (was === undefined) {
      out.push(`nft list table ${t} >/dev/null 2>&1 && { nft delete table ${t} || status=1; }`);
      continue;
    }
    const now = after.tables[t] ?? '';
    const tx = [
      `flush table ${t}`,
      ...objects(was, 'set').map((s) => `flush set ${t} ${s}`),
      ...objects(was, 'map').map((s) => `flush map ${t} ${s}`),
      ...objects(now, 'chain').filter((c) => !objects(was, 'chain').includes(c)).map((c) => `delete chain ${t} ${c}`),
      ...objects(now, 'set').filter((c) => !objects(was, 'set').includes(c)).map((c) => `delete set ${t} ${c}`),
      was,
    ].join('\n');
    out.push(`if ! ${heredoc('nft -f -', tx)}\nthen\n${heredoc('nft -f -', `table ${t}\ndelete table ${t}\n${was}`, '|| status=1')}\nfi`);
  }
  if (scope.target === 'iptables') {
    for (const [v, restore, table] of [['4', 'iptables-restore', 'ip filter'], ['6', 'ip6tables-restore', 'ip6 filter']] as const) {
      const was = before.filter[v];
      if (was !== undefined) out.push(heredoc(`${restore} -c`, was, '|| status=1'));
      else {
        // It did not exist: empty it (a legacy kernel table cannot go), then delete the nftables one.
        out.push(heredoc(restore, '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n', '|| status=1'));
        out.push(`if ${restore.replace('-restore', '')} --version 2>/dev/null | grep -q nf_tables; then nft delete table ${table} 2>/dev/null; fi`);
      }
    }
  }
  for (const s of scope.ipsets) {
    const was = before.ipsets[s];
    if (was === undefined) out.push(`ipset list -n ${s} >/dev/null 2>&1 && { ipset destroy ${s} || status=1; }`);
    else out.push(`ipset flush ${s} 2>/dev/null; ${heredoc('ipset restore -exist', withoutSeed(was), '|| status=1')}`);
  }
  out.push('exit $status');
  return `${out.join('\n')}\n`;
}
