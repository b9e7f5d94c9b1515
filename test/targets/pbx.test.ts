/**
 * The PBX configurations (issue 18.1), read back by the PBX's own rules: Asterisk's ACL evaluated
 * as main/acl.c does (last match wins, starting at allow), its identify sections by provider and
 * endpoint; FreeSWITCH's lists (default deny, allow nodes). Every provider address is let in,
 * and no other address: one just outside each prefix, and documentation addresses of both
 * families, are refused.
 */
import { describe, expect, it } from 'vitest';
import { formatPrefix, parseCidr, type Prefix } from '../../src/net/cidr.js';
import { applyAcl, readAsteriskConfig } from './asterisk-config.js';
import { runCli } from '../helpers/cli.js';

type Address = { family: 4 | 6; value: bigint };
const BITS = { 4: 32, 6: 128 } as const;

/** A CIDR as Asterisk takes it: `/length`, or an IPv4 dotted mask. */
function prefixOf(text: string): Prefix {
  const [address, mask] = text.split('/');
  if (mask !== undefined && mask.includes('.')) {
    const length = mask.split('.').reduce((n, octet) => n + Number(octet).toString(2).replace(/0/g, '').length, 0);
    return parseCidr(`${address}/${length}`, 'acl');
  }
  return parseCidr(text, 'acl');
}
const inside = (cidr: string, a: Address) => {
  const p = prefixOf(cidr);
  const shift = BigInt(BITS[p.family] - p.length);
  return p.family === a.family && a.value >> shift === p.network >> shift;
};
/** The first and last address of each prefix, and the addresses just outside it. */
function probes(p: Prefix): { within: Address[]; outside: Address[] } {
  const size = 1n << BigInt(BITS[p.family] - p.length);
  const max = (1n << BigInt(BITS[p.family])) - 1n;
  const at = (value: bigint) => ({ family: p.family, value });
  return { within: [at(p.network), at(p.network + size - 1n)], outside: [p.network - 1n, p.network + size].filter((v) => v >= 0n && v <= max).map(at) };
}
const DOC = [{ family: 4, value: 0xc0000201n }, { family: 6, value: 0x20010db8ffff0000000000000000_0001n }] as const satisfies readonly Address[];

async function files(args: string[]): Promise<Map<string, string>> {
  const r = await runCli(['render', ...args, '--out', 'out']);
  expect(r.stderr).not.toMatch(/sipwall: (?!warning|wrote)/);
  expect(r.code).toBe(0);
  return new Map(r.written.map((f) => [f.name, f.content]));
}

