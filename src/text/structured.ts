/**
 * A YAML (or JSON) document read against a zod schema, for the files users write (profiles, the
 * watch config): one InputError naming the file, the field and the fix, an unknown key first (a
 * typo, `adresses`, also makes the real field look missing) with the field it probably meant.
 * Imported lazily: yaml and zod cost start-up time.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../net/errors.js';

/** The field within two edits of `key` (case ignored), if there is one. */
export function nearest(key: string, fields: readonly string[]): string | undefined {
  let best: { field: string; d: number } | undefined;
  for (const field of fields) {
    const d = distance(key.toLowerCase(), field.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { field, d };
  }
  return best?.field;
}

/** Levenshtein distance (short keys: the plain table is enough). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * Parses `text` and checks it against `schema`. `where` names the file in errors (`profile
 * x.yaml`); `docs` is where the fields are described; `fields` are the names a typo is matched to.
 */
export function readStructured<S extends z.ZodType>(text: string, where: string, schema: S, docs: string, fields: readonly string[]): z.infer<S> {
  let data: unknown;
  try {
    data = parseYaml(text, { uniqueKeys: true, maxAliasCount: 10 });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new InputError(where, `is not valid YAML or JSON (${detail})`, `fix the syntax; see ${docs}`);
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  const path = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const near = nearest(key, fields);
    throw new InputError(`${where}: ${path}`, `unknown field ${key}`, near ? `did you mean ${near}? (${docs} lists the fields)` : `see ${docs} for the fields`);
  }
  throw new InputError(`${where}: ${path}`, issue.message, `see ${docs} for the fields`);
}
