import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/net/errors.js';
import { parsePortList, parsePortRange, unionPorts } from '../../src/net/ports.js';
import { packPorts } from '../../src/targets/multiport.js';

describe('ports', () => {
  it('unions intervals truly: 10-20 + 20-30 is 10-30, touching ranges join', () => {
    expect(unionPorts([{ from: 10, to: 20 }, { from: 20, to: 30 }])).toEqual([{ from: 10, to: 30 }]);
    expect(unionPorts([{ from: 21, to: 30 }, { from: 10, to: 20 }])).toEqual([{ from: 10, to: 30 }]);
    expect(unionPorts([{ from: 10, to: 20 }, { from: 22, to: 30 }])).toEqual([{ from: 10, to: 20 }, { from: 22, to: 30 }]);
    expect(parsePortList('5061,5060,16384-32767,20000-40000', 'x')).toEqual([{ from: 5060, to: 5061 }, { from: 16384, to: 40000 }]);
  });

  it.each([
    ['0', 'is not a port'],
    ['70000', 'is not a port'],
    ['20000-10000', 'is reversed; write 10000-20000'],
    ['abc', 'is not a port'],
    ['-5', 'is not a port'],
  ])('refuses %s', (text, message) => {
    expect(() => parsePortRange(text, '--rtp-ports')).toThrow(InputError);
    expect(() => parsePortRange(text, '--rtp-ports')).toThrow(`--rtp-ports: "${text}" ${message}`);
  });

  it('union keeps every port and only those', () => {
    const range = fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 20 })).map(([from, len]) => ({ from, to: Math.min(65535, from + len) }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 20 }), (ranges) => {
        const u = unionPorts(ranges);
        for (let port = 1; port <= 230; port++) {
          expect(u.some((r) => port >= r.from && port <= r.to)).toBe(ranges.some((r) => port >= r.from && port <= r.to));
        }
        for (let i = 1; i < u.length; i++) expect(u[i]!.from).toBeGreaterThan(u[i - 1]!.to + 1);
      }),
    );
  });

  it('packs multiport chunks within 15 slots, a range counting 2, losing no port', () => {
    const singles = Array.from({ length: 14 }, (_, i) => ({ from: 100 + 2 * i, to: 100 + 2 * i }));
    const chunks = packPorts([...singles, { from: 1000, to: 2000 }]);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toHaveLength(14);
    expect(packPorts([...singles.slice(0, 13), { from: 1000, to: 2000 }])).toHaveLength(1);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 60000 }), fc.boolean()), { maxLength: 60 }), (items) => {
        const ranges = unionPorts(items.map(([p, isRange]) => ({ from: p, to: isRange ? p + 3 : p })));
        const packed = packPorts(ranges);
        expect(packed.flat()).toEqual(ranges);
        for (const c of packed) expect(c.reduce((n, r) => n + (r.from === r.to ? 1 : 2), 0)).toBeLessThanOrEqual(15);
      }),
    );
  });
});
