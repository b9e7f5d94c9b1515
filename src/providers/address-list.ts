/**
 * Address list files: one CIDR or address per line, `#` starts a comment, blank lines are
 * skipped (docs/profiles.md). A profile names one for a role's addresses, so a feed of 100,000
 * prefixes is a plain file rather than YAML. Pure: the CLI reads the file.
 */
import { inputError } from '../errors/input.js';

export interface AddressList {
  /** The file as the profile names it, for messages. */
  readonly file: string;
  readonly entries: readonly string[];
  /** The line of each entry (1-based). */
  readonly lines: readonly number[];
}

/** The longest address or prefix written out (an IPv6 address with an IPv4 tail and /128). */
const LONGEST = 64;

/** `where` names the file in errors (`profile a.yaml: roles.sip.addresses: feed.txt`). */
export function parseAddressList(text: string, file: string, where: string): AddressList {
  const entries: string[] = [];
  const lines: number[] = [];
  let line = 0;
  // The next '#' at or after the line start, looked up again only once passed (linear).
  let hash = -1;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    line++;
    if (hash < at) {
      hash = text.indexOf('#', at);
      if (hash === -1) hash = Infinity;
    }
    const entry = text.slice(at, hash < end ? hash : end).trim();
    at = end + 1;
    if (entry === '') continue;
    if (entry.length > LONGEST) throw inputError('E_LIST_FILE_LINE', { where, line, length: entry.length });
    entries.push(entry);
    lines.push(line);
  }
  if (entries.length === 0) throw inputError('E_LIST_FILE_EMPTY', { where, file });
  return { file, entries, lines };
}
