/**
 * The one tester every target's cases run through (ESLint's RuleTester, Prettier's fixture
 * harness): a case is a command line, and either the files it writes (kept as golden files under
 * `<goldenRoot>/<target>/<case>/`, rewritten only by `npm run test:update`) or the named error it
 * must stop with; expected warnings are checked too. Every files case gets the invariants for free:
 * the golden bytes, the same bytes twice with LF only and no template tag left, the same rules
 * whatever the order of the providers, the target's in-process semantics, and its real parser.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/targets/types.js';
import { checkTarget } from '../../src/validate/checks.js';
import { runCli } from '../helpers/cli.js';
import { toolsMissing } from '../helpers/tools.js';
import type { GoldenCase } from './cases.js';
import { SEMANTICS, TOOLS } from './semantics.js';

export interface TesterOptions {
  /** Where the golden folders are: test/golden by default. */
  readonly goldenRoot?: string;
  /** The registry to render with (default: sipwall's own). */
  readonly targets?: readonly Target[];
}

const update = process.env.UPDATE_GOLDEN === '1';

/** The table's own rules: unique case names per target, and an error case names no warning. */
function checkTable(cases: readonly GoldenCase[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    const key = `${c.target}/${c.name}`;
    if (seen.has(key)) throw new Error(`case ${key} twice in the table`);
    seen.add(key);
    if (c.error && c.warnings) throw new Error(`case ${key} expects an error and warnings`);
  }
}

export function testTargets(cases: readonly GoldenCase[], options: TesterOptions = {}): void {
  checkTable(cases);
  const goldenRoot = options.goldenRoot ?? join(import.meta.dirname, '..', 'golden');
  const run = (args: readonly string[], target: string) => runCli(['render', '--target', target, ...args, '--out', 'out'], undefined, options.targets);
  async function render(args: readonly string[], target: string) {
    const result = await run(args, target);
    expect(result.stderr.split('\n').filter((l) => l && !l.includes('warning') && !l.includes('wrote') && !l.includes('budget:'))).toEqual([]);
    expect(result.code).toBe(0);
    return result.written;
  }

  describe.each(cases)('$target/$name', (c) => {
    if (c.error) {
      it(`stops with ${c.error}, nothing written`, async () => {
        const result = await run(c.args, c.target);
        expect([result.code, result.written]).toEqual([2, []]);
        expect(result.stderr).toContain(c.error!);
      });
      return;
    }
    const dir = join(goldenRoot, c.target, c.name);

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

    if (c.warnings) it('warns as expected', async () => {
      const result = await run(c.args, c.target);
      for (const w of c.warnings!) expect(result.stderr).toContain(`warning: ${w}`);
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
    if (pairs.length >= 2 && c.target !== 'azure') it('renders the same rules whatever the order of the providers', async () => {
      const rest = c.args.filter((_, i) => !['-p', '--profile'].includes(c.args[i]!) && !['-p', '--profile'].includes(c.args[i - 1] ?? ''));
      const reversed = [...pairs.reverse().flat(), ...rest];
      const strip = (s: string) => s.split('\n').filter((l) => !/^([#;] | {2})Command:|"command": /.test(l) && !l.startsWith('#   ')).join('\n');
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
}
