/** The stages of buildPolicy, each on its own: sets → terms → notes. */
import { describe, expect, it } from 'vitest';
import { formatPrefix, parseCidr as parse } from '../../src/net/cidr.js';
import { subsumedNotes } from '../../src/policy/notes.js';
import { providerSets } from '../../src/policy/sets.js';
import { policyTerms } from '../../src/policy/terms.js';
import type { Policy } from '../../src/policy/types.js';
import { toProvider } from '../../src/providers/parse.js';

type Roles = Parameters<typeof toProvider>[0]['roles'];
const provider = (id: string, roles: Roles) => toProvider({ id, name: id.toUpperCase(), source: 's', retrieved: '2026-11-01', roles }, id);
const sip = (addresses: string[], gateways: string[] = []) => ({ addresses, gateways, transports: { udp: 5060, tls: 5061 } });

describe('stage 1: providerSets', () => {
  it.each([
    ['SIP alone: one set per family it has', { sip: sip(['192.0.2.0/24', '2001:db8::/32']) }, ['a_sip_v4 192.0.2.0/24', 'a_sip_v6 2001:db8::/32'], 0],
    ['gateways merge into the SIP set; the one inside is subsumed', { sip: sip(['192.0.2.0/24'], ['192.0.2.9', '198.51.100.7']) }, ['a_sip_v4 192.0.2.0/24,198.51.100.7/32'], 1],
    ['media with the same prefixes shares the set', { sip: sip(['192.0.2.0/25', '192.0.2.128/25']), media: { addresses: ['192.0.2.0/24'], hostPorts: '10000-20000' } }, ['a_sipmedia_v4 192.0.2.0/24'], 0],
    ['media elsewhere has its own set', { sip: sip(['192.0.2.0/24']), media: { addresses: ['203.0.113.0/24'], hostPorts: '10000-20000' } }, ['a_sip_v4 192.0.2.0/24', 'a_media_v4 203.0.113.0/24'], 0],
    ['media on any address has no set', { sip: sip(['192.0.2.0/24']), media: { addresses: 'any', hostPorts: '10000-20000' } }, ['a_sip_v4 192.0.2.0/24'], 0],
  ] as const)('%s', (_, roles, expected, subsumed) => {
    const out = providerSets([provider('a', roles as Roles)], [4, 6]);
    expect(out.sets.map((s) => `${s.name} ${s.prefixes.map(formatPrefix).join(',')}`)).toEqual(expected);
    expect(out.subsumed).toHaveLength(subsumed);
  });

  it('a list that covers every address is any address, with a warning, and no set', () => {
    const out = providerSets([provider('wide', { sip: sip(['0.0.0.0/1', '128.0.0.0/1']) })], [4]);
    expect(out.sets).toEqual([]);
    expect(out.addresses.get('wide')!.get('sip:4')).toEqual({ kind: 'any' });
    expect(out.warnings).toEqual(['wide SIP: 0.0.0.0/0 covers every address; the rule matches any address']);
  });

  it('a family the provider does not publish has no entry (never "any")', () => {
    const out = providerSets([provider('a', { sip: sip(['192.0.2.0/24']) })], [4, 6]);
    expect([...out.addresses.get('a')!.keys()]).toEqual(['sip:4']);
  });
});

