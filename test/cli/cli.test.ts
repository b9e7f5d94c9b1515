import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { FIXTURES, runCli } from '../helpers/cli.js';

describe('bad input: one line naming the input and the fix, exit 2, nothing written', () => {
  it.each([
    ['an unknown provider', ['-p', 'nosuch'], '--provider: unknown provider "nosuch"; use one of flynumber, vapi'],
    ['an unknown target', ['-p', 'flynumber', '--target', 'pf'], '--target: unknown target "pf"'],
    ['an unknown preset', ['-p', 'flynumber', '--pbx', 'avaya'], '--pbx: unknown PBX preset "avaya"; use one of asterisk, freepbx, freeswitch, 3cx'],
    ['a reversed RTP range', ['-p', 'flynumber', '--rtp-ports', '20000-10000'], '--rtp-ports: "20000-10000" is reversed; write 10000-20000'],
    ['RTP port 0', ['-p', 'flynumber', '--rtp-ports', '0-100'], '--rtp-ports: "0" is not a port'],
    ['RTP port 70000', ['-p', 'flynumber', '--rtp-ports', '10000-70000'], '--rtp-ports: "70000" is not a port'],
    ['SSH port 0', ['-p', 'flynumber', '--ssh-port', '0'], '--ssh-port: "0" is not a port; use a whole number from 1 to 65535'],
    ['SSH port 70000', ['-p', 'flynumber', '--ssh-port', '70000'], '--ssh-port: "70000" is not a port'],
    ['a single RTP port', ['-p', 'flynumber', '--rtp-ports', '10000'], '--rtp-ports: "10000" is a single port'],
    ['an empty RTP list entry', ['-p', 'flynumber', '--rtp-ports', '10000-20000,,30000'], '--rtp-ports: "10000-20000,,30000" has an empty entry'],
    ['a SIP port out of range', ['-p', 'flynumber', '--sip-ports', 'udp:70000'], '--sip-ports: "70000" is not a port'],
    ['a bad SSH source', ['-p', 'flynumber', '--ssh-from', '10.0.0.300/8'], '--ssh-from: "10.0.0.300/8" is not a CIDR prefix'],
    ['a bad --sip-ports', ['-p', 'flynumber', '--sip-ports', 'sctp:5060'], '--sip-ports: "sctp:5060" is not TRANSPORT:PORT'],
    ['a bad --into', ['-p', 'flynumber', '--into', 'inet/filter'], '--into: "inet/filter" is not FAMILY/TABLE/CHAIN'],
    ['a hostile --into', ['-p', 'flynumber', '--into', 'inet/filter/input;reboot'], '--into: "inet/filter/input;reboot" is not FAMILY/TABLE/CHAIN'],
    ['an unknown option', ['-p', 'flynumber', '--colour'], 'Unknown argument: colour; see sipwall render --help'],
    ['an empty --target', ['-p', 'flynumber', '--target'], '--target: is empty; give a value'],
    ['a bad --direction', ['-p', 'flynumber', '--direction', 'sideways'], '--direction: "sideways" is not one of "in", "out", "both"; see sipwall render --help'],
    ['a missing profile file', ['--profile', 'nosuch.yaml'], "--profile nosuch.yaml: cannot be read (ENOENT)"],
    ['a malformed profile', ['--profile', 'bad/malformed.yaml'], 'is not valid YAML or JSON'],
    ['a hostile name in a profile', ['--profile', 'bad/hostile-name.yaml'], 'name: letters, digits, spaces'],
    ['an IPv6 rule in an ip table', ['--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20100', '--into', 'ip/filter/input'], '--into: table ip filter cannot hold IPv6 rule'],
    ['--ipset on nftables', ['-p', 'flynumber', '--ipset'], '--ipset: applies to target iptables, not nftables'],
    ['two files to stdout', ['-p', 'flynumber', '--target', 'iptables'], '--out: iptables writes 2 files (iptables.rules.v4, iptables.rules.v6); give a folder with --out DIR'],
    ['--into-output with --direction in', ['-p', 'flynumber', '--into', 'inet/filter/input', '--into-output', 'inet/filter/output'], '--into-output: has no rules to hold with --direction in'],
    ['--ssh-from with --into', ['-p', 'flynumber', '--into', 'inet/filter/input', '--ssh-from', '192.0.2.0/24'], '--ssh-from: applies to a standalone firewall only'],
    ['--direction out on pfsense', ['-p', 'flynumber', '--target', 'pfsense', '--direction', 'both'], '--direction: pfsense filters inbound traffic only'],
    ['--strict with a source port on aws', ['-p', 'vapi', '--pbx', 'asterisk', '--target', 'aws', '--strict'], '--strict: aws cannot match source ports, which term vapi-media-udp-in needs (udp source ports 40000-60000)'],
    ['an unknown form', ['-p', 'flynumber', '--target', 'aws', '--form', 'shell'], '--form: target aws has no form "shell"; use one of api, cloudformation, terraform'],
    ['--into on a cloud target', ['-p', 'flynumber', '--target', 'gcp', '--into', 'INPUT'], '--into: target gcp has no --into'],
    ['an Azure priority overflow', ['-p', 'flynumber', '--target', 'azure', '--priority', '4095'], "--priority: 3 rules from priority 4095 need 4095-4097, outside Azure's 100-4096"],
    ['a bad --interface', ['-p', 'flynumber', '--target', 'pfsense', '--interface', 'wan;x'], '--interface: "wan;x" is not a pfSense interface name'],
    ['--pfsense-config elsewhere', ['-p', 'flynumber', '--target', 'opnsense', '--pfsense-config', 'pfsense-config.xml'], '--pfsense-config: applies to target pfsense, not opnsense'],
    ['a malformed --pfsense-config', ['-p', 'flynumber', '--target', 'pfsense', '--pfsense-config', 'bad/malformed.yaml'], '--pfsense-config: the file is not well-formed XML'],
    ['--target all without --out', ['-p', 'flynumber', '--target', 'all'], '--target all: writes one folder per target'],
    ['--target all with a refusal', ['-p', 'flynumber', '--target', 'all', '--direction', 'both'], '--direction: pfsense, opnsense refused (nothing written)'],
    ['--direction out into nftables without --into-output', ['-p', 'flynumber', '--into', 'inet/filter/input', '--direction', 'out'], '--into-output: "" is not FAMILY/TABLE/CHAIN'],
  ])('%s', async (name, args, message) => {
    const target = args.includes('--target') ? [] : ['--target', 'nftables'];
    const out = ['two files to stdout', '--target all without --out'].includes(name) ? [] : ['--out', '/nonexistent/never-written'];
    const run = await runCli(['render', ...target, ...args, ...out]);
    expect(run.code).toBe(2);
    expect(run.written).toEqual([]);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).toMatch(/^sipwall: /);
  });
});

