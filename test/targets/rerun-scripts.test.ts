/**
 * Issue 17 (re-runs) for the targets with no runtime here (RouterOS, Windows): what a script adds,
 * the clean-up at the top of the next run finds. RouterOS removes `[find where comment~"^sipwall:"]`
 * from filter and nat and `[find where list~"^sipwall-"]` from the address lists; Windows removes
 * `Get-NetFirewallRule -Group 'sipwall'`. Every rule and list each golden case's script adds must
 * carry that mark, and the clean-up must come before the first add.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CASES } from './cases.js';

async function render(args: readonly string[], target: string): Promise<string> {
  const run = await runCli(['render', '--target', target, ...args]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

describe('routeros: every add is found by the next run\'s clean-up', () => {
  it.each(CASES.filter((c) => c.target === 'routeros').map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const lines = (await render(c.args, 'routeros')).split('\n');
    let menu = '';
    let adds = 0;
    const firstAdd = lines.findIndex((l) => l.startsWith('add '));
    for (const line of lines) {
      if (line.startsWith('/') && !line.includes(' remove ')) menu = line;
      if (!line.startsWith('add ')) continue;
      adds++;
      if (menu.endsWith('address-list')) expect(line, line).toMatch(/^add list=sipwall-/);
      else expect(line, line).toMatch(/ comment="sipwall: /);
    }
    expect(adds).toBeGreaterThan(0);
    const menus = new Set(lines.filter((l) => /^\/(ip|ipv6) firewall (filter|nat|address-list)$/.test(l)));
    for (const m of menus) {
      const what = m.endsWith('address-list') ? 'list~"^sipwall-"' : 'comment~"^sipwall:"';
      const removal = lines.findIndex((l) => l === `${m} remove [find where ${what}]`);
      expect([m, removal >= 0 && removal < firstAdd]).toEqual([m, true]);
    }
  });
});

describe('windows: every rule is in group sipwall, which the next run removes first', () => {
  it.each(CASES.filter((c) => c.target === 'windows').map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const lines = (await render(c.args, 'windows')).split('\n');
    const creates = lines.filter((l) => l.startsWith('New-NetFirewallRule'));
    expect(creates.length).toBeGreaterThan(0);
    for (const l of creates) expect(l).toContain(" -Group 'sipwall' ");
    const removal = lines.findIndex((l) => l.startsWith("Get-NetFirewallRule -Group 'sipwall'") && l.includes('Remove-NetFirewallRule'));
    expect(removal).toBeGreaterThanOrEqual(0);
    expect(removal).toBeLessThan(lines.findIndex((l) => l.startsWith('New-NetFirewallRule')));
  });
});
