/**
 * Quoting per target language. Every string that reaches an output goes through one of these in
 * the target's view model; templates never see raw user text. Inputs are already free of control
 * characters (the profile schema refuses them); these functions remove them again regardless.
 */

/** Controls, format characters, line separators, lone surrogates and noncharacters (not XML 1.0 text). */
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Noncharacter_Code_Point}\u2028\u2029]/gu;

/** Text for a `#` line comment (nft, iptables-restore, shell): one line, nothing can end it. */
export function lineComment(text: string): string {
  return text.replace(CONTROL, ' ');
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = text;
  while (Buffer.byteLength(out) > maxBytes - 3) out = out.slice(0, -1);
  return `${out}...`;
}

/**
 * An nft quoted string. nft's scanner has no escape inside `"…"` (a `"` always ends the string),
 * so double quotes become single quotes; comments are limited to 128 bytes (NFT_USERDATA_MAXLEN
 * for comments in nftables 1.0.x: "comment too long").
 */
export function nftString(text: string): string {
  return `"${truncateUtf8(lineComment(text).replaceAll('"', "'"), 128)}"`;
}

/**
 * An iptables-restore token for `--comment`. iptables-restore splits on blanks and honours
 * double quotes with `\"` escapes; the comment match takes at most 255 bytes
 * (XT_MAX_COMMENT_LEN 256 with the terminator). Quotes and backslashes are replaced instead of
 * escaped, so the text reads the same in `iptables -S`.
 */
export function iptablesComment(text: string): string {
  return `"${truncateUtf8(lineComment(text).replaceAll('"', "'").replaceAll('\\', '/'), 255)}"`;
}

/** The targets quote shell words as the CLI does (src/text/shell-word.ts). */
export { shellWord } from '../text/shell-word.js';

/** Text content or attribute value in XML (pfSense, OPNsense, firewalld): the five entities. */
export function xmlText(text: string): string {
  return lineComment(text).replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]!};`);
}

/**
 * An HCL (Terraform) quoted string: `\` and `"` escaped, and the template sequences `${` and
 * `%{` doubled (`$${`, `%%{`), so no text can start an interpolation.
 */
export function hclString(text: string): string {
  return `"${lineComment(text).replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('${', () => '$${').replaceAll('%{', '%%{')}"`;
}

/**
 * A PowerShell string in ASCII only. Windows PowerShell 5.1 reads a script without a BOM as the
 * ANSI code page (cp1252), where the UTF-8 bytes of `Ò` (C3 92) read as `Ã’`, and `’` ends a
 * single-quoted string: text outside ASCII could end the string and run as code. So a verbatim
 * '…' string holds the ASCII part (' doubled, which stands for itself), and every other
 * character joins it as `[char]0xHHHH`: `('na' + [char]0x00EF + 've')`. Read the same in any code
 * page; PowerShell parses a parenthesised expression as one argument.
 */
export function psString(text: string): string {
  const clean = lineComment(text);
  const literal = (part: string) => `'${part.replaceAll("'", "''")}'`;
  if (/^[\x20-\x7e]*$/.test(clean)) return literal(clean);
  const parts: string[] = [];
  let ascii = '';
  for (let i = 0; i < clean.length; i++) {
    const unit = clean.charCodeAt(i);
    if (unit >= 0x20 && unit <= 0x7e) {
      ascii += clean[i];
      continue;
    }
    // The first operand is a string, so + joins strings (a [char] first would add numbers).
    if (ascii !== '' || parts.length === 0) parts.push(literal(ascii));
    ascii = '';
    parts.push(`[char]0x${unit.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  if (ascii !== '') parts.push(literal(ascii));
  return `(${parts.join(' + ')})`;
}

/** A `#` comment line in ASCII only (see psString): other characters written as U+HHHH. */
export function psComment(text: string): string {
  return lineComment(text).replace(/[^\x20-\x7e]/gu, (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * A RouterOS quoted string: `"`, `\`, `$` (variable substitution) and `?` (help in the console)
 * escaped; anything outside printable ASCII written as `\XX` bytes.
 */
export function routerosString(text: string): string {
  let out = '';
  for (const byte of Buffer.from(lineComment(text), 'utf8')) {
    const c = String.fromCharCode(byte);
    if ('"\\$?'.includes(c)) out += `\\${c}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += c;
  }
  return `"${out}"`;
}

/**
 * An AWS rule description: at most 255 characters of a-z A-Z 0-9 space ._-:/()#,@[]+=&;{}!$*
 * (botocore's EC2 model, IpRange.Description); anything else becomes `_`.
 */
export function awsDescription(text: string): string {
  return lineComment(text)
    .replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '_')
    .slice(0, 255);
}

/** A line inside an XML comment: `--` may not appear there, and a comment may not end in `-`. */
export function xmlComment(text: string): string {
  return lineComment(text).replace(/-(?=-)/g, '- ').replace(/-$/, '- ');
}
