/**
 * The data of a YAML or JSON document a user wrote (profiles, the watch config), read without
 * zod: a profile that passes its check never loads it (src/providers/profile-check.ts).
 *
 * Speed (issue 15, figures in BENCHMARKS.md): a document that is JSON goes through JSON.parse
 * (~50 ms for a 100,000-prefix profile, against 3.3 s in the `yaml` package), with a scan for
 * repeated keys that JSON.parse would silently let the last one win; anything else through
 * js-yaml (YAML 1.2 core schema, so `2026-11-01` stays a string and `<<` is no merge), whose long
 * address lists take a fast path (yaml-lists.ts: 200,000 lines in 0.15 s instead of 0.4 s).
 */
import { load as loadYaml } from 'js-yaml';
import { inputError } from '../errors/input.js';
import { loadWithLists } from './yaml-lists.js';

/** The data of a YAML or JSON document; `where` names the file in errors, `docs` where its fields are described. */
export function parseDocument(text: string, where: string, docs: string): unknown {
  if (/^\s*[{[]/.test(text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON after all: YAML flow style (`{id: x}`) is read below, and says where it breaks.
    }
    if (data !== undefined) {
      const key = repeatedKey(text);
      if (key !== undefined) throw inputError('E_DOCUMENT_KEY_REPEATED', { where, key: key.key, line: key.line, docs });
      return data;
    }
  }
  try {
    // At most 10 aliases: a document of a few lines cannot then stand for millions of nodes.
    return loadWithLists(text, (t) => loadYaml(t, { maxAliases: 10 }));
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw inputError('E_DOCUMENT_SYNTAX', { where, detail: detail ?? '', docs });
  }
}

/**
 * The first key that an object of a valid JSON text repeats, with its line. Keys compare by
 * their value (`"a"` and `"\u0061"` are the same key), as YAML's unique-key rule does. Strings
 * are crossed with indexOf, not a character at a time (100,000 prefixes: 54 to 36 ms, first run).
 */
export function repeatedKey(json: string): { key: string; line: number } | undefined {
  const stack: Array<Set<string> | undefined> = [];
  let line = 1;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x0a) line++;
    else if (c === 0x7b /* { */) stack.push(new Set());
    else if (c === 0x5b /* [ */) stack.push(undefined);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x22 /* " */) {
      // To the closing quote in one jump (a JSON string holds no raw newline): a quote with an
      // odd run of backslashes before it is escaped.
      const start = i;
      let end = json.indexOf('"', i + 1);
      for (;;) {
        // Only valid JSON comes here (JSON.parse read it first); an unclosed string ends the scan.
        if (end === -1) return undefined;
        let backslashes = 0;
        while (json.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        end = json.indexOf('"', end + 1);
      }
      i = end;
      const keys = stack[stack.length - 1];
      if (keys === undefined) continue;
      let j = i + 1;
      while (json.charCodeAt(j) === 0x20 || json.charCodeAt(j) === 0x09 || json.charCodeAt(j) === 0x0a || json.charCodeAt(j) === 0x0d) j++;
      if (json.charCodeAt(j) !== 0x3a /* : */) continue;
      const raw = json.slice(start + 1, end);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (keys.has(key)) return { key, line };
      keys.add(key);
    }
  }
  return undefined;
}
