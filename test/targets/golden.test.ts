/**
 * Golden files per target, and on every golden the target's real parser. Goldens change only
 * through `npm run test:update` (UPDATE_GOLDEN=1), never by accident.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTarget } from '../../src/validate/checks.js';
import { runCli } from '../helpers/cli.js';
import { toolsMissing } from '../helpers/tools.js';
import { CASES } from './cases.js';

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

async function render(args: readonly string[], target: string) {
  const run = await runCli(['render', '--target', target, ...args, '--out', 'out']);
  expect(run.stderr.split('\n').filter((l) => l && !l.includes('warning') && !l.includes('wrote'))).toEqual([]);
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
      for (const f of files) writeFileSync(join(dir, f.name), f.content);
    }
    expect(existsSync(dir), `no golden for ${c.target}/${c.name}: run npm run test:update`).toBe(true);
    const expected = readdirSync(dir).filter((n) => n !== 'args').sort();
    expect(files.map((f) => f.name).sort()).toEqual(expected);
    for (const f of files) expect(f.content, f.name).toBe(readFileSync(join(dir, f.name), 'utf8'));
  });

  it('accepts return traffic (conntrack established,related) in every file that filters', async () => {
    for (const f of await render(c.args, c.target)) {
      if (f.name.endsWith('.ipset')) continue;
      expect(f.content, f.name).toMatch(c.target === 'nftables' ? /ct state established,related accept/ : /--ctstate ESTABLISHED,RELATED .*-j ACCEPT/);
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

  it('renders the same files whatever the order of the providers', async () => {
    const pairs: string[][] = [];
    for (let i = 0; i < c.args.length; i++) {
      if (['-p', '--profile'].includes(c.args[i]!)) pairs.push([c.args[i]!, c.args[++i]!]);
    }
    if (pairs.length < 2) return;
    const rest = c.args.filter((_, i) => !['-p', '--profile'].includes(c.args[i]!) && !['-p', '--profile'].includes(c.args[i - 1] ?? ''));
    const reversed = [...pairs.reverse().flat(), ...rest];
    const strip = (s: string) => s.split('\n').filter((l) => !l.startsWith('# Command:') && !l.startsWith('#   ')).join('\n');
    const ruleLines = (s: string) => strip(s).split('\n').sort();
    const [a, b] = [await render(c.args, c.target), await render(reversed, c.target)];
    // Provider order decides rule order only; the set of rules is the same.
    expect(b.map((f) => ruleLines(f.content))).toEqual(a.map((f) => ruleLines(f.content)));
  });

  it.skipIf(toolsMissing('unshare', c.target === 'nftables' ? 'nft' : 'iptables-restore', 'ipset'))('passes the real parser', async () => {
    const files = await render(c.args, c.target);
    const checks = checkTarget(c.target, files, c.prelude ?? '');
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) expect(check.output, check.command).toBe(check.ok ? check.output : 'accepted');
    expect(checks.every((k) => k.ok)).toBe(true);
  });
});
