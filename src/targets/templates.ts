/**
 * Runs the precompiled templates of templates/*.hbs (compiled by scripts/gen-templates.mjs with
 * noEscape: HTML escaping is wrong for every target, each view model quotes for its language;
 * and strict: a field missing from a view model is an error, not an empty string).
 */
import Handlebars from 'handlebars/runtime';
import { TEMPLATE_SPECS } from './templates.gen.js';
import type { OutputFile } from './types.js';

type Compiled = (context: unknown) => string;

const env = Handlebars.create();
const compiled = new Map<string, Compiled>();
for (const [name, spec] of Object.entries(TEMPLATE_SPECS)) {
  const template = env.template(spec as TemplateSpecification) as Compiled;
  compiled.set(name, template);
  env.registerPartial(name, template);
}

type TemplateSpecification = Parameters<typeof env.template>[0];

/**
 * The one file of a cloud target's shell or Terraform form (gcp, azure): `<id>.sh` from
 * templates/<id>-shell.hbs, or `<id>.tf` from templates/<id>-terraform.hbs. `keep` lists the
 * rule names the shell form keeps when it deletes sipwall's rules of earlier runs.
 */
export function shellOrTerraform(id: string, form: string, view: { headerLines: string[]; rules: ReadonlyArray<{ name: string }> }): OutputFile {
  const full = { ...view, keep: view.rules.map((r) => r.name).sort().join(' ') };
  return form === 'terraform'
    ? { name: `${id}.tf`, content: renderTemplate(`${id}-terraform`, full), mode: 0o644 }
    : { name: `${id}.sh`, content: renderTemplate(`${id}-shell`, full), mode: 0o755 };
}

export function renderTemplate(name: string, view: object): string {
  const template = compiled.get(name);
  if (!template) throw new Error(`template ${name}.hbs is missing (run npm run build)`);
  // Handlebars drops the newline after a closing block at the end of a partial: end with one.
  const text = template(view);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return `${text.slice(0, end)}\n`;
}
