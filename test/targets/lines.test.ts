import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachLine, Lines, PIECE_LINES } from '../../src/targets/lines.js';

/** What a Lines of these calls must hold, one line per entry. */
type Call = { line: string } | { before: string; items: string[]; after: string };

function linesOf(calls: readonly Call[]): { lines: Lines; expected: string[] } {
  const lines = new Lines();
  const expected: string[] = [];
  for (const c of calls) {
    if ('line' in c) {
      lines.push(c.line);
      expected.push(c.line);
    } else {
      lines.block(c.before, c.items, c.after);
      expected.push(...c.items.map((i) => c.before + i + c.after));
    }
  }
  return { lines, expected };
}

describe('Lines', () => {
  it('keeps the order of lines and blocks across chunk boundaries', () => {
    const calls: Call[] = [];
    for (let i = 0; i < 5000; i++) calls.push(i % 1500 === 7 ? { before: 'b ', items: [`${i}a`, `${i}b`], after: ' e' } : { line: `l${i}` });
    const { lines, expected } = linesOf(calls);
    expect(lines.text().split('\n')).toEqual(expected);
    expect([...lines.pieces()].join('').split('\n')).toEqual(expected);
  });

  it('adds no line for an empty block, and gives an empty text when nothing was added', () => {
    const lines = new Lines();
    expect(lines.text()).toBe('');
    expect([...lines.pieces()]).toEqual([]);
    lines.block('x', [], 'y');
    lines.push('one');
    lines.block('<', ['two', 'three'], '>');
    expect(lines.text()).toBe('one\n<two>\n<three>');
    expect([...lines.pieces()].join('')).toBe('one\n<two>\n<three>');
  });

  it('its pieces are its text, never cut inside a character, with at most PIECE_LINES lines of a block in one', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '\u{1F600}', ' '), maxLength: 6 });
    const call: fc.Arbitrary<Call> = fc.oneof(
      text.map((line) => ({ line })),
      fc.record({ before: text, items: fc.array(text, { maxLength: 3 * PIECE_LINES }), after: text }),
    );
    fc.assert(
      fc.property(fc.array(call, { maxLength: 8 }), fc.integer({ min: 0, max: 2500 }), (calls, extra) => {
        const { lines, expected } = linesOf([...calls, ...Array.from({ length: extra }, (_, i) => ({ line: `x${i}` }))]);
        const pieces = [...lines.pieces()];
        expect(pieces.join('')).toBe(lines.text());
        expect(lines.text()).toBe(expected.join('\n'));
        for (const p of pieces) {
          expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
          // A block's piece holds at most PIECE_LINES lines (a folded chunk of pushed lines: 1,024).
          expect(p.split('\n').length - 1).toBeLessThanOrEqual(1024);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a long block comes in pieces of PIECE_LINES lines, each joined once', () => {
    const lines = new Lines();
    lines.block('[', Array.from({ length: 2 * PIECE_LINES + 1 }, (_, i) => String(i)), ']');
    const joined = [...lines.pieces()].filter((p) => p.length > 2);
    expect(joined.map((p) => p.split(']\n[').length)).toEqual([PIECE_LINES, PIECE_LINES, 1]);
  });
});

describe('eachLine', () => {
  it('writes before + item + after, one per line, and nothing for no items', () => {
    expect(eachLine('<', ['a', 'b'], '>')).toBe('<a>\n<b>');
    expect(eachLine('<', [], '>')).toBe('');
  });
});
