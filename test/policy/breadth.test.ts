/** The breadth warnings: address counts and special-range overlaps, against a brute force. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapse, formatPrefix, lastAddress, parseCidr, type Prefix } from '../../src/net/cidr.js';
import { addressCount, addressWarnings, coversEveryAddress, rtpWarnings } from '../../src/policy/breadth.js';

const v4 = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 32 })).map(([n, len]): Prefix => ({ family: 4, network: BigInt(Math.floor(n / 2 ** (32 - len)) * 2 ** (32 - len)), length: len }));

describe('address breadth', () => {
  it('counts addresses of a collapsed list exactly', () => {
    fc.assert(
      fc.property(fc.array(v4, { minLength: 1, maxLength: 40 }), (list) => {
        const { prefixes } = collapse(list);
        const brute = prefixes.reduce((n, p) => n + lastAddress(p) - p.network + 1n, 0n);
        expect(addressCount(prefixes)).toBe(brute);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a special range wherever a prefix of the list overlaps it (binary search = brute force)', () => {
    const specials = ['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'].map((c) => parseCidr(c, 't'));
    fc.assert(
      fc.property(fc.array(v4, { minLength: 1, maxLength: 40 }), (list) => {
        const { prefixes } = collapse(list);
        const said = addressWarnings('x', prefixes, 4).filter((w) => / (includes|lies in) /.test(w)).length;
        const overlapping = specials.filter((s) => prefixes.some((p) => p.network <= lastAddress(s) && s.network <= lastAddress(p))).length;
        expect(said).toBe(overlapping);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    [['0.0.0.0/1', '128.0.0.0/1'], true],
    [['0.0.0.0/0'], true],
    [['0.0.0.0/1'], false],
  ])('%j covers every address: %s', (cidrs, every) => {
    expect(coversEveryAddress(collapse(cidrs.map((c) => parseCidr(c, 't'))).prefixes, 4)).toBe(every);
  });

  it('calls a /8 broad and a /9 not', () => {
    expect(addressWarnings('x', [parseCidr('11.0.0.0/8', 't')], 4)).toEqual(['x covers 16777216 IPv4 addresses, as many as a /8: far more than a provider\'s gateways; check the profile or flag']);
    expect(addressWarnings('x', [parseCidr('11.0.0.0/9', 't')], 4)).toEqual([]);
    expect(addressWarnings('x', [parseCidr('2001:d00::/24', 't')], 6)).toHaveLength(1);
    expect(addressWarnings('x', [parseCidr('2001:d00::/25', 't')], 6)).toEqual([]);
    expect(formatPrefix(parseCidr('::ffff:0:0/96', 't'))).toBe('::ffff:0:0/96');
  });

  it('RTP ranges: the size limit, ports below 1024 and the SIP port, each at its edge', () => {
    expect(rtpWarnings([{ from: 10000, to: 42767 }], [5060], 'x')).toEqual([]);
    expect(rtpWarnings([{ from: 10000, to: 42768 }], [5060], 'x')).toHaveLength(1);
    expect(rtpWarnings([{ from: 1024, to: 2000 }], [5060], 'x')).toEqual([]);
    expect(rtpWarnings([{ from: 1023, to: 2000 }], [5060], 'x')).toHaveLength(1);
    expect(rtpWarnings([{ from: 5060, to: 5060 }], [5060], 'x')).toHaveLength(1);
    expect(rtpWarnings([{ from: 5061, to: 6000 }], [5060], 'x')).toEqual([]);
  });
});
