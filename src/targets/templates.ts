/**
 * Runs the templates of templates/*.hbs: the built-in ones precompiled (scripts/gen-templates.mjs),
 * or a user's own in their place (`--templates DIR`). All with noEscape (HTML escaping is wrong
 * for every target: each view model quotes for its language) and strict (a field missing from a
 * view model is an error, not an empty string).
 */
import { coreError } from '../errors/catalogue.js';
import Handlebars from 'handlebars/runtime';
import { separator, type Lines } from './lines.js';
import { piecedFile } from './pieces.js';
import { TEMPLATE_SPECS } from './templates.gen.js';
import { type OutputFile } from './types.js';

type Compiled = (context: unknown, ...options: unknown[]) => string;
type Env = ReturnType<typeof Handlebars.create>;
type TemplateSpecification = Parameters<Env['template']>[0];

/** The options every template is compiled with (scripts/gen-templates.mjs uses the same). */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** The names of the built-in templates (the file names in templates/ without .hbs). */
export const TEMPLATE_NAMES: readonly string[] = Object.keys(TEMPLATE_SPECS);

/**
 * Every built-in template in `env`, registered as a partial too (templates include `header`);
 * `used`, when given, records each template run, as a file or as a partial. A built-in template
 * is made ready for Handlebars (env.template) when it first runs: all 34 at load were 2.5 ms of
 * every start, and a render runs two or three.
 */
function install(env: Env, own: ReadonlyMap<string, Compiled> = new Map(), used?: Set<string>): Map<string, Compiled> {
  env.registerHelper('eachLine', eachLineHelper);
  const compiled = new Map<string, Compiled>();
  for (const [name, spec] of Object.entries(TEMPLATE_SPECS)) {
    let ready = own.get(name);
    const template: Compiled = (...args) => (ready ??= env.template(spec as TemplateSpecification) as Compiled)(...args);
    const run: Compiled = used === undefined ? template : (view) => (used.add(name), template(view));
    compiled.set(name, run);
    env.registerPartial(name, run);
  }
  return compiled;
}

/** A mark in a template's text for what goes there later: NUL, which no view value holds, framed. */
const mark = (what: string) => `\u0000sipwall-${what}\u0000`;

/** What the block of an eachLine is run with once, in place of the items. */
const MARK = mark('item');

/**
 * `{{#eachLine list}}permit={{this}}\n{{/eachLine}}`: the block once per item of a list of
 * strings, as `#each` writes it, for long lists: the block is run once, with a marker for the
 * item, and the items are joined into the text around it (lines.ts eachLine). 100,000 items:
 * `#each` 45-54 ms (83-114 ms the first time), eachLine 11-13 ms (BENCHMARKS.md). A block that
 * does not hold its item exactly once (or an item that is not a string) is run item by item, as
 * `#each` would; a block that reads `@index`, `@first`, `@last` or `@key` is an error, since the
 * one run cannot know them.
 */
function eachLineHelper(this: unknown, items: unknown, options: Handlebars.HelperOptions): string {
  if (!Array.isArray(items)) throw new Error(`eachLine needs a list, not ${typeof items}`);
  if (items.length === 0) return options.inverse(this);
  const data = Handlebars.createFrame(options.data ?? {});
  for (const key of ['index', 'first', 'last', 'key']) {
    Object.defineProperty(data, key, { get: () => { throw new Error(`@${key} is not known in eachLine: use #each`); } });
  }
  const once = options.fn(MARK, { data });
  const at = once.indexOf(MARK);
  if (at < 0 || once.includes(MARK, at + 1) || !items.every((item) => typeof item === 'string')) {
    return items.map((item: unknown) => options.fn(item, { data })).join('');
  }
  const before = once.slice(0, at);
  const after = once.slice(at + MARK.length);
  return before + items.join(separator(after, before, '')) + after;
}

const builtin = install(Handlebars.create());

/** A user's templates in place of built-in ones of the same name; the rest stay built in. */
export interface TemplateSet {
  readonly compiled: ReadonlyMap<string, Compiled>;
  /** The names replaced, and those a render used: the CLI warns about an override no render used. */
  readonly replaced: ReadonlySet<string>;
  readonly used: Set<string>;
}

/**
 * The template set with `sources` (name → template text) in place of the built-in templates.
 * `env` is a full Handlebars environment (with the compiler), which only this path needs; the
 * caller loads it. A name that is not a built-in template, or a template that does not parse, is
 * a named error.
 */
