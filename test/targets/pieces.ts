/**
 * What a target needs besides its registry line, checked from its `meta` alone: the module file,
 * a template, a golden case for every form, a checker for every case, and its docs rows. Each
 * missing piece is named with the path or the place to add it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_BEGIN, DOCS_END } from '../../src/targets/describe.js';
import type { OutputFile, TargetMeta } from '../../src/targets/types.js';
import { planChecks } from '../../src/validate/checks.js';
import { CASES, type GoldenCase } from './cases.js';
import { SEMANTICS } from './semantics.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The form a case renders: its --form, else the target's first. */
export function formOf(c: GoldenCase, meta: TargetMeta): string {
  const i = c.args.indexOf('--form');
  return i === -1 ? meta.forms[0]! : c.args[i + 1]!;
}

function goldenFiles(dir: string): OutputFile[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((n) => n !== 'args' && !statSync(join(dir, n)).isDirectory())
    .map((name) => ({ name, content: readFileSync(join(dir, name), 'utf8'), mode: 0o644 }));
}

/** The module exports `meta` with the target's id (loaded by the caller). */
export async function moduleMeta(id: string, root = ROOT): Promise<TargetMeta | undefined> {
  const file = join(root, 'src', 'targets', `${id}.ts`);
  if (!existsSync(file)) return undefined;
  const module = (await import(file)) as { meta?: TargetMeta };
  return module.meta;
}

export interface Where {
  readonly cases: readonly GoldenCase[];
  /** The in-process checks of test/targets/semantics.ts (by target id). */
  readonly semantics: Readonly<Record<string, unknown>>;
  readonly root: string;
}

export async function missingPieces(meta: TargetMeta, { cases, semantics, root }: Where = { cases: CASES, semantics: SEMANTICS, root: ROOT }): Promise<string[]> {
  const missing: string[] = [];
  const { id } = meta;
  if ((await moduleMeta(id, root))?.id !== id) missing.push(`src/targets/${id}.ts exporting meta with id "${id}"`);
  const templates = readdirSync(join(root, 'templates')).filter((n) => n.endsWith('.hbs') && (n === `${id}.hbs` || n.startsWith(`${id}-`)));
  if (templates.length === 0) missing.push(`templates/${id}.hbs (or templates/${id}-<form>.hbs)`);
  // Error cases have no golden folder: they cover no form.
  const own = cases.filter((c) => c.target === id && c.error === undefined);
  for (const form of meta.forms) {
    if (!own.some((c) => formOf(c, meta) === form)) missing.push(`a golden case for --form ${form} in test/targets/cases.ts`);
  }
  for (const c of own) {
    const dir = join(root, 'test', 'golden', id, c.name);
    if (!existsSync(dir)) {
      missing.push(`test/golden/${id}/${c.name}/ (npm run test:update)`);
      continue;
    }
    const checked = planChecks(id, goldenFiles(dir)).steps.length > 0 || semantics[id] !== undefined;
    if (!checked) missing.push(`a checker for ${id}/${c.name}: a planner in src/validate/checks.ts or a SEMANTICS entry in test/targets/semantics.ts`);
  }
  const docs = readFileSync(join(root, 'docs', 'targets.md'), 'utf8');
  const generated = docs.slice(docs.indexOf(DOCS_BEGIN), docs.indexOf(DOCS_END));
  if (!generated.includes(`\n| ${id} |`)) missing.push(`docs/targets.md rows for ${id} (npm run docs)`);
  return missing;
}
