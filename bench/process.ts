/**
 * sipwall as users run it (issue 15): whole processes, start-up against bare `node -e 0` in
 * alternating runs, and `--profile` files of 100,000 and 1,000,000 prefixes (JSON, YAML and an
 * address list file) with wall time and peak RSS. Used by bench/run.ts (this checkout) and
 * bench/compare.ts (two checkouts in one run).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Deterministic mixed prefixes: `v4` of them IPv4 /16–/32, the rest IPv6 /32–/64 (a seeded LCG). */
export function prefixes(n: number, v4 = 0.7): string[] {
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (next() % 100 < v4 * 100) {
      const len = 16 + (next() % 17);
      const net = (next() >>> (32 - len)) * 2 ** (32 - len);
      out.push(`${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${len}`);
    } else {
      out.push(`2001:db8:${(next() % 0xffff).toString(16)}:${(next() % 0xffff).toString(16)}::/64`);
    }
  }
  return out;
}

/** The command paths of the start-up table: each `sipwall` argument list, run from the repo. */
export const STARTUP: Array<[string, string[]]> = [
  ['sipwall --version', ['--version']],
  ['sipwall render -p flynumber -p vapi --target nftables --pbx asterisk', ['render', '-p', 'flynumber', '-p', 'vapi', '--target', 'nftables', '--pbx', 'asterisk']],
  ['sipwall render --profile examples/profiles/my-trunk.yaml --pbx asterisk --target nftables', ['render', '--profile', 'examples/profiles/my-trunk.yaml', '--pbx', 'asterisk', '--target', 'nftables']],
  ['sipwall render --help', ['render', '--help']],
  ['sipwall providers --json', ['providers', '--json']],
  ['sipwall probe sip --help', ['probe', 'sip', '--help']],
  ['sipwall responder --help', ['responder', '--help']],
  ['sipwall watch --help', ['watch', '--help']],
  ['sipwall history --dir EMPTY', ['history', '--dir', 'EMPTY']],
  ['sipwall exporter --help', ['exporter', '--help']],
  ['sipwall diagnose --help', ['diagnose', '--help']],
  ['sipwall completion', ['completion']],
];

/**
 * Median start-up of each command path of each CLI (`clis`: name → bin path) and of `node -e 0`,
 * all in one loop so that every figure sees the same machine load.
 */
export function startup(cwd: string, clis: Record<string, string>, rounds = 20): { bare: number; rows: Array<{ label: string; ms: Record<string, number> }> } {
  const empty = mkdtempSync(join(tmpdir(), 'sipwall-bench-empty-'));
  const runs = new Map<string, number[]>();
  const once = (key: string, args: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    if (!runs.has(key)) runs.set(key, []);
    // A path a CLI does not have (an older checkout in bench/compare.ts) reads n/a.
    runs.get(key)!.push(r.status === 0 ? performance.now() - t : NaN);
  };
  try {
    for (let round = 0; round < rounds + 2; round++) {
      once('bare', ['-e', '0']);
      for (const [name, cli] of Object.entries(clis)) for (const [label, args] of STARTUP) once(`${name} ${label}`, [cli, ...args.map((a) => (a === 'EMPTY' ? empty : a))]);
    }
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  // The first two rounds warm the file cache.
  const med = (key: string) => median(runs.get(key)!.slice(2));
  return { bare: med('bare'), rows: STARTUP.map(([label]) => ({ label, ms: Object.fromEntries(Object.keys(clis).map((name) => [name, med(`${name} ${label}`)])) })) };
}

/** A provider profile of `n` prefixes (80 % IPv4) in each format, in `dir`. */
export function writeProfiles(dir: string, n: number): Record<'json' | 'yaml' | 'list', string> {
  const list = prefixes(n, 0.8);
  const head = { id: 'feed', name: 'Big feed', source: 'https://example.com/feed', retrieved: '2026-11-01' };
  const json = join(dir, `feed-${n}.json`);
  writeFileSync(json, JSON.stringify({ ...head, roles: { sip: { addresses: list, transports: { udp: 5060, tcp: 5060 } }, media: { addresses: list } } }, null, 2));
  const yaml = join(dir, `feed-${n}.yaml`);
  const items = list.map((a) => `      - ${a}`).join('\n');
  writeFileSync(yaml, `id: feed\nname: Big feed\nsource: https://example.com/feed\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses:\n${items}\n    transports: { udp: 5060, tcp: 5060 }\n  media:\n    addresses:\n${items}\n`);
  writeFileSync(join(dir, `feed-${n}.txt`), `# ${n} prefixes\n${list.join('\n')}\n`);
  const listProfile = join(dir, `feed-${n}-list.yaml`);
  writeFileSync(listProfile, `id: feed\nname: Big feed\nsource: https://example.com/feed\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses: { file: feed-${n}.txt }\n    transports: { udp: 5060, tcp: 5060 }\n  media:\n    addresses: { file: feed-${n}.txt }\n`);
  return { json, yaml, list: listProfile };
}

/** Wall time and peak RSS (GNU time's %M) of one run; null when it failed. */
export function measured(cli: string, args: string[]): { ms: number; mb: number } | null {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - t;
  if (r.status !== 0) return null;
  return { ms, mb: Number(r.stderr.trim().split('\n').at(-1)) / 1024 };
}

/** Runs of one command as a table cell: median wall / largest peak RSS, or `failed` if any failed. */
export function cell(runs: Array<{ ms: number; mb: number } | null>, failed = 'failed'): string {
  if (runs.some((r) => r === null)) return failed;
  return `${median(runs.map((r) => r!.ms)).toFixed(0)} ms / ${Math.max(...runs.map((r) => r!.mb)).toFixed(0)} MB`;
}

/** A render of `profile` to `target` as a user runs it: one folder per run (iptables writes two files). */
export function renderArgs(profile: string, target: string, out: string): string[] {
  return ['render', '--profile', profile, '--pbx', 'asterisk', '--target', target, '--out', out];
}
