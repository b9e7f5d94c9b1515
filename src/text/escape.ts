/**
 * Text that reaches a terminal: every value sipwall echoes (a flag, a profile field, a path, a
 * SIP header from the network) may hold ESC sequences (colours, cursor moves, OSC 52 clipboard
 * writes), a carriage return that overwrites the line, a newline that fakes a line of ours, or a
 * bidi override. Each such character is shown as an escape instead. Pure.
 */

/** C0 and C1 controls, DEL, format characters (bidi overrides, zero-width), line and paragraph separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

function visible(c: string): string {
  const code = c.codePointAt(0)!;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of text for a terminal: every control or format character escaped, newlines too. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Lines for a terminal: each line escaped as by terminalText; the newlines between them kept. */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}
