/** buildPolicy at its edges: errors, warnings and notes said exactly, and replyOf. */
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../src/net/cidr.js';
import { buildPolicy, type PolicyInput } from '../../src/policy/build.js';
import { replyOf } from '../../src/policy/types.js';
import { DEFAULT_HOST, PBX_PRESETS } from '../../src/providers/pbx.js';
import { toProvider } from '../../src/providers/parse.js';
import { findBuiltinProvider } from '../../src/providers/registry.js';

const fly = findBuiltinProvider('flynumber');
const vapi = findBuiltinProvider('vapi');
const asterisk = PBX_PRESETS.asterisk!;
const base: PolicyInput = { providers: [fly], host: asterisk, direction: 'in', families: [4, 6] };

function provider(id: string, sip: string[], media?: string[] | 'any') {
  return toProvider({ id, name: id, source: 's', retrieved: '2026-11-01', roles: { sip: { addresses: sip, transports: { udp: 5060 } }, ...(media ? { media: { addresses: media } } : {}) } }, id);
}

describe('buildPolicy edges', () => {
  it('no provider, and a provider twice, are refused', () => {
    expect(() => buildPolicy({ ...base, providers: [] })).toThrow('--provider: no provider given; name one, e.g. --provider flynumber, or --profile FILE');
    expect(() => buildPolicy({ ...base, providers: [fly, fly] })).toThrow('--provider: provider "flynumber" given twice; name each provider once');
  });

  it('--family names the families the providers do publish', () => {
    expect(() => buildPolicy({ ...base, families: [6] })).toThrow('--family: no rule left for IPv6: the providers publish IPv4 addresses only; use --family ipv4');
    const v6 = provider('six', ['2001:db8::/32']);
    expect(() => buildPolicy({ ...base, providers: [v6], families: [4] })).toThrow('--family: no rule left for IPv4: the providers publish IPv6 addresses only; use --family ipv6');
    const both = provider('both', ['2001:db8::/32', '192.0.2.0/24'], ['198.51.100.0/24']);
    expect(buildPolicy({ ...base, providers: [both], families: [6] }).terms.length).toBeGreaterThan(0);
  });

  it('the subsumed note names 8 prefixes, then how many more', () => {
    const inside = Array.from({ length: 10 }, (_, i) => `192.0.2.${i}/32`);
    const policy = buildPolicy({ ...base, providers: [provider('p', ['192.0.2.0/24', ...inside])] });
    expect(policy.notes.find((n) => n.includes('inside'))).toBe(`${inside.slice(0, 8).join(', ')}, and 2 more lie inside 192.0.2.0/24 (p_sip_v4): no rules of their own.`);
    expect(policy.subsumed).toHaveLength(10);
    const one = buildPolicy({ ...base, providers: [provider('q', ['192.0.2.0/24', '192.0.2.1/32'])] });
    expect(one.notes.find((n) => n.includes('inside'))).toBe('192.0.2.1/32 lies inside 192.0.2.0/24 (q_sip_v4): no rules of their own.');
  });

  it('notes name 8 holding prefixes, then count the rest: a header stays short however many there are', () => {
    // 20 /24s, each holding one /32 of its own.
    const lists = Array.from({ length: 20 }, (_, i) => [`10.${i}.0.0/24`, `10.${i}.0.1/32`]).flat();
    const notes = buildPolicy({ ...base, providers: [provider('p', lists)] }).notes.filter((n) => n.includes('inside'));
    expect(notes.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, i) => `10.${i}.0.1/32 lies inside 10.${i}.0.0/24 (p_sip_v4): no rules of their own.`));
    expect(notes.slice(8)).toEqual(['12 more prefixes lie inside 12 other prefixes of the lists: no rules of their own (--json lists them).']);
  });

  it('a feed that repeats one prefix 300,000 times builds (no spread of every copy, no quadratic grouping)', () => {
    const policy = buildPolicy({ ...base, providers: [provider('p', Array.from({ length: 300_000 }, () => '192.0.2.0/24'))] });
    expect(policy.subsumed).toHaveLength(299_999);
    expect(policy.notes.filter((n) => n.includes('inside'))).toEqual([`${Array(8).fill('192.0.2.0/24').join(', ')}, and 299991 more lie inside 192.0.2.0/24 (p_sip_v4): no rules of their own.`]);
  });

  it('RTP warnings say to whom the range is open', () => {
    const wide = { ...base, rtpPorts: [{ from: 1, to: 65535 }] };
    expect(buildPolicy({ ...wide, providers: [vapi] }).warnings.join('\n')).toMatch(/opens 65535 UDP ports to every address/);
    expect(buildPolicy({ ...wide, providers: [fly] }).warnings.join('\n')).toMatch(/opens 65535 UDP ports to the providers' media addresses/);
    expect(buildPolicy({ ...base, providers: [fly] }).warnings.join('\n')).not.toMatch(/RTP range/);
    // SIP only: no RTP warning at all, however wide the range.
    expect(buildPolicy({ ...wide, providers: [provider('s', ['192.0.2.0/24'])] }).warnings.join('\n')).not.toMatch(/RTP range/);
  });

  it('every-address and broad lists: the set turns into any, or stays with a warning', () => {
    const halves = buildPolicy({ ...base, providers: [provider('h', ['0.0.0.0/1', '128.0.0.0/1'])] });
    expect(halves.warnings).toContain('h SIP: 0.0.0.0/0 covers every address; the rule matches any address');
    expect(halves.sets).toEqual([]);
    expect(halves.terms[0]!.sources).toEqual({ kind: 'any' });
    const broad = buildPolicy({ ...base, providers: [provider('b', ['10.0.0.0/8'])] });
    expect(broad.sets).toHaveLength(1);
    expect(broad.warnings.join('\n')).toMatch(/b SIP covers 16777216 IPv4 addresses/);
  });

  it('SSH sources: every address warned, a broad list warned, a set per family', () => {
    const all = buildPolicy({ ...base, ssh: { port: 22, sources: [parseCidr('0.0.0.0/0', 't')] } });
    expect(all.warnings).toContain('--ssh-from 0.0.0.0/0 covers every IPv4 address: SSH is open to all of them, as without --ssh-from');
    const two = buildPolicy({ ...base, ssh: { port: 22, sources: [parseCidr('192.0.2.0/24', 't'), parseCidr('2001:db8::/32', 't')] } });
    expect(two.ssh!.sources).toMatchObject([{ kind: 'set', set: { name: 'ssh_allowed_ipv4', family: 4 } }, { kind: 'set', set: { name: 'ssh_allowed_ipv6', family: 6 } }]);
    expect(two.warnings.join('\n')).not.toMatch(/ssh-from/);
    const v4only = buildPolicy({ ...base, ssh: { port: 22, sources: [parseCidr('192.0.2.0/24', 't')] } });
    expect(v4only.ssh!.sources).toHaveLength(1);
  });

  it('one set when SIP and media name the same prefixes; two when they differ', () => {
    expect(buildPolicy({ ...base, providers: [provider('same', ['192.0.2.0/24'], ['192.0.2.0/24'])] }).sets.map((s) => s.name)).toEqual(['same_sipmedia_v4']);
    expect(buildPolicy({ ...base, providers: [provider('diff', ['192.0.2.0/24'], ['192.0.2.0/25'])] }).sets.map((s) => s.name)).toEqual(['diff_sip_v4', 'diff_media_v4']);
    expect(buildPolicy({ ...base, providers: [provider('len', ['192.0.2.0/24'], ['192.0.2.0/24', '198.51.100.0/24'])] }).sets.map((s) => s.name)).toEqual(['len_sip_v4', 'len_media_v4']);
  });

  it('a provider whose transports the PBX does not listen on is refused with a --sip-ports example', () => {
    expect(() => buildPolicy({ ...base, providers: [provider('u', ['192.0.2.0/24'])], sipPorts: { tcp: [5060] } })).toThrow('--sip-ports: u speaks SIP over udp only and the PBX listens on none of them; let the PBX listen on one, e.g. --sip-ports udp:5060');
  });

  it('no RTP range and no instruction: refused naming the providers; none needed without media', () => {
    expect(() => buildPolicy({ ...base, host: DEFAULT_HOST, providers: [vapi] })).toThrow(/^--rtp-ports: vapi state no RTP range for the PBX side/);
    expect(buildPolicy({ ...base, host: DEFAULT_HOST, providers: [provider('s', ['192.0.2.0/24'])] }).host.rtp).toEqual([]);
  });

  it('replyOf swaps direction, sides and ports, and names itself', () => {
    const t = buildPolicy({ ...base, direction: 'both' }).terms.find((x) => x.name === 'flynumber-sip-udp-out-v4')!;
    const r = replyOf(t);
    expect(r).toMatchObject({ name: 'flynumber-sip-udp-out-v4-reply', direction: 'in', sources: t.destinations, destinations: t.sources, sourcePorts: t.destinationPorts, destinationPorts: t.sourcePorts, description: `replies to ${t.description}` });
    expect(replyOf(r).direction).toBe('out');
  });
});
