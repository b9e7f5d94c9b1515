/**
 * A fast path for the one shape that makes a YAML profile big: a block sequence of thousands of
 * addresses, one per line (`      - 203.0.113.0/24`). js-yaml takes ~2 µs a line for them (0.4 s
 * for 200,000); a regular expression takes a tenth of that. A run of such lines is cut out and
 * replaced by one placeholder item, the rest of the document goes through js-yaml as before,
 * and the run is put back where its placeholder landed. Pure.
 *
 * What makes this the same document: an item is taken only when YAML's core schema reads it as
 * a string (a plain scalar holding `/`, `:` or two dots is neither a number nor a bool, and one
 * ending in `:` would be a key, so it is left to js-yaml); a run is lines of one indentation,
 * so they are siblings in one sequence. When a placeholder does not land as an item of its own (the run sat inside a block scalar or
 * a multi-line plain scalar) or the cut document fails to load, the whole text is loaded again
 * the slow way, which gives js-yaml's own answer. A property test holds the two ways equal.
 */

/**
 * `- item` at `lastIndex` (a line start), plain or quoted, then an optional comment, to the end
 * of the line (CRLF allowed). Sticky: the text is read in place, never split into lines.
 */
const ITEM = /( *)- (?:([0-9A-Fa-f:][0-9A-Fa-f.:/]*)|"([0-9A-Fa-f.:/]*)"|'([0-9A-Fa-f.:/]*)')(?:[ \t]+#[^\n]*)?\r?(?:\n|$)/y;

/** A plain scalar the core schema reads as this very string. */
function plainString(token: string): boolean {
  if (token.endsWith(':')) return false;
  return token.includes('/') || token.includes(':') || token.indexOf('.') !== token.lastIndexOf('.');
}

/** Shorter runs are not worth the cut. */
export const MIN_RUN = 64;

export function loadWithLists(text: string, load: (text: string) => unknown, minRun = MIN_RUN): unknown {
  // A lone CR is a line break to YAML and not here: leave such a file to js-yaml.
  if (text.length < minRun * 8 || /\r(?!\n)/.test(text)) return load(text);
  let nonce = 'sipwall-list';
  while (text.includes(nonce)) nonce += '-x';
  const runs: string[][] = [];
  const kept: string[] = [];
  let copied = 0;
  for (let at = 0; at < text.length; ) {
    ITEM.lastIndex = at;
    let m = ITEM.exec(text);
    const next = text.indexOf('\n', at);
    if (!m) {
      at = next === -1 ? text.length : next + 1;
      continue;
    }
    const indent = m[1]!.length;
    const items: string[] = [];
    let end = at;
    while (m && m[1]!.length === indent && (m[2] === undefined || plainString(m[2]))) {
      items.push(m[2] ?? m[3] ?? m[4]!);
      end = ITEM.lastIndex;
      m = ITEM.exec(text);
    }
    if (items.length >= minRun) {
      kept.push(text.slice(copied, at), `${' '.repeat(indent)}- ${nonce}-${runs.length}\n`);
      copied = end;
      runs.push(items);
    }
    at = end > at ? end : next === -1 ? text.length : next + 1;
  }
  if (runs.length === 0) return load(text);
  kept.push(text.slice(copied));
  let data: unknown;
  try {
    data = load(kept.join(''));
  } catch {
    // The original's own error message, with its own line numbers.
    return load(text);
  }
  return putBack(data, nonce, runs) ? data : load(text);
}

/** Replaces each placeholder item by its run, in place; false when one is not an item of its own. */
function putBack(data: unknown, nonce: string, runs: string[][]): boolean {
  const prefix = `${nonce}-`;
  const seen = new Set<object>();
  const placed = new Set<number>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (!Array.isArray(node)) {
      for (const value of Object.values(node)) visit(value);
      return;
    }
    if (!node.some((v) => typeof v === 'string' && v.startsWith(prefix))) {
      for (const value of node) visit(value);
      return;
    }
    const copy = node.splice(0, node.length);
    for (const value of copy) {
      const run = typeof value === 'string' && value.startsWith(prefix) ? runs[Number(value.slice(prefix.length))] : undefined;
      if (run === undefined) {
        node.push(value);
        visit(value);
      } else {
        placed.add(Number(value.slice(prefix.length)));
        // A loop, not push(...run): a spread of a million arguments overflows the stack.
        for (const item of run) node.push(item);
      }
    }
  };
  visit(data);
  return placed.size === runs.length;
}
