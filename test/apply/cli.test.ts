/**
 * apply refuses bad input before it looks at the host: one line naming the flag, exit 2, nothing
 * written (test/cli/flags.test.ts walks every flag of apply the same way). Only input refused
 * before the host is read belongs here: these tests run in-process, outside any namespace; what
 * needs the host (a parser refusal, the guards) is in apply.test.ts, on a namespace of its own.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('apply: bad input', () => {
  it.each([
    [['--confirm', '2s'], /^sipwall: --confirm: "2s" is not a time from 10s to 1h; /],
    [['--confirm', '2h'], /^sipwall: --confirm: "2h" is not a time from 10s to 1h; /],
    [['--confirm', 'soon'], /^sipwall: --confirm: /],
    [['--keep', 'https'], /^sipwall: --keep: "https" is not PROTOCOL\/PORT\[@ADDRESS\]; write e\.g\. --keep tcp\/443/],
    [['--keep', 'tcp/0'], /^sipwall: --keep: "tcp\/0"/],
    [['--target', 'ufw'], /^sipwall: --target: "ufw" is not one of "nftables", "iptables"/],
  ])('%j', async (args, message) => {
    // --dry-run: were bad input let through, it would change nothing on this host either.
    const run = await runCli(['apply', '-p', 'flynumber', '--pbx', 'asterisk', '--dry-run', ...args]);
    expect([run.code, run.stdout, run.written]).toEqual([2, '', []]);
    expect(run.stderr.trim().split('\n').filter((l) => !/^sipwall: (warning|checked)/.test(l))).toEqual([expect.stringMatching(message)]);
  });

  it('names a missing provider before anything else', async () => {
    const run = await runCli(['apply', '--pbx', 'asterisk', '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^sipwall: .*--provider/);
  });
});
