/**
 * `sipwall lint` (issue 18.3): every rule triggered by one setting and not by its correction, the
 * exit codes, a YAML file of forwardings, --resolve against a DNS server on loopback, and --pbx
 * with --rules against a file sipwall render wrote.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, RULES, type Forwarding } from '../../src/lint/rules.js';
import { runCli } from '../helpers/cli.js';
import { startFakeDns } from '../helpers/dns-server.js';

const base: Forwarding = { name: 'f', domain: 'pbx.example.com', port: 5060, transport: 'udp', network: 'ipv4-only' };
const VAPI = 'a1b2c3d4-5678-90ab-cdef-1234567890ab.sip.vapi.ai';

/** Per rule: a forwarding (and facts) that trigger it, and the same corrected. */
const ROWS: Array<{ code: string; bad: Partial<Forwarding>; good: Partial<Forwarding>; facts?: Parameters<typeof lint>[1] }> = [
  { code: 'L_USERNAME_E164', bad: { domain: 'abcd1234.sip.livekit.cloud', username: 'agent1' }, good: { domain: 'abcd1234.sip.livekit.cloud', username: '+17185301799' } },
  { code: 'L_USERNAME_E164', bad: { domain: VAPI, username: '3025551234' }, good: { domain: VAPI, username: '+13025551234' } },
  { code: 'L_ELEVENLABS_TLS', bad: { platform: 'elevenlabs', domain: 'elevenlabs-sip.example.com', transport: 'tcp' }, good: { platform: 'elevenlabs', domain: 'elevenlabs-sip.example.com', transport: 'tls', port: 5061 } },
  { code: 'L_TCP_OR_TLS', bad: { platform: 'retell', transport: 'udp' }, good: { platform: 'retell', transport: 'tcp' } },
  { code: 'L_TCP_OR_TLS', bad: { platform: 'bland', transport: 'udp' }, good: { platform: 'bland', transport: 'tls', port: 5061 } },
  { code: 'L_PORT_TRANSPORT', bad: { port: 5061, transport: 'udp' }, good: { port: 5060, transport: 'udp' } },
  { code: 'L_PORT_TRANSPORT', bad: { port: 5060, transport: 'tls' }, good: { port: 5061, transport: 'tls' } },
  { code: 'L_DOMAIN', bad: { domain: 'sip:pbx.example.com:5060' }, good: { domain: 'pbx.example.com' } },
  { code: 'L_DOMAIN', bad: { domain: 'pbx_1.example.com' }, good: { domain: '203.0.113.5' } },
  { code: 'L_VAPI_DOMAIN', bad: { domain: 'sip.vapi.ai', username: '+13025551234' }, good: { domain: VAPI, username: '+13025551234' } },
  { code: 'L_VAPI_DOMAIN', bad: { platform: 'vapi', domain: 'my-trunk.sip.vapi.ai', username: '+13025551234' }, good: { platform: 'vapi', domain: VAPI, username: '+13025551234' } },
  { code: 'L_IPV6_NO_AAAA', bad: { network: 'ipv6-only' }, good: { network: 'ipv6-only' }, facts: { aaaa: false } },
  { code: 'L_RTP_NOT_COVERED', bad: {}, good: {}, facts: { pbxRtp: { preset: 'freeswitch', range: [{ from: 16384, to: 32768 }] }, renderedRtp: [{ from: 16384, to: 32767 }] } },
];

describe('the rules', () => {
  it.each(ROWS.map((r) => [r.code, r] as const))('%s: triggered, and not once corrected', (code, row) => {
    const codes = (f: Partial<Forwarding>, facts = row.facts) => lint({ ...base, ...f }, facts).map((x) => x.code);
    expect(codes(row.bad)).toContain(code);
    const fixedFacts = code === 'L_IPV6_NO_AAAA' ? { aaaa: true } : code === 'L_RTP_NOT_COVERED' ? { ...row.facts, renderedRtp: [{ from: 10000, to: 40000 }] } : row.facts;
    expect(codes(row.good, fixedFacts)).toEqual([]);
  });

  it('every rule has a row, and a clean forwarding has no finding', () => {
    expect(new Set(ROWS.map((r) => r.code))).toEqual(new Set(Object.keys(RULES)));
    expect(lint(base)).toEqual([]);
    // IPv6 Only is only an error once the lookup found no AAAA (--resolve).
    expect(lint({ ...base, network: 'ipv6-only' })).toEqual([]);
  });
});

