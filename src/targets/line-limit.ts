/**
 * The one check every rendered file passes before anything is written: no line longer than the
 * consuming tool reads as one line. `ipset restore` reads 1,023-byte pieces and runs the rest of
 * a longer line as a command of its own; `iptables-restore` does the same at 10,239 bytes. Pure.
 */
import { coreError } from '../errors/catalogue.js';
import { type RenderResult, type TargetMeta } from './types.js';

/** The first line of `text` longer than `max` UTF-8 bytes: its number (1-based) and size. */
export function longLine(text: string, max: number): { line: number; bytes: number } | undefined {
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    // A UTF-16 unit is at most 3 UTF-8 bytes: only lines that might be too long are measured.
    if ((end - start) * 3 > max) {
      const bytes = Buffer.byteLength(text.slice(start, end));
      if (bytes > max) return { line, bytes };
    }
    start = end + 1;
    line++;
  }
  return undefined;
}

export function checkLines(meta: TargetMeta, result: RenderResult): RenderResult {
  const max = meta.limits.lineBytes;
  if (max === undefined) return result;
  for (const file of result.files) {
    const long = longLine(file.content, max);
    if (long) {
      throw coreError('E_LINE_TOO_LONG', { target: meta.id, file: file.name, line: long.line, bytes: long.bytes, max, reader: meta.limits.lineSource });
    }
  }
  return result;
}
