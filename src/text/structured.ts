/**
 * A YAML (or JSON) document (document.ts) read against a zod schema, for the files users write
 * (profiles, the watch config): one InputError naming the file, the field and the fix, an
 * unknown key first (a typo, `adresses`, also makes the real field look missing) with the field
 * it probably meant.
 */
import { safeParse, type $ZodIssue, type $ZodType, type output } from 'zod/v4/core';
import { inputError } from '../errors/input.js';
import { parseDocument } from './document.js';

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
export function readStructured<S extends $ZodType>(text: string, where: string, schema: S, docs: string, fields: readonly string[]): output<S> {
  return checkDocument(parseDocument(text, where, docs), where, schema, docs, fields);
}

/** The data of a document (parseDocument) checked against `schema`; the rest as in readStructured. */
export function checkDocument<S extends $ZodType>(data: unknown, where: string, schema: S, docs: string, fields: readonly string[]): output<S> {
  const result = safeParse(schema, data);
  if (result.success) return result.data;
  // A typo inside one branch of a union (`{ fiel: x }` for `{ file: x }`) is the issue to name.
  const nested = (i: $ZodIssue): $ZodIssue[] => (i.code === 'invalid_union' ? i.errors.flat().map((e) => ({ ...e, path: [...i.path, ...e.path] })).flatMap(nested) : [i]);
  const issue = result.error.issues.flatMap(nested).find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  const path = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const near = nearest(key, fields);
    throw inputError('E_DOCUMENT_UNKNOWN_FIELD', { where, path, key, near, docs });
  }
  throw inputError('E_DOCUMENT_FIELD', { where, path, problem: issue.message, docs });
}

