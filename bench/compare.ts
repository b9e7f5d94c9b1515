/**
 * Before and after in one run (issue 15): `node --import tsx bench/compare.ts OLD_CHECKOUT`
 * times the command paths and the 100,000-prefix profiles of an older checkout (built, e.g. a
 * `git worktree` of the commit before) and of this one, alternating, and prints Markdown rows for
 * BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { cell, measured, renderArgs, startup, writeProfiles } from './process.js';

const root = join(import.meta.dirname, '..');
const RUNS = 5;
const old = process.argv[2];
if (!old) throw new Error('give the path of an older, built checkout');
const clis = { before: join(old, 'bin', 'sipwall.cjs'), after: join(root, 'bin', 'sipwall.cjs') };
const fmt = (ms: number | undefined, bare: number) => (ms === undefined || Number.isNaN(ms) ? 'n/a' : `${ms.toFixed(0)} ms (${(ms / bare).toFixed(2)}×)`);

const cold = startup(root, clis);
const lines = [`Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; \`node -e 0\` ${cold.bare.toFixed(0)} ms in the same loop.`, '', '| command | before | after |', '|---|---:|---:|'];
for (const row of cold.rows) lines.push(`| \`${row.label}\` | ${fmt(row.ms.before, cold.bare)} | ${fmt(row.ms.after, cold.bare)} |`);

const dir = mkdtempSync(join(tmpdir(), 'sipwall-compare-'));
try {
  const files = writeProfiles(dir, 100_000);
  lines.push('', `| 100,000 prefixes (80 % IPv4), median of ${RUNS} alternating runs: wall / peak RSS | before | after |`, '|---|---:|---:|');
  let out = 0;
  for (const [format, file] of Object.entries(files)) {
    for (const target of ['nftables', 'iptables', 'gcp']) {
      // Run by run, before and after in turn: this machine's speed drifts by half within minutes.
      const runs = Object.values(clis).map(() => [] as Array<ReturnType<typeof measured>>);
      for (let i = 0; i < RUNS; i++) Object.values(clis).forEach((cli, k) => runs[k]!.push(measured(cli, renderArgs(file, target, join(dir, `out-${out++}`)))));
      lines.push(`| ${format} → ${target} | ${runs.map((r) => cell(r, 'n/a')).join(' | ')} |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(lines.join('\n'));
