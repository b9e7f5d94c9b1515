import { describe, expect, it } from 'vitest';
import { eachLine, Lines } from '../../src/targets/lines.js';

describe('Lines', () => {
  it('keeps the order of lines and blocks across chunk boundaries', () => {
    const expected: string[] = [];
    const lines = new Lines();
    for (let i = 0; i < 5000; i++) {
      if (i % 1500 === 7) {
        const block = eachLine('b ', [`${i}a`, `${i}b`], ' e');
        lines.block(block);
        expected.push(`b ${i}a e`, `b ${i}b e`);
      } else {
        lines.push(`l${i}`);
        expected.push(`l${i}`);
      }
    }
    expect(lines.text().split('\n')).toEqual(expected);
  });

  it('adds no line for an empty block, and gives an empty text when nothing was added', () => {
    const lines = new Lines();
    expect(lines.text()).toBe('');
    lines.block(eachLine('x', [], 'y'));
    lines.push('one');
    lines.block('');
    lines.block('two\nthree');
    expect(lines.text()).toBe('one\ntwo\nthree');
  });
});
