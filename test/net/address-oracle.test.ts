/**
 * Our address parsers against an oracle (Node's inet_pton-based net.isIPv4/isIPv6, and the
 * WHATWG URL parser for IPv6 values): the same verdict on near-miss texts, the same value on good ones.
 */
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, parseIPv4, parseIPv6, unmapIPv4 } from '../../src/net/address.js';
import { parseCidr, prefixesContain } from '../../src/net/cidr.js';
import { parsePort, parsePortList, parsePortRange, unionPorts } from '../../src/net/ports.js';

/** The IPv6 value the WHATWG URL parser gives (it normalises to lower-case hex groups, `::` once). */
function urlValue(text: string): bigint {
  const host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head, tail] = host.includes('::') ? host.split('::') : [host, undefined];
  const a = head ? head.split(':') : [];
  const b = tail ? tail.split(':') : [];
  const groups = tail === undefined ? a : [...a, ...Array(8 - a.length - b.length).fill('0'), ...b];
  return groups.reduce((v, g) => (v << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('256', '999', '', '00', '1a', ' 1'));
const v4text = fc.oneof(
  fc.array(octet, { minLength: 2, maxLength: 6 }).map((o) => o.join('.')),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map((o) => o.join('.')),
  fc.stringMatching(/^[0-9.]{0,18}$/),
);

const group = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16));
const v6text = fc
  .tuple(fc.array(group, { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.boolean(), fc.boolean(), fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })))
  .map(([groups, at, len, upper, v4tail, [x, y]]) => {
    let parts = [...groups];
    if (v4tail) parts = [...parts.slice(0, 6), `${x}.${y}.1.2`];
    const n = parts.length;
    const start = Math.min(at, n);
    const end = Math.min(n, start + len);
    let text = end - start >= 1 ? `${parts.slice(0, start).join(':')}::${parts.slice(end).join(':')}` : parts.join(':');
    if (upper) text = text.toUpperCase();
    return text;
  });
const mutated = fc.tuple(v6text, fc.integer({ min: 0, max: 40 }), fc.constantFrom('', ':', '::', 'g', '.', '0', '00000', '1.2.3.4', ':::')).map(([t, i, s]) => t.slice(0, i) + s + t.slice(i + s.length));

describe('address parsing agrees with an oracle', () => {
  it('IPv4: same verdict as net.isIPv4, same value', () => {
    fc.assert(
      fc.property(v4text, (text) => {
        const ours = parseIPv4(text);
        expect(ours !== undefined, text).toBe(net.isIPv4(text));
        if (ours !== undefined) expect(ours).toBe(text.split('.').reduce((v, o) => v * 256n + BigInt(o), 0n));
      }),
      { numRuns: 5000 },
    );
  });

  it('IPv6: same verdict as net.isIPv6 on good and mutated texts, same value as the URL parser', () => {
    fc.assert(
      fc.property(fc.oneof(v6text, mutated), (text) => {
        const ours = parseIPv6(text);
        expect(ours !== undefined, text).toBe(net.isIPv6(text));
        if (ours !== undefined) {
          expect(ours, text).toBe(urlValue(text));
          // Formatting and parsing again gives the value back.
          expect(parseIPv6(formatAddress(6, ours))).toBe(ours);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('formats IPv6 the RFC 5952 way (longest zero run, the first of equals, never a single group)', () => {
    expect(formatAddress(6, parseIPv6('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatAddress(6, parseIPv6('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatAddress(6, parseIPv6('0:0:0:0:0:0:0:0')!)).toBe('::');
    expect(formatAddress(6, parseIPv6('1:0:0:2:0:0:0:3')!)).toBe('1:0:0:2::3');
  });

  it('unmaps IPv4-mapped addresses only', () => {
    expect(unmapIPv4('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(unmapIPv4('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(unmapIPv4('::ffff:c000:201')).toBe('::ffff:c000:201');
    expect(unmapIPv4('2001:db8::ffff:192.0.2.1')).toBe('2001:db8::ffff:192.0.2.1');
  });

  it('prefixesContain: edges of a prefix, the other family, unreadable text', () => {
    const list = [parseCidr('192.0.2.0/24', 't'), parseCidr('2001:db8::/32', 't')];
    expect(prefixesContain(list, '192.0.2.0')).toBe(true);
    expect(prefixesContain(list, '192.0.2.255')).toBe(true);
    expect(prefixesContain(list, '192.0.3.0')).toBe(false);
    expect(prefixesContain(list, '192.0.1.255')).toBe(false);
    expect(prefixesContain(list, '::ffff:192.0.2.7')).toBe(true);
    expect(prefixesContain(list, '2001:db9::')).toBe(false);
    expect(prefixesContain(list, 'nonsense')).toBe(false);
    expect(prefixesContain([parseCidr('2001:db8::/32', 't')], '192.0.2.1')).toBe(false);
  });
});

describe('ports at their edges', () => {
  it.each([['1', 1], ['65535', 65535], [' 5060 ', 5060], [5060, 5060]])('%j is a port', (v, n) => expect(parsePort(v, 'p')).toBe(n));
  it.each(['0', '65536', '-1', '1.5', '5060x', 'x5060', '', '123456'])('%j is not a port', (v) => expect(() => parsePort(v, 'p')).toThrow(/is not a port/));
  it('ranges: equal ends are fine, reversed are not, spaces around the dash are fine', () => {
    expect(parsePortRange('5060-5060', 'p')).toEqual({ from: 5060, to: 5060 });
    expect(parsePortRange(' 10 - 20 ', 'p')).toEqual({ from: 10, to: 20 });
    expect(parsePortRange('10:20', 'p')).toEqual({ from: 10, to: 20 });
    expect(() => parsePortRange('20-10', 'p')).toThrow(/reversed/);
    expect(() => parsePortRange('10-20x', 'p')).toThrow();
    expect(() => parsePortRange('x10-20', 'p')).toThrow();
  });
  it('lists: entries trimmed, an empty entry refused with the whole list named', () => {
    expect(parsePortList(' 10-20 , 30 ', 'p')).toEqual([{ from: 10, to: 20 }, { from: 30, to: 30 }]);
    expect(() => parsePortList('10,,20', 'p')).toThrow('p: "10,,20" has an empty entry; separate ports with single commas');
  });
  it('union sorts by start, then end', () => {
    expect(unionPorts([{ from: 30, to: 40 }, { from: 10, to: 12 }, { from: 10, to: 11 }])).toEqual([{ from: 10, to: 12 }, { from: 30, to: 40 }]);
  });
});