export function templateSet(env: Env & { compile: (source: string, options: object) => Compiled; parse: (source: string) => unknown }, sources: ReadonlyMap<string, string>): TemplateSet {
  const own = new Map<string, Compiled>();
  for (const [name, source] of sources) {
    if (!TEMPLATE_NAMES.includes(name)) {
      throw coreError('E_TEMPLATE_UNKNOWN', { name, known: TEMPLATE_NAMES });
    }
    try {
      env.parse(source);
    } catch (error) {
      throw coreError('E_TEMPLATE_SYNTAX', { name, message: firstLine(error) });
    }
    own.set(name, env.compile(source, COMPILE_OPTIONS));
  }
  const used = new Set<string>();
  return { compiled: install(env, own, used), replaced: new Set(own.keys()), used };
}

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).split('\n').filter((l) => l.trim() !== '').join(' ').slice(0, 300);

/**
 * The one file of a cloud target's shell or Terraform form (gcp, azure): `<id>.sh` from
 * templates/<id>-shell.hbs, or `<id>.tf` from templates/<id>-terraform.hbs. `keep` lists the
 * rule names the shell form keeps when it deletes sipwall's rules of earlier runs.
 */
export function shellOrTerraform(id: string, form: string, view: { headerLines: string[]; rules: ReadonlyArray<{ name: string }> } & object, set?: TemplateSet): OutputFile {
  const full = { ...view, keep: view.rules.map((r) => r.name).sort().join(' ') };
  return form === 'terraform'
    ? { name: `${id}.tf`, content: renderTemplate(`${id}-terraform`, full, set), mode: 0o644 }
    : { name: `${id}.sh`, content: renderTemplate(`${id}-shell`, full, set), mode: 0o755 };
}

/** Renders template `name` (from `set` when given) and ends the text with exactly one newline. */
export function renderTemplate(name: string, view: object, set?: TemplateSet): string {
  const template = (set?.compiled ?? builtin).get(name);
  if (!template) throw new Error(`template ${name}.hbs is missing (run npm run build)`);
  let text: string;
  if (set === undefined) text = template(view);
  else {
    try {
      text = template(view);
    } catch (error) {
      // Only a user's template can fail here: a field it names that the view model lacks.
      throw coreError('E_TEMPLATE_RENDER', { replaced: [...set.replaced], template: name, message: firstLine(error) });
    }
  }
  // Handlebars drops the newline after a closing block at the end of a partial: end with one.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  // Already so: returned as it is, since a slice and a newline would be one more copy of 35 MB.
  return end === text.length - 1 ? text : `${text.slice(0, end)}\n`;
}

/** Marks where a Lines goes in a template's text (a NUL-framed number; see linesFile). */
// eslint-disable-next-line no-control-regex -- NUL frames the mark, as in eachLine's MARK
const SLOT = /\u0000sipwall-lines-(\d+)\u0000/;
const slotMark = (k: number) => mark(`lines-${k}`);

/**
 * File `name` from template `template`, whose view holds long runs of lines (Lines): `view` puts
 * each into the view through `put`. With the built-in templates, the template runs once with a
 * mark in place of each Lines, and the file is made in pieces: the text between the marks, and
 * each Lines' own pieces (pieces.ts). A user's templates get the whole texts (they may read a text,
 * its length say, and not only write it), as does a text whose marks slotsOf cannot place.
 */
export function linesFile(name: string, mode: number, template: string, view: (put: (lines: Lines) => string) => object, set?: TemplateSet): OutputFile {
  if (set === undefined) {
    const slots: Lines[] = [];
    const parts = slotsOf(renderTemplate(template, view((lines) => slotMark(slots.push(lines) - 1))), slots.length);
    if (parts !== undefined) {
      return piecedFile(name, mode, function* () {
        for (const part of parts) {
          if (typeof part === 'number') yield* slots[part]!.pieces();
          else if (part !== '') yield part;
        }
      });
    }
  }
  return { name, mode, content: renderTemplate(template, view((lines) => lines.text()), set) };
}

/**
 * A text with `count` slot marks cut into its texts and slot numbers, in order; undefined unless
 * each slot is marked exactly once (a view value could hold a mark too) and something but newlines
 * follows the last (renderTemplate's one newline at the end would otherwise depend on the slot).
 */
export function slotsOf(text: string, count: number): Array<string | number> | undefined {
  // split with a group: text, slot, text, slot, ..., text.
  const parts: Array<string | number> = text.split(SLOT).map((part, i) => (i % 2 === 1 ? Number(part) : part));
  const slots = parts.filter((part) => typeof part === 'number');
  const each = slots.length === count && new Set(slots).size === count && slots.every((k) => k < count);
  return each && /[^\n]/.test(parts.at(-1) as string) ? parts : undefined;
}
