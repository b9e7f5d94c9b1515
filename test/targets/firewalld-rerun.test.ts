/**
 * Issue 17 (re-runs): firewalld.sh applied run after run to one permanent configuration, by the
 * real firewall-offline-cmd on a copy of /etc/firewalld in a throw-away namespace (the shim
 * src/validate/checks.ts uses for --check). After each run the configuration holds exactly that
 * run's policies and ipsets (firewalld's *.xml.old backups aside: it never loads them), and
 * firewalld's own check finds nothing to warn about.
 */
import { describe, expect, it } from 'vitest';
import { planChecks } from '../../src/validate/checks.js';
import { inNetns } from '../../src/validate/run.js';
import { runCli } from '../helpers/cli.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const RUNS: readonly string[][] = [
  ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'],
  ['-p', 'flynumber', '--pbx', 'asterisk'],
  ['-p', 'vapi', '--pbx', 'asterisk', '--direction', 'both'],
  ['-p', 'vapi', '--pbx', 'asterisk', '--direction', 'both'],
  ['--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20100'],
];

describe.skipIf(rootMissing() || toolsMissing('unshare', 'firewall-offline-cmd'))('firewalld.sh re-runs', () => {
  it('each run leaves exactly its own policies and ipsets, and a configuration firewalld accepts', async () => {
    const scripts: string[] = [];
    for (const args of RUNS) {
      const run = await runCli(['render', '--target', 'firewalld', ...args]);
      expect(run.code, run.stderr).toBe(0);
      scripts.push(run.stdout);
    }
    // The shim that turns firewall-cmd --permanent into firewall-offline-cmd on $FWCONF.
    const shimFiles = Object.fromEntries(Object.entries(planChecks('firewalld', [{ name: 'x.sh', content: '', mode: 0o755 }]).files).filter(([name]) => name.startsWith('shim-')));
    const files: Record<string, string> = { ...shimFiles, ...Object.fromEntries(scripts.map((s, i) => [`run${i}.sh`, s])) };
    const script = [
      'set -e',
      'cp -r /etc/firewalld conf && mkdir -p conf/ipsets conf/policies shims && cp shim-firewall-cmd shims/firewall-cmd && chmod +x shims/firewall-cmd',
      ...scripts.map((_, i) => [
        `FWCONF="$PWD/conf" PATH="$PWD/shims:$PATH" sh run${i}.sh > run${i}.log 2>&1 || { echo "@@failed ${i}"; cat run${i}.log; }`,
        `echo "@@state ${i} $(cd conf && ls policies ipsets | grep -E '^sipwall.*\\.xml$' | sort | tr '\\n' ' ')"`,
        `firewall-offline-cmd --system-config="$PWD/conf" --check-config > check${i}.log 2>&1 || true; grep -E 'WARNING|ERROR|Error' check${i}.log | sed 's/^/@@check ${i} /' || true`,
      ].join('\n')),
    ].join('\n');
    const { ok, output } = inNetns(files, script, 300_000);
    expect(ok, output).toBe(true);
    expect(output).not.toMatch(/@@failed|@@check/);
    const states = [...output.matchAll(/^@@state (\d+) (.*)$/gm)].map((m) => m[2]!.trim().split(' ').sort());
    const expected = scripts.map((s) => [...new Set([...s.matchAll(/^fw --new-policy=(\S+)$/gm)].map((m) => `${m[1]}.xml`).concat([...s.matchAll(/^fw --new-ipset=(\S+) /gm)].map((m) => `${m[1]}.xml`)))].sort());
    expect(states).toEqual(expected);
    expect(expected[1]!.some((n) => n.includes('vapi'))).toBe(false);
    expect(expected[0]!.some((n) => n.includes('vapi'))).toBe(true);
  }, 300_000);
});