describe('stage 2: policyTerms', () => {
  const a = provider('a', { sip: sip(['192.0.2.0/24']), media: { addresses: 'any', providerPorts: '40000-40010', hostPorts: '10000-20000' } });
  const sets = providerSets([a], [4, 6]);
  const host = { sip: { udp: [5060], tls: [5061] }, rtp: [{ from: 10000, to: 20000 }] };
  const terms = (directions: Array<'in' | 'out'>, families: Array<4 | 6> = [4, 6]) => policyTerms({ providers: [a], families, directions, host, addresses: sets.addresses });

  it.each([
    [['in'], [4, 6], ['a-sip-udp-in-v4', 'a-sip-tcp-in-v4', 'a-media-udp-in']],
    [['in', 'out'], [4, 6], ['a-sip-udp-in-v4', 'a-sip-udp-out-v4', 'a-sip-tcp-in-v4', 'a-sip-tcp-out-v4', 'a-media-udp-in', 'a-media-udp-out']],
    [['in'], [4], ['a-sip-udp-in-v4', 'a-sip-tcp-in-v4', 'a-media-udp-in-v4']],
    [['in'], [6], ['a-media-udp-in-v6']],
  ] as const)('directions %j, families %j: %j', (directions, families, names) => {
    expect(terms([...directions], [...families]).map((t) => t.name)).toEqual(names);
  });

  it('sides and ports swap with the direction', () => {
    const [udpIn, udpOut] = terms(['in', 'out']);
    expect(udpIn).toMatchObject({ sources: { kind: 'set' }, destinations: { kind: 'any' }, sourcePorts: 'any', destinationPorts: [{ from: 5060, to: 5060 }], description: 'A SIP udp in' });
    expect(udpOut).toMatchObject({ sources: { kind: 'any' }, destinations: { kind: 'set' }, sourcePorts: 'any', destinationPorts: [{ from: 5060, to: 5060 }], description: 'A SIP udp out' });
    const media = terms(['in', 'out']).filter((t) => t.role === 'media');
    expect(media.map((t) => [t.family, t.sourcePorts, t.destinationPorts, t.description])).toEqual([
      ['both', [{ from: 40000, to: 40010 }], [{ from: 10000, to: 20000 }], 'A RTP in (any address)'],
      ['both', [{ from: 10000, to: 20000 }], [{ from: 40000, to: 40010 }], 'A RTP out (any address)'],
    ]);
  });

  it('a provider that speaks no transport the PBX listens on is refused, naming one to add', () => {
    expect(() => policyTerms({ providers: [a], families: [4], directions: ['in'], host: { sip: { tcp: [5060] }, rtp: [] }, addresses: sets.addresses })).toThrow(
      '--sip-ports: a speaks SIP over udp, tls only and the PBX listens on none of them; let the PBX listen on one, e.g. --sip-ports udp:5060',
    );
  });
});

describe('stage 3: subsumedNotes', () => {
  const parseCidr = (text: string) => parse(text, 'test');
  const by = parseCidr('192.0.2.0/24');
  const inside = (n: number, set = 'a_sip_v4', cover = by) => Array.from({ length: n }, (_, i) => ({ prefix: parseCidr(`192.0.2.${i}/32`), by: cover, set }));
  const covers = (k: number) => Array.from({ length: k }, (_, i) => ({ prefix: parseCidr(`10.${i}.0.1/32`), by: parseCidr(`10.${i}.0.0/16`), set: 'a_sip_v4' }));

  it.each([
    ['nothing subsumed: no note', [], []],
    ['one prefix', inside(1), ['192.0.2.0 lies inside 192.0.2.0/24 (a_sip_v4): no rules of their own.']],
    ['two in one prefix: one note', inside(2), ['192.0.2.0, 192.0.2.1 lie inside 192.0.2.0/24 (a_sip_v4): no rules of their own.']],
    ['ten in one prefix: eight shown', inside(10), ['192.0.2.0, 192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, 192.0.2.5, 192.0.2.6, 192.0.2.7, and 2 more lie inside 192.0.2.0/24 (a_sip_v4): no rules of their own.']],
  ] as const)('%s', (_, subsumed, notes) => {
    expect(subsumedNotes(subsumed as unknown as Policy['subsumed']).map((n) => n.replaceAll('/32', ''))).toEqual(notes);
  });

  it('more than eight covering prefixes: eight notes and one line for the rest', () => {
    const notes = subsumedNotes(covers(11));
    expect(notes).toHaveLength(9);
    expect(notes[8]).toBe('3 more prefixes lie inside 3 other prefixes of the lists: no rules of their own (--json lists them).');
    expect(subsumedNotes(covers(9))[8]).toBe('1 more prefix lies inside 1 other prefix of the lists: no rules of their own (--json lists them).');
  });

  it('the same prefix in two sets is two groups', () => {
    expect(subsumedNotes([...inside(1, 'a_sip_v4'), ...inside(1, 'b_sip_v4')])).toHaveLength(2);
  });
});
