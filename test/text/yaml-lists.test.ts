/**
 * The YAML list fast path against js-yaml itself: for any document, the same data or the same
 * failure. Generated documents mix the items the fast path takes with the ones it must leave to
 * js-yaml (numbers, keys ending in ':', anchors, nested sequences) in the contexts that change
 * what a `- item` line means (block scalars, multi-line plain scalars, CRLF).
 */
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadWithLists, MIN_RUN } from '../../src/text/yaml-lists.js';

const yaml = (text: string) => load(text, { maxAliases: 10 });

/** The outcome of loading: the data, or the failure's message. */
function outcome(f: () => unknown): unknown {
  try {
    return { data: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const items = fc.constantFrom(
  '203.0.113.0/24', '198.51.100.7', '2001:db8::/32', '::1', '::/0', 'fe80::', '2001:db8:1::',
  '"2001:db8::/48"', "'192.0.2.0/24'", '""', '10', '1.5', '1e5', '0x1F', '1.2', '1.2.3', '12:30',
  'a:b', '&x 192.0.2.1', '*x', '[192.0.2.1]', '- 192.0.2.2', '192.0.2.0/24 # a comment', '192.0.2.0/24#no-comment', '"unterminated',
);

const block = fc.record({
  key: fc.constantFrom('addresses', 'gateways', 'x'),
  indent: fc.integer({ min: 0, max: 4 }),
  list: fc.array(items, { minLength: 0, maxLength: 12 }),
  context: fc.constantFrom('plain', 'plain', 'literal', 'folded', 'continued', 'nested'),
});

function document(blocks: Array<{ key: string; indent: number; list: string[]; context: string }>): string {
  return blocks
    .map((b, i) => {
      const pad = ' '.repeat(b.indent);
      const lines = b.list.map((item) => `${pad}  - ${item}`);
      const key = `${b.key}${i}`;
      if (b.context === 'literal') return [`${key}: |`, ...lines].join('\n');
      if (b.context === 'folded') return [`${key}: >`, ...lines].join('\n');
      if (b.context === 'continued') return [`${key}: text that goes on`, ...lines].join('\n');
      if (b.context === 'nested') return [`${key}:`, `${pad}  -`, ...lines.map((l) => `  ${l}`)].join('\n');
      return [`${key}:`, ...lines].join('\n');
    })
    .join('\n');
}

describe('loadWithLists', () => {
  it('gives what js-yaml gives, for any document (runs of 2 or more items cut)', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), fc.boolean(), (blocks, crlf) => {
        let text = `${document(blocks)}\n`;
        if (crlf) text = text.replace(/\n/g, '\r\n');
        expect(outcome(() => loadWithLists(text, yaml, 2))).toEqual(outcome(() => yaml(text)));
      }),
      { numRuns: 3000 },
    );
  });

  it('cuts long runs out, and they come back whole and in order', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const text = `id: x\nroles:\n  sip:\n    addresses:\n${list.map((a) => `      - ${a}`).join('\n')}\n    transports: { udp: 5060 }\n`;
    let loaded = '';
    const data = loadWithLists(text, (t) => {
      loaded = t;
      return yaml(t);
    }) as { roles: { sip: { addresses: string[] } } };
    expect(data.roles.sip.addresses).toEqual(list);
    // js-yaml saw the document without the run.
    expect(loaded.length).toBeLessThan(200);
  });

  it('takes every kind of item it may take, in runs of exactly MIN_RUN, with CRLF and comments', () => {
    const kinds = ['203.0.113.0/24', '192.0.2.1.5', '2001:db8::1', '::/0', '"2001:db8::"', "'fe80::'", '198.51.100.7/32   # a comment', '""'];
    const run = (item: string, i: number) => Array.from({ length: MIN_RUN }, () => `      - ${item}`).join('\n').replace(/^/, `  k${i}:\n`);
    for (const crlf of [false, true]) {
      let text = `top:\n${kinds.map(run).join('\n')}\n`;
      if (crlf) text = text.replace(/\n/g, '\r\n');
      let loaded = '';
      const data = loadWithLists(text, (t) => {
        loaded = t;
        return yaml(t);
      }, MIN_RUN);
      expect(data).toEqual(yaml(text));
      // Each run became one placeholder line: what js-yaml read is a few lines a kind.
      expect(loaded.split('\n').length).toBeLessThanOrEqual(2 * kinds.length + 3);
    }
  });

  it('leaves a run one short of MIN_RUN to js-yaml, and a document with a lone CR', () => {
    const short = `k:\n${Array.from({ length: MIN_RUN - 1 }, () => '  - 203.0.113.0/24').join('\n')}\n`;
    let loaded = '';
    loadWithLists(short, (t) => ((loaded = t), yaml(t)), MIN_RUN);
    expect(loaded).toBe(short);
    const lone = `k:\r${Array.from({ length: MIN_RUN }, () => '  - 203.0.113.0/24').join('\n')}\n`;
    loadWithLists(lone, (t) => ((loaded = t), yaml(t)), MIN_RUN);
    expect(loaded).toBe(lone);
  });

  it("a document whose rest is broken gets js-yaml's own error, with the line of the original", () => {
    const list = Array.from({ length: 100 }, (_, i) => `      - 10.0.${i}.0/24`);
    const text = `id: x\nroles:\n  sip:\n    addresses:\n${list.join('\n')}\n    transports: [\n`;
    expect(() => loadWithLists(text, yaml)).toThrow(/\(106:1\)/);
  });
});
