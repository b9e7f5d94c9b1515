/**
 * A reader of Asterisk configuration files by the rules of main/config.c
 * (config_text_file_load, process_text_line; asterisk/asterisk at 0071bcf): a line is read into
 * 8,192 bytes and a longer one skipped; `;` starts a comment unless escaped (`\;`), `;--` a block
 * comment that `--;` ends; `[name]` or `[name](options)` starts a category; `#include` and
 * `#tryinclude` name a file; any other line is `name = value` or `name => value`, trimmed, and
 * needs a category (the one current where the file is included). What it cannot read is a problem.
 */
export interface Category {
  readonly name: string;
  readonly vars: ReadonlyArray<readonly [string, string]>;
}

export interface ConfigFile {
  readonly categories: readonly Category[];
  /** Variables before any category: they land in the category current where the file is included. */
  readonly loose: ReadonlyArray<readonly [string, string]>;
  readonly includes: readonly string[];
  readonly problems: readonly string[];
}

const BUFFER = 8192;

export function readAsteriskConfig(text: string): ConfigFile {
  const categories: Array<{ name: string; vars: Array<[string, string]> }> = [];
  const loose: Array<[string, string]> = [];
  const includes: string[] = [];
  const problems: string[] = [];
  let block = 0;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (Buffer.byteLength(`${raw}\n`) >= BUFFER - 1) return void problems.push(`line ${line}: ${Buffer.byteLength(raw)} bytes, skipped by Asterisk as too long`);
    let rest = raw;
    let kept = '';
    while (rest.length > 0) {
      const at = rest.indexOf(';');
      if (at === -1) {
        if (block === 0) kept += rest;
        break;
      }
      if (at > 0 && rest[at - 1] === '\\') {
        if (block === 0) kept += `${rest.slice(0, at - 1)};`;
        rest = rest.slice(at + 1);
      } else if (rest.startsWith(';--', at) && rest[at + 3] !== '-') {
        if (block === 0) kept += rest.slice(0, at);
        block++;
        rest = rest.slice(at + 3);
      } else if (at >= 2 && rest.slice(at - 2, at) === '--' && block > 0) {
        block--;
        rest = rest.slice(at + 1);
      } else {
        if (block === 0) kept += rest.slice(0, at);
        break;
      }
    }
    const body = kept.trim();
    if (body === '') return;
    if (body.startsWith('[')) {
      const m = /^\[([^\]]+)\](\([^)]*\))?$/.exec(body);
      if (!m) return void problems.push(`line ${line}: "${body}" is no category`);
      categories.push({ name: m[1]!, vars: [] });
      return;
    }
    if (body.startsWith('#')) {
      const m = /^#(include|tryinclude)\s+"?([^"]+)"?$/.exec(body);
      if (!m) return void problems.push(`line ${line}: unknown directive "${body}"`);
      includes.push(m[2]!);
      return;
    }
    const eq = body.indexOf('=');
    if (eq <= 0) return void problems.push(`line ${line}: no "=" in "${body}"`);
    const name = body.slice(0, eq).trim();
    const value = body.slice(eq + 1).replace(/^>/, '').trim();
    (categories.at(-1)?.vars ?? loose).push([name, value]);
  });
  if (block > 0) problems.push('a ;-- block comment is never closed');
  return { categories, loose, includes, problems };
}

/**
 * Asterisk's ast_apply_ha (main/acl.c): start at allow; every rule whose network holds the
 * address sets the verdict, so the last matching rule decides; an IPv4 rule never matches an
 * IPv6 address (IPv4-mapped aside).
 */
export function applyAcl(rules: ReadonlyArray<readonly [string, string]>, address: { family: 4 | 6; value: bigint }, inside: (cidr: string, a: { family: 4 | 6; value: bigint }) => boolean): 'allow' | 'deny' {
  let verdict: 'allow' | 'deny' = 'allow';
  for (const [sense, cidr] of rules) {
    if ((sense === 'permit' || sense === 'deny') && inside(cidr, address)) verdict = sense === 'permit' ? 'allow' : 'deny';
  }
  return verdict;
}
