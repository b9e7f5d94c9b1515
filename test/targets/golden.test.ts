/**
 * Golden files per target, and on every golden the target's real parser. Goldens change only
 * through `npm run test:update` (UPDATE_GOLDEN=1), never by accident.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTarget } from '../../src/validate/checks.js';
import { runCli } from '../helpers/cli.js';
import { toolsMissing } from '../helpers/tools.js';
import { CASES } from './cases.js';
import { SEMANTICS, TOOLS } from './semantics.js';

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

async function render(args: readonly string[], target: string) {
  const run = await runCli(['render', '--target', target, ...args, '--out', 'out']);
  expect(run.stderr.split('\n').filter((l) => l && !l.includes('warning') && !l.includes('wrote') && !l.includes('budget:'))).toEqual([]);
  expect(run.code).toBe(0);
  return run.written;
}

describe.each(CASES)('$target/$name', (c) => {
  const dir = join(GOLDEN, c.target, c.name);

  it('matches its golden files', async () => {
    const files = await render(c.args, c.target);
    if (update) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'args'), `${c.args.join(' ')}\n`);
      for (const f of files) {
        mkdirSync(dirname(join(dir, f.name)), { recursive: true });
        writeFileSync(join(dir, f.name), f.content);
      }
    }
    expect(existsSync(dir), `no golden for ${c.target}/${c.name}: run npm run test:update`).toBe(true);
    const expected = (readdirSync(dir, { recursive: true }) as string[]).filter((n) => n !== 'args' && !statSync(join(dir, n)).isDirectory()).sort();
    expect(files.map((f) => f.name).sort()).toEqual(expected);
    for (const f of files) expect(f.content, f.name).toBe(readFileSync(join(dir, f.name), 'utf8'));
  });

  const into = c.args.includes('--into');
  if (['nftables', 'iptables'].includes(c.target)) it(into ? "accepts return traffic of the providers' flows only" : 'accepts return traffic (conntrack established,related) in every file that filters', async () => {
    const both = c.args.includes('both');
    for (const f of await render(c.args, c.target)) {
      if (f.name.endsWith('.ipset')) continue;
      const lines = f.content.split('\n').filter((l) => !l.startsWith('#') && /established,related|ESTABLISHED,RELATED/.test(l));
      if (!into) {
        expect(f.content, f.name).toMatch(c.target === 'nftables' ? /ct state established,related accept/ : /--ctstate ESTABLISHED,RELATED .*-j ACCEPT/);
        continue;
      }
      // Into (issue 11.6): no state rule without the provider's ports; replies only where sipwall filters both ways.
      for (const line of lines) expect(line, f.name).toMatch(/(sport|dport|--sports|--dports) \S+/);
      expect(lines.length > 0, f.name).toBe(both);
    }
  });

  it('renders the same bytes twice, LF only, no template tag left', async () => {
    const [a, b] = [await render(c.args, c.target), await render(c.args, c.target)];
    expect(a).toEqual(b);
    for (const f of a) {
      expect(f.content).not.toMatch(/\r|\{\{|\}\}/);
      expect(f.content.endsWith('\n')).toBe(true);
    }
  });

  const pairs: string[][] = [];
  for (let i = 0; i < c.args.length; i++) {
    if (['-p', '--profile'].includes(c.args[i]!)) pairs.push([c.args[i]!, c.args[++i]!]);
  }
  // Only cases with two providers or more have an order to change; Azure priorities follow the
  // rule order by definition (its re-run safety is its own test).
  if (pairs.length >= 2 && c.target !== 'azure') it('renders the same files whatever the order of the providers', async () => {
    const rest = c.args.filter((_, i) => !['-p', '--profile'].includes(c.args[i]!) && !['-p', '--profile'].includes(c.args[i - 1] ?? ''));
    const reversed = [...pairs.reverse().flat(), ...rest];
    const strip = (s: string) => s.split('\n').filter((l) => !/^(# | {2})Command:|"command": /.test(l) && !l.startsWith('#   ')).join('\n');
    const ruleLines = (s: string) => strip(s).split('\n').sort();
    const [a, b] = [await render(c.args, c.target), await render(reversed, c.target)];
    // Provider order decides rule order only; the set of rules is the same.
    const byName = (files: typeof a) => Object.fromEntries(files.map((f) => [f.name, ruleLines(f.content)]));
    expect(byName(b)).toEqual(byName(a));
  });

  if (SEMANTICS[c.target] !== undefined) it('keeps the rules of its language no parser checks', async () => {
    for (const f of await render(c.args, c.target)) expect(await SEMANTICS[c.target]!(f), f.name).toEqual([]);
  });

  // Terraform has no offline parser here, nor RouterOS or PowerShell scripts: the semantics test
  // parses them (HCL, line grammar, token rules). Every other form has one (sh -n at least).
  // `npm run mutate` leaves the real parsers to `npm test` (vitest.mutate.config.ts): seconds a mutant.
  if (TOOLS[c.target] !== undefined && !c.args.includes('terraform') && process.env.SIPWALL_NO_PARSER !== '1') it.skipIf(toolsMissing(...TOOLS[c.target]!))('passes the real parser', async () => {
    const files = await render(c.args, c.target);
    const checks = checkTarget(c.target, files, c.prelude ?? '');
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) expect(check.output, check.command).toBe(check.ok ? check.output : 'accepted');
    expect(checks.every((k) => k.ok)).toBe(true);
  });
});
