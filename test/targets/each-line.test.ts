/**
 * The `{{#eachLine}}` helper writes what `{{#each}}` writes, by one run of its block and a join:
 * checked against #each on random lists and blocks, and on the blocks it cannot join.
 */
import Handlebars from 'handlebars';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTemplate, templateSet } from '../../src/targets/templates.js';
import { InputError } from '../../src/net/errors.js';

/** Renders `source` as a user's own template (in place of asterisk-acl) with `view`. */
function run(source: string, view: object): string {
  return renderTemplate('asterisk-acl', view, templateSet(Handlebars.create(), new Map([['asterisk-acl', source]])));
}

const text = fc.string({ unit: fc.constantFrom('a', ' ', '\n', '=', '"', '/', '{', 'é', '😀'), maxLength: 6 }).filter((s) => !s.includes('{'));

describe('eachLine', () => {
  it('writes what #each writes, for any list of strings and any text around the item', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 30 }), text, text, (items, before, after) => {
        const block = (helper: string) => `[{{#${helper} items}}${before}{{this}}${after}{{else}}none{{/${helper}}}]`;
        expect(run(block('eachLine'), { items })).toBe(run(block('each'), { items }));
      }),
      { numRuns: 300 },
    );
  });

  it('runs item by item a block that holds its item twice or not at all, or items that are not strings', () => {
    const items = ['192.0.2.0/24', '2001:db8::/32'];
    expect(run('{{#eachLine items}}permit={{this}} ; {{this}}\n{{/eachLine}}', { items })).toBe('permit=192.0.2.0/24 ; 192.0.2.0/24\npermit=2001:db8::/32 ; 2001:db8::/32\n');
    expect(run('{{#eachLine items}}x\n{{/eachLine}}', { items })).toBe('x\nx\n');
    expect(run('{{#eachLine items}}n={{this}}\n{{/eachLine}}', { items: [1, 2] })).toBe('n=1\nn=2\n');
  });

  it('refuses @index, @first, @last and @key, and a value that is not a list', () => {
    for (const data of ['@index', '@first', '@last', '@key']) {
      expect(() => run(`{{#eachLine items}}{{${data}}} {{this}}\n{{/eachLine}}`, { items: ['a'] })).toThrow(InputError);
      expect(() => run(`{{#eachLine items}}{{${data}}} {{this}}\n{{/eachLine}}`, { items: ['a'] })).toThrow(`${data} is not known in eachLine`);
    }
    expect(() => run('{{#eachLine items}}{{this}}{{/eachLine}}', { items: 'a' })).toThrow('eachLine needs a list');
  });
});
