import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inNetns } from '../../src/validate/run.js';
import { checkTarget, intoSetup, runChecks } from '../../src/validate/checks.js';
import { runCli } from '../helpers/cli.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('unshare', 'nft', 'iptables-restore', 'iptables-legacy-restore', 'ipset');

describe.skipIf(skip)('the real parsers catch what golden files alone would not', () => {
  it('nft -c refuses a colon range and two comments on one chain', () => {
    const bad = 'table inet t {\n chain c { udp dport 5060:5061 accept }\n}\n';
    const [check] = checkTarget('nftables', [{ name: 'x.nft', content: bad, mode: 0o644 }]);
    expect(check!.ok).toBe(false);
    expect(check!.output).toMatch(/syntax error|Error/);
  });

  it('iptables-legacy-restore catches a jump to an undeclared chain that the nf_tables backend accepts', () => {
    const bad = '*filter\n:SIPWALL-IN - [0:0]\n-A SIPWALL-IN -j NOSUCH\nCOMMIT\n';
    const checks = checkTarget('iptables', [{ name: 'iptables.rules.v4', content: bad, mode: 0o644 }]);
    expect(checks.find((c) => c.command.startsWith('iptables-legacy'))!.ok).toBe(false);
  });

  it('iptables-restore refuses 16 multiport entries', () => {
    const ports = Array.from({ length: 16 }, (_, i) => 5000 + i).join(',');
    const bad = `*filter\n-A INPUT -p udp -m multiport --dports ${ports} -j ACCEPT\nCOMMIT\n`;
    expect(checkTarget('iptables', [{ name: 'iptables.rules.v4', content: bad, mode: 0o644 }]).every((c) => c.ok)).toBe(false);
  });

  it('keeps each step\'s verdict when a step prints more than it reports, without a final newline', () => {
    const long = { label: 'long', command: "head -c 5000 /dev/zero | tr '\\0' x" };
    const checks = runChecks([{ files: {}, steps: [long, { label: 'next', command: 'true' }, { label: 'fails', command: 'false' }] }]);
    expect(checks.map((c) => [c.command, c.ok])).toEqual([['long', true], ['next', true], ['fails', false]]);
    expect(checks[0]!.output).toHaveLength(2000);
  });

  it('a check can write nothing that outlives it: ipset list -file, sh redirections, devices', () => {
    const victim = `/tmp/sipwall-pwned-${process.pid}`;
    // What a split ipset line could run during --check (issue 10.1), and what a shell step could.
    const hostile = `create x hash:net\nlist -file ${victim}\n`;
    const checks = runChecks([{ files: { hostile }, steps: [{ label: 'ipset', command: 'ipset restore < hostile' }, { label: 'sh', command: `echo pwned > ${victim}-sh; echo pwned > /etc/sipwall-pwned; echo pwned > /dev/sipwall-pwned` }] }]);
    expect(checks.map((c) => c.ok)).toEqual([false, false]);
    expect(checks[0]!.output).toMatch(/Read-only file system/);
    for (const path of [victim, `${victim}-sh`, '/etc/sipwall-pwned', '/dev/sipwall-pwned']) expect(existsSync(path), path).toBe(false);
    // The working folder and /run stay writable for the parsers (iptables-legacy's lock).
    expect(inNetns({}, 'echo ok > here && cat here && : > /run/xtables.lock && echo lock').output).toBe('ok\nlock');
  });

  it('render --check runs the parser before writing, --into included', async () => {
    for (const args of [['--target', 'nftables'], ['--target', 'nftables', '--into', 'inet/filter/input', '--direction', 'both', '--into-output', 'inet/filter/output'], ['--target', 'iptables', '--form', 'shell', '--ipset']]) {
      const run = await runCli(['render', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--check', ...args]);
      expect(run.stderr, args.join(' ')).not.toMatch(/refused/);
      expect(run.code).toBe(0);
    }
    expect(intoSetup('nftables', 'ip/filter/input', undefined)).toBe('add table ip filter\nadd chain ip filter input { type filter hook input priority 0; }\n');
  });
});
