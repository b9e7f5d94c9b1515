import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, formatGroups, parseAddress } from '../../src/net/address.js';
import { collapse, formatPrefix, formatPrefixShort, lastAddress, parseCidr, parseCidrs, parseCidrV6, RADIX_FROM, type Prefix } from '../../src/net/cidr.js';
import { InputError } from '../../src/net/errors.js';

const p = (s: string) => parseCidr(s, 'test');

describe('addresses', () => {
  it.each([
    ['46.19.208.0', 4, '46.19.208.0'],
    ['2001:DB8::1', 6, '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['::ffff:198.51.100.7', 6, '::ffff:c633:6407'],
    ['::', 6, '::'],
    ['1::', 6, '1::'],
  ])('parses and formats %s', (text, family, formatted) => {
    const a = parseAddress(text)!;
    expect(a.family).toBe(family);
    expect(formatAddress(a.family, a.value)).toBe(formatted);
  });

  it.each(['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', '2001:db8::1::2', '12345::', 'g::1', ':::', '1:2:3:4:5:6:7:8:9', ''])(
    'refuses %j',
    (text) => expect(parseAddress(text)).toBeUndefined(),
  );

  it('round-trips random IPv6 addresses', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        const text = formatAddress(6, v);
        expect(parseAddress(text)).toEqual({ family: 6, value: v, text });
      }),
    );
  });
});

