/**
 * Every target's cases (test/targets/cases.ts) through the shared tester (tester.ts): golden files,
 * named errors and warnings, and the invariants every case gets. Goldens change only through
 * `npm run test:update` (UPDATE_GOLDEN=1), never by accident.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CASES } from './cases.js';
import { testTargets } from './tester.js';

testTargets(CASES);

async function render(args: readonly string[], target: string) {
  const run = await runCli(['render', '--target', target, ...args, '--out', 'out']);
  expect(run.code).toBe(0);
  return run.written;
}

/** What only netfilter targets promise: return traffic, and with --into only the providers'. */
describe.each(CASES.filter((c) => ['nftables', 'iptables'].includes(c.target) && !c.error))('$target/$name', (c) => {
  const into = c.args.includes('--into');
  it(into ? "accepts return traffic of the providers' flows only" : 'accepts return traffic (conntrack established,related) in every file that filters', async () => {
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
});
