/**
 * profile-check.ts accepts a profile without zod; schema.ts words the refusals. The two must give
 * one verdict on every document, and an accepted document must be what the schema would have
 * given (the check hands the data on as it is). Documents are generated near the edge of every
 * rule: each field is valid, absent, or one of the values a rule turns on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeParse } from 'zod/v4/core';
import { BUILTIN_PROFILES } from '../../src/providers/builtin.js';
import { isRawProfile } from '../../src/providers/profile-check.js';
import { rawProfileSchema } from '../../src/providers/schema.js';
import { parseDocument } from '../../src/text/document.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Values a rule of the schema turns on, and values of every other JSON or YAML type. */
const EDGES: unknown[] = [
  '', 'a', 'A', 'my-trunk', 'a'.repeat(31), 'a'.repeat(32), '-a', '1a', 'My Trunk', 'x'.repeat(60), 'x'.repeat(61), 'Café (EU) & co.', '$(reboot)', 'a;b', '"q"',
  'https://example.com', 't'.repeat(500), 't'.repeat(501), 'a\nb', 'a\tb', '\u200b', '\u2028', '\ufffe', '\ud800', '\u{1f600}',
  '2026-01-02', '2026-1-2', '2026-01-02x', '0000-00-00', 'any', 'ANY', '5060', '10000-20000', '203.0.113.0/24',
  5060, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, false, null,
  [], ['203.0.113.0/24'], ['203.0.113.0/24', '2001:db8::/32'], [5], [null], [['x']],
  {}, { file: 'a.txt' }, { file: '' }, { file: 5 }, { file: 'a.txt', extra: 1 }, { fiel: 'a.txt' },
];
const edge = fc.constantFrom(...EDGES);
/** Mostly what the field wants, else any edge value. */
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: edge });
const port = fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.constantFrom('5060', 'x', '10000-20000'), fc.double());
const list = fc.oneof(fc.array(fc.constantFrom('203.0.113.0/24', '2001:db8::/32', 'x'), { maxLength: 3 }), fc.constant({ file: 'sip.txt' }));
/**
 * An object of these fields, the optional ones present or absent; now and then one field left out
 * or one added that it does not know.
 */
const object = (fields: Record<string, fc.Arbitrary<unknown>>, optional: string[] = []) => {
  const required = Object.keys(fields).filter((k) => !optional.includes(k));
  const rare = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
  return fc
    .tuple(fc.record(fields, { requiredKeys: required }), rare(fc.constantFrom(...Object.keys(fields))), rare(fc.constantFrom('extra', 'adresses', '__proto__', 'constructor')))
    .map(([record, drop, extra]) => {
      const kept = Object.fromEntries(Object.entries(record).filter(([k]) => k !== drop));
      // Through JSON.parse, as a profile is read: a "__proto__" key is then a field of its own.
      return extra === undefined ? kept : (JSON.parse(JSON.stringify(kept).replace(/^\{/, `{${JSON.stringify(extra)}:1${Object.keys(kept).length > 0 ? ',' : ''}`)) as object);
    });
};
const document = object(
  {
    id: field(fc.constantFrom('my-trunk', 'a', 'x-1')),
    name: field(fc.constantFrom('My Trunk', 'A', 'Trunk (EU)')),
    source: field(fc.constantFrom('https://example.com/', 's')),
    retrieved: field(fc.constantFrom('2026-01-02', '2025-12-31')),
    notes: field(fc.constantFrom('a note', '')),
    roles: field(
      object(
        {
          sip: field(object({ addresses: field(list), gateways: field(list), transports: field(object({ udp: field(port), tcp: field(port), tls: field(port) }, ['udp', 'tcp', 'tls'])) }, ['gateways'])),
          media: field(object({ addresses: field(fc.oneof(fc.constant('any'), list)), providerPorts: field(fc.oneof(fc.constant('any'), port)), hostPorts: field(port) }, ['providerPorts', 'hostPorts'])),
        },
        ['sip', 'media'],
      ),
    ),
  },
  ['notes'],
);

describe('the profile check', () => {
  it('gives the schema verdict on every generated document, and accepts only what the schema gives back unchanged', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(document, (data) => {
        const result = safeParse(rawProfileSchema, data);
        expect(isRawProfile(data), JSON.stringify(data)).toBe(result.success);
        if (result.success) expect(result.data).toEqual(data);
        seen[result.success ? 'accepted' : 'refused']++;
      }),
      { numRuns: 5000 },
    );
    // Both verdicts, often: a generator that only made one kind would prove nothing.
    expect(seen.accepted).toBeGreaterThan(500);
    expect(seen.refused).toBeGreaterThan(500);
  });

  it('gives the schema verdict on every edge value in every field', () => {
    const good = { id: 'my-trunk', name: 'My Trunk', source: 's', retrieved: '2026-01-02', notes: 'n', roles: { sip: { addresses: ['203.0.113.0/24'], gateways: [], transports: { udp: 5060 } }, media: { addresses: 'any', providerPorts: 'any', hostPorts: '10000-20000' } } };
    const paths = [['id'], ['name'], ['source'], ['retrieved'], ['notes'], ['roles'], ['roles', 'sip'], ['roles', 'media'], ['roles', 'sip', 'addresses'], ['roles', 'sip', 'gateways'], ['roles', 'sip', 'transports'], ['roles', 'sip', 'transports', 'udp'], ['roles', 'media', 'addresses'], ['roles', 'media', 'providerPorts'], ['roles', 'media', 'hostPorts']];
    expect(isRawProfile(good)).toBe(true);
    for (const path of paths) {
      for (const value of [...EDGES, undefined]) {
        const data = structuredClone(good) as Record<string, unknown>;
        const parent = path.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, data);
        if (value === undefined) delete parent[path.at(-1)!];
        else parent[path.at(-1)!] = value;
        expect(isRawProfile(data), `${path.join('.')} = ${JSON.stringify(value)}`).toBe(safeParse(rawProfileSchema, data).success);
      }
    }
  });

  it('refuses a __proto__ key, read from YAML or JSON, at any level, as the schema does', () => {
    const head = 'id: a\nname: A\nsource: s\nretrieved: 2026-01-01\n';
    for (const text of [
      `${head}roles:\n  media: { addresses: any }\n__proto__: { x: 1 }\n`,
      `${head}roles:\n  __proto__: { sip: 1 }\n  media: { addresses: any }\n`,
      '{"id":"a","name":"A","source":"s","retrieved":"2026-01-01","roles":{"media":{"addresses":"any","__proto__":{"x":1}}}}',
    ]) {
      const data = parseDocument(text, 'test', 'docs');
      expect(isRawProfile(data), text).toBe(false);
      expect(safeParse(rawProfileSchema, data).success, text).toBe(false);
    }
  });

  it('accepts the built-in profiles and the example profile', () => {
    for (const raw of BUILTIN_PROFILES) expect(isRawProfile(raw), raw.id).toBe(true);
    expect(isRawProfile(parseDocument(readFileSync(join(ROOT, 'examples/profiles/my-trunk.yaml'), 'utf8'), 'example', 'docs'))).toBe(true);
  });
});
