/**
 * `--templates DIR`: the user's own templates in place of built-in ones. Every `NAME.hbs` in the
 * folder replaces templates/NAME.hbs (the names are those of the templates folder shipped with
 * sipwall); other files are left alone. The full Handlebars compiler is loaded only here.
 */
import { warning } from '../errors/warnings.js';
import { join } from 'node:path';
import { cliError } from '../errors/cli.js';
import { shellWord } from '../text/shell-word.js';
import { templateSet, type TemplateSet } from '../targets/templates.js';
import { readInput, type Context } from './context.js';

/** A template larger than this is a mistake (the largest built-in one is under 4 KiB). */
const TEMPLATE_BYTES = 1024 * 1024;

export async function loadTemplates(ctx: Context, dir: string): Promise<TemplateSet> {
  let names: string[];
  try {
    names = ctx.io.listFolder(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const problem = code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`;
    throw cliError('E_TEMPLATES_FOLDER', { dir: shellWord(dir), problem });
  }
  const own = names.filter((n) => n.endsWith('.hbs')).sort();
  if (own.length === 0) throw cliError('E_TEMPLATES_NONE', { dir: shellWord(dir) });
  const sources = new Map(own.map((n) => [n.slice(0, -4), readInput(ctx, '--templates', join(dir, n), 'give a regular file', TEMPLATE_BYTES)] as const));
  const { default: Handlebars } = await import('handlebars');
  return templateSet(Handlebars.create(), sources);
}

/** One warning per replaced template that no render of this run used. */
export function unusedTemplates(set: TemplateSet | undefined): string[] {
  if (set === undefined) return [];
  return [...set.replaced].filter((n) => !set.used.has(n)).map((name) => warning('W_TEMPLATE_UNUSED', { name }));
}
