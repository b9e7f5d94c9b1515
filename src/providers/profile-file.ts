/**
 * Parses the text of a user profile file (YAML or JSON, YAML being a superset). Pure: the CLI
 * reads the file and hands the text here. Imported lazily: yaml and zod cost start-up time.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError } from '../net/errors.js';
import { toProvider } from './parse.js';
import { rawProfileSchema } from './schema.js';
import type { Provider } from './types.js';

/** Every field name of a profile, for "did you mean". */
const FIELDS = ['id', 'name', 'source', 'retrieved', 'notes', 'roles', 'sip', 'media', 'addresses', 'gateways', 'transports', 'udp', 'tcp', 'tls', 'providerPorts', 'hostPorts'];

/** The field within two edits of `key` (case ignored), if there is one. */
function nearest(key: string, fields: readonly string[]): string | undefined {
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

export function parseProfileText(text: string, fileName: string): Provider {
  const where = `profile ${fileName}`;
  let data: unknown;
  try {
    data = parseYaml(text, { uniqueKeys: true, maxAliasCount: 10 });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new InputError(where, `is not valid YAML or JSON (${detail})`, 'fix the syntax; see docs/profiles.md');
  }
  const result = rawProfileSchema.safeParse(data);
  if (!result.success) {
    // An unknown key first: a typo (`adresses`) also makes the real field look missing.
    const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
    const path = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const near = nearest(key, FIELDS);
      throw new InputError(`${where}: ${path}`, `unknown field ${key}`, near ? `did you mean ${near}? (docs/profiles.md lists the fields)` : 'see docs/profiles.md for the fields');
    }
    throw new InputError(`${where}: ${path}`, issue.message, 'see docs/profiles.md for the fields');
  }
  return toProvider(result.data, where);
}
