/** The repeated-key scan of the JSON fast path (src/text/document.ts) against what JSON means. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repeatedKey } from '../../src/text/document.js';

/** Every character of `key` written as a \\u escape: the same key to JSON, other bytes in the text. */
const escaped = (key: string) => `"${[...key].map((c) => [...c].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')).join('')}"`;

describe('repeatedKey', () => {
  it('finds nothing in any JSON.stringify output (keys, strings with quotes, backslashes, braces and colons)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        expect(repeatedKey(JSON.stringify(value, null, indent))).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a key given twice in one object, however it is spelled, wherever the object sits', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), fc.constantFrom('', ' ', '\t', '\n', '\r\n', ' \n\t'), (key, a, b, other, escape, space) => {
        const rest = Object.entries(other).filter(([k]) => k !== key);
        // Hand-written JSON may put any whitespace before the colon.
        const inner = [`${JSON.stringify(key)}${space}:${JSON.stringify(a)}`, ...rest.map(([k, v]) => `${JSON.stringify(k)}${space}:${JSON.stringify(v)}`), `${escape ? escaped(key) : JSON.stringify(key)}${space}:${JSON.stringify(b)}`];
        const text = `[1, {"x": [{}]}, {${inner.join(',\n')}}]`;
        expect(JSON.parse(text)).toBeDefined();
        expect(repeatedKey(text)?.key).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the line of the second key', () => {
    expect(repeatedKey('{\n "a": "x\\"y: {",\n "b": [1, "a"],\n "a": 2\n}')).toEqual({ key: 'a', line: 4 });
    // The same name in two objects is no repeat.
    expect(repeatedKey('[{"a": 1}, {"a": 2}]')).toBeUndefined();
  });
});