describe('parseCidr', () => {
  it('reads prefixes and bare hosts', () => {
    expect(formatPrefix(p('46.19.208.0/21'))).toBe('46.19.208.0/21');
    expect(formatPrefix(p('46.19.209.14'))).toBe('46.19.209.14/32');
    expect(formatPrefix(p('2001:db8::/32'))).toBe('2001:db8::/32');
  });

  it.each([
    ['46.19.209.14/21', 'host bits set; write the network 46.19.208.0/21'],
    ['10.0.0.0/33', 'prefix length outside 0..32'],
    ['10.0.0.0/', 'prefix length outside'],
    ['2001:db8::/129', 'prefix length outside 0..128'],
    ['300.0.0.0/8', 'is not a CIDR prefix'],
    ['example.com', 'is not a CIDR prefix'],
  ])('refuses %s with a message naming the fix', (text, message) => {
    expect(() => parseCidr(text, 'roles.sip.addresses[0]')).toThrow(InputError);
    expect(() => parseCidr(text, 'roles.sip.addresses[0]')).toThrow(message);
  });

  // IPv4 texts take a one-scan fast path; a leading space sends the same text the general way.
  const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('256', '00', '01', '1a', '', ' ', '999'));
  const length = fc.oneof(fc.integer({ min: 0, max: 32 }).map((n) => `/${n}`), fc.constantFrom('', '/', '/33', '/032', '/08', '/1234', '/-1', '/ 8', '/8 ', '/x', '//8', '/0x8'));
  const v4cidr = fc.oneof(
    fc.tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), length).map(([o, l]) => o.join('.') + l),
    // Mostly valid: a random network with its host bits cleared, or not.
    fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), fc.boolean()).map(([v, len, clear]) => {
      const n = clear ? v - (v % 2 ** (32 - len)) : v;
      return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/${len}`;
    }),
    fc.stringMatching(/^[0-9./]{0,20}$/),
  );
  it('reads IPv4 the fast way exactly as the general way: the same prefix, or an error both times', () => {
    const outcome = (text: string) => {
      try {
        const prefix = parseCidr(text, 'test');
        const { family, network, length } = prefix;
        // The texts a prefix writes (its kept texts, or formatted from its value).
        const address = formatPrefixShort({ ...prefix, length: family === 4 ? 32 : 128 });
        const short = formatPrefixShort(prefix);
        return { family, network, length, address, short };
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return 'refused';
      }
    };
    fc.assert(
      fc.property(v4cidr, (text) => {
        expect(outcome(text), text).toEqual(outcome(` ${text}`));
      }),
      { numRuns: 20_000 },
    );
    // The text a prefix keeps from parsing formats it exactly as its value does.
    const v6cidr = fc
      .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }), fc.constantFrom('', '0', '00'), fc.boolean())
      .map(([v, len, pad, upper]) => {
        const text = `${formatAddress(6, v & ~((1n << BigInt(128 - len)) - 1n))}/${pad}${len}`;
        return upper ? text.toUpperCase() : text;
      });
    fc.assert(
      fc.property(fc.oneof(v4cidr, v6cidr), (text) => {
        let prefix: Prefix;
        try {
          prefix = parseCidr(text, 'test');
        } catch {
          return;
        }
        const { family, network, length } = prefix;
        const address = formatAddress(family, network);
        expect(formatPrefix(prefix), text).toBe(`${address}/${length}`);
        expect(formatPrefixShort(prefix), text).toBe(length === (family === 4 ? 32 : 128) ? address : `${address}/${length}`);
      }),
      { numRuns: 20_000 },
    );
    // Both ways were taken: valid prefixes and refusals.
    expect(outcome('192.0.2.0/24')).toEqual({ family: 4, network: 3221225984n, length: 24, address: '192.0.2.0', short: '192.0.2.0/24' });
    expect(outcome('192.0.2.1/24')).toBe('refused');
  });

  // IPv6 as formatPrefix writes it takes a fast path too. Groups with runs of zeros, written in
  // every way an address can be: canonical, and near it (upper case, leading zeros, `::` for one
  // group, for the shorter run, or for a run whose neighbours are written zeros, a dotted tail).
  const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(1, 0xf, 0x10, 0x100, 0xfff, 0x1000));
  const hex = (g: number, pad: boolean) => (pad ? g.toString(16).padStart(4, '0') : g.toString(16));
  /** The groups with the bits past `length` cleared. */
  const masked = (g: number[], length: number) => g.map((x, k) => x - (x % 2 ** Math.min(16, Math.max(0, 16 * (k + 1) - length))));
  const v6cidr = fc.oneof(
    fc
      .tuple(
        fc.array(group, { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 128 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom('canonical', 'canonical', 'full', 'padded', 'upper', 'any-gap', 'dotted'),
        fc.constantFrom('', '', '', '/', '/129', '/0', '/00', '/1234', '/x', '/ 64', ' '),
      )
      .map(([raw, length, clear, from, to, how, odd]) => {
        const g = clear ? masked(raw, length) : raw;
        const canonical = formatGroups(g);
        const [a, b] = from <= to ? [from, to] : [to, from];
        const address =
          how === 'canonical' ? canonical
          : how === 'full' || how === 'padded' ? g.map((x) => hex(x, how === 'padded')).join(':')
          : how === 'upper' ? canonical.toUpperCase()
          : how === 'dotted' ? `${g.slice(0, 6).map((x) => hex(x, false)).join(':')}:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`
          // `::` over groups a..b (written zero or not), wherever that is.
          : `${g.slice(0, a).map((x) => hex(x, false)).join(':')}::${g.slice(b).map((x) => hex(x, false)).join(':')}`;
        return odd === '' ? `${address}/${length}` : odd === ' ' ? address : `${address}${odd}`;
      }),
    fc.stringMatching(/^[0-9a-fA-F:./]{0,24}$/),
  );
  it('reads IPv6 the fast way exactly as the general way: the same prefix and kept text, or an error both times', () => {
    const outcome = (text: string) => {
      try {
        const prefix = parseCidr(text, 'test');
        const { family, network, length, cidr } = prefix;
        return { family, network, length, address: formatPrefixShort({ ...prefix, length: 128 }), cidr };
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return 'refused';
      }
    };
    const seen = { kept: 0, refused: 0 };
    fc.assert(
      fc.property(v6cidr, (text) => {
        const fast = outcome(text);
        const general = outcome(` ${text}`);
        if (fast === 'refused' || general === 'refused') {
          expect(fast, text).toBe(general);
          seen.refused++;
          return;
        }
        // The general way keeps no text for ` …`; the text is kept exactly when it is formatPrefix's.
        expect({ ...fast, cidr: undefined }, text).toEqual(general);
        expect(fast.cidr, text).toBe(text === `${fast.address}/${fast.length}` ? text : undefined);
        if (fast.cidr !== undefined) seen.kept++;
      }),
      { numRuns: 30_000 },
    );
    // Both outcomes came often, and these texts take each way.
    expect(seen.kept).toBeGreaterThan(500);
    expect(seen.refused).toBeGreaterThan(1000);
    expect(outcome('2001:db8::/32')).toEqual({ family: 6, network: 0x20010db8n << 96n, length: 32, address: '2001:db8::', cidr: '2001:db8::/32' });
    expect(outcome('2001:db8::')).toEqual({ family: 6, network: 0x20010db8n << 96n, length: 128, address: '2001:db8::', cidr: undefined });
    expect(outcome('2001:DB8::/32')).toEqual({ family: 6, network: 0x20010db8n << 96n, length: 32, address: '2001:db8::', cidr: undefined });
    expect(outcome('2001:db8::1/64')).toBe('refused');
  });

  it('takes the fast way for every IPv6 prefix written as formatPrefix writes it', () => {
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 }), (g, length) => {
        const value = g.reduce((v, x) => (v << 16n) | BigInt(x), 0n);
        const text = formatPrefix({ family: 6, network: value & ~((1n << BigInt(128 - length)) - 1n), length });
        expect(parseCidrV6(text), text).toMatchObject({ length, cidr: text });
        const bare = text.slice(0, text.indexOf('/'));
        expect(parseCidrV6(bare), bare).toMatchObject({ length: 128, text: bare, cidr: undefined });
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('parseCidrs', () => {
  it('parses a list in order, and names the element an error is about', () => {
    expect(parseCidrs(['192.0.2.0/24', '2001:db8::/32'], (i) => `a[${i}]`).map(formatPrefix)).toEqual(['192.0.2.0/24', '2001:db8::/32']);
    expect(() => parseCidrs(['192.0.2.0/24', '198.51.100.0/24', '203.0.113.7/24', 'x'], (i) => `a[${i}]`)).toThrow(/^a\[2\]: "203\.0\.113\.7\/24" has host bits set/);
  });
});

describe('collapse', () => {
  it('reports the five FlyNumber gateways as subsumed by the /21', () => {
    const gateways = ['46.19.209.14', '46.19.210.14', '46.19.212.14', '46.19.213.14', '46.19.214.14'].map(p);
    const result = collapse([p('46.19.208.0/21'), ...gateways]);
    expect(result.prefixes.map(formatPrefix)).toEqual(['46.19.208.0/21']);
    expect(result.subsumed.map((s) => formatPrefix(s.prefix))).toEqual(gateways.map(formatPrefix));
    expect(result.subsumed.every((s) => formatPrefix(s.by) === '46.19.208.0/21')).toBe(true);
  });

  it('merges neighbours into the larger prefix', () => {
    expect(collapse([p('10.0.0.0/25'), p('10.0.0.128/25')]).prefixes.map(formatPrefix)).toEqual(['10.0.0.0/24']);
    expect(collapse([p('10.0.0.1'), p('10.0.0.2')]).prefixes.map(formatPrefix)).toEqual(['10.0.0.1/32', '10.0.0.2/32']);
    expect(collapse([p('10.0.0.1'), p('10.0.0.2'), p('10.0.0.3'), p('10.0.0.0')]).prefixes.map(formatPrefix)).toEqual(['10.0.0.0/30']);
  });

  it('counts a duplicate as subsumed by its twin', () => {
    const r = collapse([p('2001:db8::/48'), p('2001:db8::/48')]);
    expect(r.prefixes.map(formatPrefix)).toEqual(['2001:db8::/48']);
    expect(r.subsumed).toHaveLength(1);
  });

  const v4prefix = fc.tuple(fc.integer({ min: 0, max: 2 ** 16 - 1 }), fc.integer({ min: 20, max: 32 })).map(([n, len]): Prefix => {
    const value = BigInt(0xc6336400 + n); // around 198.51.100.0, so prefixes overlap often
    const mask = ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - len)) - 1n);
    return { family: 4, network: value & mask, length: len };
  });

  const v6prefix = fc.tuple(fc.integer({ min: 0, max: 2 ** 16 - 1 }), fc.integer({ min: 100, max: 128 })).map(([n, len]): Prefix => {
    const value = (0x20010db8n << 96n) + BigInt(n);
    const mask = ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - len)) - 1n);
    return { family: 6, network: value & mask, length: len };
  });

  // The time it takes is the benchmark's (BENCHMARKS.md); a quadratic merge would not finish
  // within the test's own timeout.
  it('merges a long run of neighbours', () => {
    const hosts = Array.from({ length: 65536 }, (_, i): Prefix => ({ family: 4, network: 0xc6330000n + BigInt(i), length: 32 }));
    expect(collapse(hosts.reverse()).prefixes.map(formatPrefix)).toEqual(['198.51.0.0/16']);
  });

  it(`past ${RADIX_FROM} IPv4 prefixes (the radix sort): the same address ranges as a plain interval merge, every subsumed one inside its holder`, () => {
    let seed = 99;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    // Inside 10.0.0.0/12 so that prefixes nest, touch and repeat.
    const input = Array.from({ length: RADIX_FROM * 4 }, (): Prefix => {
      const length = 20 + (next() % 13);
      const start = 0x0a000000 + ((next() % 2 ** 20) & ~(2 ** (32 - length) - 1));
      return { family: 4, network: BigInt(start), length };
    });
    input.push(...input.slice(0, 500));
    const { prefixes, subsumed } = collapse(input);
    const merged = (list: readonly Prefix[]) => {
      const spans = list.map((q) => [Number(q.network), Number(lastAddress(q))] as [number, number]).sort((a, b) => a[0] - b[0]);
      const out: Array<[number, number]> = [];
      for (const [a, b] of spans) {
        const last = out[out.length - 1];
        if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
        else out.push([a, b]);
      }
      return out;
    };
    expect(merged(prefixes)).toEqual(merged(input));
    for (let i = 1; i < prefixes.length; i++) expect(prefixes[i]!.network).toBeGreaterThan(lastAddress(prefixes[i - 1]!));
    for (const x of subsumed) expect(x.prefix.network >= x.by.network && lastAddress(x.prefix) <= lastAddress(x.by)).toBe(true);
    expect(subsumed.length).toBeGreaterThanOrEqual(500);
  });

  it.each([
    ['IPv4', v4prefix, (n: number) => BigInt(0xc6336400 + n)],
    ['IPv6', v6prefix, (n: number) => (0x20010db8n << 96n) + BigInt(n)],
  ] as const)('%s: covers exactly the addresses of its inputs, with no overlaps and no mergeable neighbours', (_, arbitrary, address) => {
    fc.assert(
      fc.property(fc.array(arbitrary as fc.Arbitrary<Prefix>, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: -4096, max: 2 ** 16 + 4096 }), { maxLength: 50 }), (input, probes) => {
        const { prefixes } = collapse(input);
        const inside = (list: Prefix[], a: bigint) => list.some((q) => a >= q.network && a <= lastAddress(q));
        for (const probe of [...probes.map(address), ...input.flatMap((q) => [q.network, lastAddress(q), q.network - 1n, lastAddress(q) + 1n])]) {
          expect(inside(prefixes, probe)).toBe(inside(input, probe));
        }
        for (let i = 1; i < prefixes.length; i++) expect(prefixes[i]!.network).toBeGreaterThan(lastAddress(prefixes[i - 1]!));
        const again = collapse(prefixes);
        expect(again.prefixes).toEqual(prefixes);
        expect(again.subsumed).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
