import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cannotReplay } from '../../src/diagnose/replay.js';
import { diagnoseReportJsonSchema, diagnoseReportSchema } from '../../src/diagnose/report-schema.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { Lab } from '../helpers/netns.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('nft', 'ip', 'unshare', 'iptables-restore', 'ipset');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sipwall-diagnose-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const save = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

interface Report {
  ok: boolean;
  parts: Array<{ part: string; ran: boolean; summary: string }>;
  findings: Array<{ severity: string; part: string; title: string; evidence: string[]; fix: string }>;
  flows: Array<{ expect: string; verdict: string; arrived: boolean; destinationPort: number; protocol: string }>;
}

describe.skipIf(skip)('sipwall diagnose firewall, as a user runs it', () => {
  it('sipwall\'s own rules for FlyNumber + Asterisk, nftables and iptables with ipset: every provider flow accepted, strangers refused, exit 0', async () => {
    for (const target of [['nftables'], ['iptables', '--ipset']]) {
      const rendered = await runCli(['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', ...target, '--json']);
      expect(rendered.code).toBe(0);
      const files = (JSON.parse(rendered.stdout) as { files: Array<{ name: string; content: string }> }).files;
      const rulesets = files.filter((f) => /\.(nft|rules|ipset)$|ipset|v4|v6/.test(f.name) && !f.name.endsWith('.sh')).map((f) => save(`${target[0]}-${f.name.replace(/\//g, '_')}`, f.content));
      const r = await runCli(['diagnose', 'firewall', '-p', 'flynumber', '--pbx', 'asterisk', ...rulesets.flatMap((p) => ['--ruleset', p]), '--json']);
      expect(r.stderr, target[0]).toBe('');
      const report = diagnoseReportSchema.parse(JSON.parse(r.stdout)) as Report;
      expect(report.findings, target[0]).toEqual([]);
      expect(r.code).toBe(0);
      expect(report.flows.filter((f) => f.expect === 'accept').every((f) => f.verdict === 'accept' && f.arrived)).toBe(true);
      expect(report.flows.filter((f) => f.expect === 'refuse').map((f) => f.verdict)).not.toContain('accept');
      expect(report.flows.length).toBeGreaterThan(10);
    }
  }, 120_000);

  it('a firewall that drops the top of the RTP range and leaves SIP open to anyone: both found, the rule and the fix named, exit 1', async () => {
    const ruleset = save(
      'leaky.nft',
      `table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    udp dport 5060 accept
    ip saddr 46.19.208.0/21 tcp dport 5060-5061 accept
    udp dport 10000-15000 accept
  }
}
`,
    );
    const r = await runCli(['diagnose', 'firewall', '-p', 'flynumber', '--pbx', 'asterisk', '--ruleset', ruleset]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1\. ERROR \(firewall\) flynumber RTP \(udp\) to port 20000 is dropped: one-way audio/);
    expect(r.stdout).toContain('decided by the policy drop of chain input (table inet filter): no rule matched');
    expect(r.stdout).toContain('fix:  sipwall render -p flynumber --pbx asterisk --target nftables --into inet/filter/input --form shell');
    expect(r.stdout).toMatch(/2\. WARNING \(firewall\) SIP port udp\/5060 accepts any address/);
    expect(r.stdout).toContain('accepted by rule 2 of chain input (table inet filter): udp dport 5060 accept');
    expect(r.stdout).toContain("fix:  remove or narrow that rule, and accept SIP only from the providers' addresses: sipwall render -p flynumber --pbx asterisk --target nftables --into inet/filter/input --form shell");
    expect(r.stdout).not.toMatch(/SIP over tcp/);
  }, 60_000);

  it('diagnose (every part): the Asterisk config\'s RTP range is the one replayed', async () => {
    const ruleset = save('rtp16k.nft', 'table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    ip saddr 46.19.208.0/21 accept\n  }\n}\n');
    const r = await runCli(['diagnose', '-p', 'flynumber', '--ruleset', ruleset, '--config-dir', join(FIXTURES, 'pbx', 'asterisk-nat'), '--json']);
    const report = diagnoseReportSchema.parse(JSON.parse(r.stdout)) as Report;
    expect(report.parts.map((p) => [p.part, p.ran])).toEqual([['config', true], ['firewall', true]]);
    expect(report.flows.filter((f) => f.protocol === 'udp' && f.destinationPort > 6000).map((f) => f.destinationPort)).toEqual(expect.arrayContaining([16384, 24575, 32767]));
    // Config errors first: the firewall lets every FlyNumber flow in.
    expect(report.findings[0]!.part).toBe('config');
    expect(report.findings.filter((f) => f.part === 'firewall')).toEqual([]);
    expect(r.code).toBe(1);
  }, 60_000);

  it('the live ruleset of a host (nft and iptables-nft together, as iptables-save and nft list ruleset show them): the rule named, the host untouched', async () => {
    const lab = new Lab().add('pbx', 'gw');
    try {
      lab.link('pbx', ['192.0.2.10/24', '2001:db8::10/64'], 'gw', ['192.0.2.1/24', '2001:db8::1/64']);
      lab.exec('pbx', 'ip route add default via 192.0.2.1');
      lab.exec('pbx', "nft add table inet mine && nft add chain inet mine input '{ type filter hook input priority 10; policy accept; }' && nft add rule inet mine input udp dport 20000 drop");
      // An ipset match: iptables-nft stores it as an xt expression that `nft -f` cannot read back.
      lab.exec('pbx', 'ipset create fly hash:net && ipset add fly 46.19.208.0/21');
      lab.exec('pbx', 'iptables -P INPUT DROP && iptables -A INPUT -m set --match-set fly src -p udp -j ACCEPT && iptables -A INPUT -p tcp --dport 5060:5061 -j REJECT');
      const before = lab.exec('pbx', 'nft list ruleset');
      const r = await lab.cli('pbx', ['diagnose', 'firewall', '-p', 'flynumber', '--pbx', 'asterisk', '--json']);
      const report = diagnoseReportSchema.parse(JSON.parse(r.stdout)) as Report;
      expect(report.parts[0]!.summary).toMatch(/^nft list ruleset \+ iptables-save \+ ipset save replayed on \S+ \(192\.0\.2\.10, /);
      const titles = report.findings.map((f) => `${f.title} | ${f.evidence.join(' | ')}`);
      expect(titles.some((t) => /SIP over tcp to ports 5060, 5061 is rejected.*rule 2 of chain INPUT \(iptables table filter\): -A INPUT -p tcp -m tcp --dport 5060:5061 -j REJECT/.test(t)), titles.join('\n')).toBe(true);
      expect(titles.some((t) => /RTP \(udp\) to port 20000 is dropped.*chain input \(table inet mine\): udp dport 20000 drop/.test(t)), titles.join('\n')).toBe(true);
      expect(report.findings.find((f) => /rejected/.test(f.title))!.fix).toContain('--target iptables --into INPUT');
      expect(r.status).toBe(1);
      // The host's own ruleset is exactly as it was.
      expect(lab.exec('pbx', 'nft list ruleset')).toBe(before);
    } finally {
      lab.destroy();
    }
  }, 60_000);

  it('a ruleset that does not load is a finding, not a crash', async () => {
    const r = await runCli(['diagnose', 'firewall', '-p', 'flynumber', '--ruleset', save('broken.nft', 'table inet filter {\n  chain input {\n    udp dport 5060 acept\n  }\n}\n')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR \(firewall\) the ruleset cannot be replayed: the nft ruleset does not load/);
  }, 60_000);
});

describe('the published schema', () => {
  it('docs/diagnose-result.schema.json is the one the code defines (npm run schema)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'diagnose-result.schema.json'), 'utf8')).toBe(diagnoseReportJsonSchema());
  });

  it('config-only output fits it', async () => {
    const r = await runCli(['diagnose', 'config', '--config-dir', join(FIXTURES, 'pbx', 'asterisk-nat'), '--json']);
    expect(diagnoseReportSchema.parse(JSON.parse(r.stdout)).findings.length).toBeGreaterThan(2);
  });
});

describe('where the replay cannot run it says so', () => {
  const pbxHere = ['/etc/asterisk', '/etc/freeswitch', '/usr/local/freeswitch/conf'].some((d) => existsSync(d));
  it.skipIf(pbxHere)('nothing to check at all (no provider, no PBX config here): one line, exit 2 (skipped where this host has a PBX config)', async () => {
    const r = await runCli(['diagnose']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^sipwall: diagnose: nothing could be checked \(config: no PBX configuration found.*firewall: no provider named.*\); name a provider/);
  });

  it('not root: diagnose firewall is one line, exit 2; diagnose (every part) reports the part as not run', async () => {
    const uid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      expect(cannotReplay()).toMatch(/needs root/);
      const r = await runCli(['diagnose', 'firewall', '-p', 'flynumber', '--ruleset', save('x.nft', 'table inet t {\n}\n')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^sipwall: diagnose firewall: the replay needs root .*sudo/);
      const all = await runCli(['diagnose', '-p', 'flynumber', '--ruleset', join(dir, 'x.nft'), '--config-dir', join(FIXTURES, 'pbx', 'asterisk-good')]);
      expect(all.stdout).toMatch(/^firewall: not run: the replay needs root/m);
      expect(all.code).toBe(0);
    } finally {
      uid.mockRestore();
    }
  });
});
