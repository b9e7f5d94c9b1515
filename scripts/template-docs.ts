// The generated part of docs/templates.md: for each target and form, the templates its render
// runs (found by rendering it, not by hand), and for each template the fields it reads (found by
// walking its Handlebars syntax tree). Used by npm run docs and by the test that keeps the file current.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { buildPolicy } from '../src/policy/build.js';
import { PBX_PRESETS } from '../src/providers/pbx.js';
import { findBuiltinProvider } from '../src/providers/registry.js';
import { TARGETS } from '../src/targets/registry.js';
import { templateSet } from '../src/targets/templates.js';
import type { RenderOptions } from '../src/targets/types.js';

const root = join(import.meta.dirname, '..');

type Node = { type: string; [key: string]: unknown };

/** The field paths a template reads (`rules`, `../where`, `this` left out), and the partials it includes. */
export function fieldsOf(source: string): { fields: string[]; partials: string[] } {
  const fields = new Set<string>();
  const partials = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'PathExpression') {
      const original = String(n.original).replace(/^(\.\.\/)+/, '');
      if (original !== 'this' && !['if', 'each', 'unless', 'with'].includes(original)) fields.add(original);
    }
    if (n.type === 'PartialStatement') {
      partials.add(String((n.name as Node).original));
      return;
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'loc') walk(value);
  };
  walk(Handlebars.parse(source));
  return { fields: [...fields].sort(), partials: [...partials].sort() };
}

/** Which templates each target's forms run: every form rendered once, the set recording what ran. */
export function templatesByForm(): Array<{ target: string; form: string; templates: string[] }> {
  const policy = buildPolicy({ providers: [findBuiltinProvider('flynumber'), findBuiltinProvider('vapi')], host: PBX_PRESETS.asterisk!, direction: 'in', families: [4, 6] });
  return TARGETS.flatMap((t) =>
    t.meta.forms.map((form) => {
      const set = templateSet(Handlebars.create(), new Map());
      const options: RenderOptions = { mode: 'standalone', form, ipset: false, header: { version: '0', command: 'x' }, templates: set, numbers: ['+13025551234'] };
      t.render(policy, options);
      return { target: t.meta.id, form, templates: [...set.used].sort() };
    }),
  );
}

export function templatesDocs(): string {
  const files = readdirSync(join(root, 'templates')).filter((f) => f.endsWith('.hbs')).sort();
  const byForm = templatesByForm();
  return [
    '### Templates each target and form runs',
    '',
    '| target | form | templates (partials included) |',
    '| --- | --- | --- |',
    ...byForm.map((r) => `| ${r.target} | ${r.form} | ${r.templates.length === 0 ? 'none: JSON, made by a serializer' : r.templates.map((n) => `${n}.hbs`).join(', ')} |`),
    '',
    '### Fields each template reads',
    '',
    '| template | fields | includes |',
    '| --- | --- | --- |',
    ...files.map((f) => {
      const { fields, partials } = fieldsOf(readFileSync(join(root, 'templates', f), 'utf8'));
      return `| ${f} | ${fields.map((x) => `\`${x}\``).join(', ') || '—'} | ${partials.map((p) => `${p}.hbs`).join(', ') || '—'} |`;
    }),
    '',
  ].join('\n');
}