describe('render', () => {
  it('--target all writes one folder per target and one budget per limited target', async () => {
    const run = await runCli(['render', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--target', 'all', '--out', 'fw', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const ids = report.targets.map((t: { target: string }) => t.target);
    expect(ids).toEqual(['nftables', 'iptables', 'ufw', 'firewalld', 'pfsense', 'opnsense', 'aws', 'gcp', 'azure', 'routeros', 'windows']);
    expect(run.written.map((f) => f.dir)).toContain('fw/aws');
    const aws = report.targets.find((t: { target: string }) => t.target === 'aws');
    expect(aws.budget[0]).toEqual({ what: 'inbound IPv4 rules in security group 1', used: 8, limit: 60 });
  });

  it('splits AWS rules across security groups of 60, and refuses beyond 16 groups with the excess named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-'));
    const profile = (n: number) => {
      const file = join(dir, `p${n}.yaml`);
      const addresses = Array.from({ length: n }, (_, i) => `10.${i >> 8}.${i & 255}.0/32`).map((a) => a.replace('.0/32', '.1/32'));
      writeFileSync(file, `id: big\nname: Big\nsource: https://example.com\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses: [${addresses.join(', ')}]\n    transports: { udp: 5060 }\n`);
      return file;
    };
    const ok = await runCli(['render', '--profile', profile(130), '--target', 'aws', '--out', 'aws']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.written.map((f) => f.name)).toEqual(['aws-ingress.json', 'aws-ingress-2.json', 'aws-ingress-3.json']);
    expect(ok.stderr).toContain('budget: inbound IPv4 rules in security group 3: 10 of 60');
    const over = await runCli(['render', '--profile', profile(1000), '--target', 'aws', '--out', 'aws']);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('aws: 1000 inbound IPv4 rules need 17 security groups of 60; an interface takes at most 16 (960 rules): 40 over');
    expect(over.written).toEqual([]);
  });

  it('prints the README quick-start output with the exact command in the header', async () => {
    const run = await runCli(['render', '--provider', 'flynumber', '--target', 'nftables']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`# Generated by sipwall ${VERSION}.`);
    expect(run.stdout).toContain('# Command: sipwall render --provider flynumber --target nftables');
    expect(run.stdout).toContain('flynumber (FlyNumber): retrieved 2026-11-23 from https://');
    expect(run.stderr).toMatch(/warning: no --pbx or --rtp-ports: RTP is opened on 16384-32767/);
  });

  it('quotes a hostile argument in the header command line, which stays one comment line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-'));
    const hostile = join(dir, "we'ird $(reboot) `id`; x.yaml");
    copyFileSync(join(FIXTURES, 'test-trunk.yaml'), hostile);
    const run = await runCli(['render', '--profile', hostile, '--target', 'nftables', '--rtp-ports', '20000-20100']);
    expect(run.code, run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.startsWith('# Command:'))!;
    expect(line).toBe(`# Command: sipwall render --profile '${dir}/we'"'"'ird $(reboot) \`id\`; x.yaml' --target nftables --rtp-ports 20000-20100`);
  });

  it('--json reports files, subsumed prefixes and warnings', async () => {
    const run = await runCli(['render', '-p', 'flynumber', '--target', 'iptables', '--pbx', 'asterisk', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.files.map((f: { name: string }) => f.name)).toEqual(['iptables.rules.v4', 'iptables.rules.v6']);
    expect(report.subsumed).toHaveLength(5);
    expect(report.subsumed[0]).toEqual({ set: 'flynumber_sipmedia_v4', prefix: '46.19.209.14/32', by: '46.19.208.0/21' });
  });

  it('warns about a stale profile', async () => {
    const run = await runCli(['render', '-p', 'flynumber', '--target', 'nftables', '--max-age', '30'], new Date('2027-06-01T00:00:00Z'));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: profile flynumber was retrieved 2026-11-23 \(190 days ago, over 30\)/);
  });

  it('--target list prints every target with its limits', async () => {
    const run = await runCli(['render', '--target', 'list']);
    expect(run.stdout).toMatch(/^nftables: /m);
    expect(run.stdout).toMatch(/^iptables: [\s\S]*15 ports\/rule \(range = 2\)/m);
  });

  it('providers lists source URL and retrieval date', async () => {
    const run = await runCli(['providers']);
    expect(run.stdout).toMatch(/flynumber +FlyNumber\n +source: +https:\/\/.*\n +retrieved: 2026-11-23 \(0 days ago\)/);
    expect(run.stdout).toMatch(/gateways: +46\.19\.209\.14\/32/);
    expect(run.stdout).toMatch(/asterisk +Asterisk \(PJSIP\): SIP udp 5060, tcp 5060, tls 5061; RTP 10000-20000/);
    expect(JSON.parse((await runCli(['providers', '--json'])).stdout).providers).toHaveLength(2);
  });

  it('render --help shows examples for every README command', async () => {
    const run = await runCli(['render', '--help']);
    expect(run.code).toBe(0);
    for (const example of ['--provider flynumber --provider vapi --target nftables', '--target iptables --pbx asterisk --out ./fw/', '--into inet/filter/input', '--target list']) {
      expect(run.stdout).toContain(example);
    }
  });

  it('probe, responder, diagnose, apply and remove --help show every README command of theirs as an example', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8').replace(/ \\\n\s*/g, ' ');
    const commands = [...readme.matchAll(/^(?:sudo )?npx (sipwall (probe sip|probe rtp|responder|diagnose|apply|remove)\b[^#\n]*?)\s*(#.*)?$/gm)].map((m) => [m[1]!.trim(), m[2]!] as const);
    expect(commands.length).toBeGreaterThanOrEqual(13);
    for (const [command, which] of commands) {
      const help = await runCli([...which.split(' '), '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout.replace(/\s+/g, ' '), command).toContain(command);
    }
  });

  it('the version matches package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    expect((await runCli(['--version'])).stdout.trim()).toBe(VERSION);
  });
});
