/**
 * Parses the text of a user profile file (YAML or JSON, YAML being a superset). Pure: the CLI
 * reads the file and hands the text here. Imported lazily: yaml and zod cost start-up time.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError } from '../net/errors.js';
import { toProvider } from './parse.js';
import { rawProfileSchema } from './schema.js';
import type { Provider } from './types.js';

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
    const issue = result.error.issues[0]!;
    const path = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
    throw new InputError(`${where}: ${path}`, issue.message, 'see docs/profiles.md for the fields');
  }
  return toProvider(result.data, where);
}