describe('asterisk', () => {
  const ARGS = ['--target', 'asterisk', '--profile', 'test-trunk.yaml', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--endpoint', 'vapi=vapi-ai'];

  it("the ACL lets in every provider's SIP addresses and nothing else, of either family", async () => {
    const out = await files(ARGS);
    const acl = readAsteriskConfig(out.get('acl_sipwall.conf')!);
    expect(acl.problems).toEqual([]);
    const rules = acl.categories.find((c) => c.name === 'sipwall')!.vars;
    const permitted = rules.filter(([k]) => k === 'permit').map(([, v]) => prefixOf(v));
    expect(permitted.map(formatPrefix).sort()).toEqual(['2001:db8:1::/64', '203.0.113.8/29', '44.229.228.186/32', '44.238.177.138/32', '46.19.208.0/21'].sort());
    for (const p of permitted) {
      const { within, outside } = probes(p);
      for (const a of within) expect(applyAcl(rules, a, inside), `${formatPrefix(p)} inside`).toBe('allow');
      for (const a of outside) if (!permitted.some((q) => inside(formatPrefix(q), a))) expect(applyAcl(rules, a, inside), `${formatPrefix(p)} outside`).toBe('deny');
    }
    for (const a of DOC) expect(applyAcl(rules, a, inside)).toBe('deny');
  });

  it('each identify section matches exactly its provider\'s SIP addresses, for the endpoint named', async () => {
    const out = await files(ARGS);
    const pjsip = readAsteriskConfig(out.get('pjsip_sipwall.conf')!);
    const sections = Object.fromEntries(pjsip.categories.map((c) => [c.name, c.vars.map(([k, v]) => `${k}=${v}`)]));
    expect(sections).toEqual({
      'sipwall-test-trunk': ['type=identify', 'endpoint=test-trunk', 'match=203.0.113.8/29', 'match=2001:db8:1::/64'],
      'sipwall-flynumber': ['type=identify', 'endpoint=flynumber', 'match=46.19.208.0/21'],
      'sipwall-vapi': ['type=identify', 'endpoint=vapi-ai', 'match=44.229.228.186/32', 'match=44.238.177.138/32'],
    });
    const rtp = readAsteriskConfig(out.get('rtp_sipwall.conf')!);
    expect([rtp.categories, rtp.loose]).toEqual([[], [['rtpstart', '10000'], ['rtpend', '20000']]]);
  });

  it('one --endpoint for every provider; a malformed one, or one for a provider not rendered, is refused', async () => {
    const out = await files(['--target', 'asterisk', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--endpoint', 'ai-trunk']);
    expect(out.get('pjsip_sipwall.conf')!.match(/^endpoint=.*$/gm)).toEqual(['endpoint=ai-trunk', 'endpoint=ai-trunk']);
    for (const bad of ['a trunk', ']x', 'vapi=', 'vapi=a;b', 'vapi=a,vapi=b', 'x'.repeat(65)]) {
      const r = await runCli(['render', '--target', 'asterisk', '-p', 'vapi', '--pbx', 'asterisk', '--endpoint', bad, '--out', 'out']);
      expect([bad, r.code, r.written]).toEqual([bad, 2, []]);
      expect(r.stderr).toMatch(/^sipwall: --endpoint: /);
    }
  });

  it('a provider whose SIP comes from anywhere is refused, never a 0.0.0.0/0 identify', async () => {
    const r = await runCli(['render', '--target', 'asterisk', '--profile', 'any-sip.yaml', '--pbx', 'asterisk', '--out', 'out']);
    expect([r.code, r.written]).toEqual([2, []]);
    expect(r.stderr).toContain('toll fraud');
  });
});

describe('freeswitch', () => {
  it("each list lets in its provider's SIP addresses and nothing else (default deny)", async () => {
    const out = await files(['--target', 'freeswitch', '--profile', 'test-trunk.yaml', '-p', 'vapi', '--pbx', 'freeswitch']);
    const xml = out.get('sipwall-acl.xml')!;
    const lists = [...xml.matchAll(/<list name="([^"]+)" default="(\w+)">([\s\S]*?)<\/list>/g)].map((m) => ({
      name: m[1],
      default: m[2],
      allow: [...m[3]!.matchAll(/<node type="allow" cidr="([^"]+)"\/>/g)].map((n) => n[1]),
      nodes: [...m[3]!.matchAll(/<node /g)].length,
    }));
    expect(lists.sort((a, b) => a.name!.localeCompare(b.name!))).toEqual([
      { name: 'sipwall-test-trunk', default: 'deny', allow: ['203.0.113.8/29', '2001:db8:1::/64'], nodes: 2 },
      { name: 'sipwall-vapi', default: 'deny', allow: ['44.229.228.186/32', '44.238.177.138/32'], nodes: 2 },
    ]);
    expect(xml).toContain('rtp-start-port and rtp-end-port');
  });
});

describe('PBX configurations and the firewall', () => {
  it("--target all writes every firewall and no receiver's configuration (that is for the one receiving side you have)", async () => {
    const r = await runCli(['render', '--target', 'all', '-p', 'flynumber', '--pbx', 'asterisk', '--out', 'out']);
    expect(r.code).toBe(0);
    const dirs = new Set(r.written.map((f) => f.dir.split('/')[1]));
    expect(dirs.has('nftables') && dirs.has('windows')).toBe(true);
    for (const receiver of ['asterisk', 'freeswitch', 'vapi-trunk', 'livekit-trunk']) expect(dirs.has(receiver), receiver).toBe(false);
  });

  it("with --direction both, a PBX's files say that outbound is the firewall's to filter", async () => {
    const out = await files(['--target', 'asterisk', '-p', 'flynumber', '--pbx', 'asterisk', '--direction', 'both']);
    for (const content of out.values()) expect(content).toContain("; Note: Outbound: a PBX's configuration does not filter what the PBX sends");
  });
});