describe('sipwall lint', () => {
  it('exit 1 with an error, 0 with warnings only; --json says the same', async () => {
    const bad = await runCli(['lint', '--domain', 'abcd1234.sip.livekit.cloud', '--username', 'agent1']);
    expect([bad.code, bad.stdout]).toEqual([1, expect.stringContaining('error: the forwarding: username "agent1" is not the number in E.164')]);
    const warned = await runCli(['lint', '--domain', 'pbx.example.com', '--port', '5061', '--json']);
    expect(warned.code).toBe(0);
    expect(JSON.parse(warned.stdout)).toMatchObject({ forwardings: 1, errors: 0, warnings: 1, findings: [{ code: 'L_PORT_TRANSPORT', severity: 'warning' }] });
  });

  it('reads a YAML file of forwardings; a typo in a field is named with the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-lint-'));
    try {
      const file = join(dir, 'forwardings.yaml');
      writeFileSync(file, `forwardings:\n  - name: vapi\n    domain: ${VAPI}\n    username: "+13025551234"\n  - name: eleven\n    platform: elevenlabs\n    domain: elevenlabs-sip.example.com\n    transport: udp\n`);
      const r = await runCli(['lint', '--config', file, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).findings.map((f: { forwarding: string; code: string }) => `${f.forwarding} ${f.code}`)).toEqual(['eleven L_ELEVENLABS_TLS']);
      writeFileSync(file, 'forwardings:\n  - domian: pbx.example.com\n');
      const typo = await runCli(['lint', '--config', file]);
      expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining('unknown field domian; did you mean domain?')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad input: --config with --domain, a --rules file sipwall did not write, a missing file: one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-lint-'));
    try {
      const file = join(dir, 'rules.txt');
      writeFileSync(file, '-A INPUT -j ACCEPT\n');
      const cases: Array<[string[], string]> = [
        [['--config', file, '--domain', 'pbx.example.com'], 'sipwall: --config: cannot go with --domain'],
        [['--domain', 'pbx.example.com', '--pbx', 'asterisk', '--rules', file], 'has no sipwall header line'],
        [['--domain', 'pbx.example.com', '--pbx', 'asterisk', '--rules', join(dir, 'missing')], 'cannot be read (ENOENT)'],
        [['--domain', 'pbx.example.com', '--pbx', 'yate', '--rules', file], 'unknown PBX preset "yate"'],
      ];
      for (const [args, text] of cases) {
        const r = await runCli(['lint', ...args]);
        expect([args, r.code, r.stdout, r.stderr.split('\n').length]).toEqual([args, 2, '', 2]);
        expect(r.stderr).toContain(text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--resolve: IPv6 Only to a name without AAAA is an error, with one it is not', async () => {
    const dns = await startFakeDns([{ name: 'v6.pbx.test', type: 'AAAA', data: '2001:db8::5' }, { name: 'v4.pbx.test', type: 'A', data: '192.0.2.5' }] as never);
    try {
      const run = (domain: string) => runCli(['lint', '--domain', domain, '--network', 'ipv6-only', '--resolve', '--dns-server', dns.server, '--json']);
      const none = await run('v4.pbx.test');
      expect([none.code, JSON.parse(none.stdout).findings[0]?.code]).toEqual([1, 'L_IPV6_NO_AAAA']);
      const some = await run('v6.pbx.test');
      expect([some.code, JSON.parse(some.stdout).findings]).toEqual([0, []]);
    } finally {
      await dns.close();
    }
  });

  it('--pbx with --rules: the preset\'s RTP range must be open in what sipwall render wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-lint-'));
    try {
      const file = join(dir, 'sipwall.nft');
      writeFileSync(file, (await runCli(['render', '-p', 'flynumber', '--target', 'nftables'])).stdout);
      const wrong = await runCli(['lint', '--domain', 'pbx.example.com', '--pbx', 'asterisk', '--rules', file]);
      expect([wrong.code, wrong.stdout]).toEqual([1, expect.stringContaining('the asterisk RTP range 10000-20000 is not all open in the rendered rules (16384-32767)')]);
      writeFileSync(file, (await runCli(['render', '-p', 'flynumber', '--target', 'nftables', '--pbx', 'asterisk'])).stdout);
      expect((await runCli(['lint', '--domain', 'pbx.example.com', '--pbx', 'asterisk', '--rules', file])).code).toBe(0);
      const alone = await runCli(['lint', '--domain', 'pbx.example.com', '--pbx', 'asterisk']);
      expect([alone.code, alone.stderr]).toEqual([2, expect.stringContaining('--pbx and --rules: go together')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
