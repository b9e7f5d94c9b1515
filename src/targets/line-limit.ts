/**
 * The one check every rendered file passes before anything is written: no line longer than the
 * consuming tool reads as one line. `ipset restore` reads 1,023-byte pieces and runs the rest of
 * a longer line as a command of its own; `iptables-restore` does the same at 10,239 bytes. Pure.
 */
import { coreError } from '../errors/catalogue.js';
import { piecedFile } from './pieces.js';
import { type OutputFile, type RenderResult, type TargetMeta } from './types.js';

interface LongLine {
  /** 1-based. */
  readonly line: number;
  readonly bytes: number;
}

/** Measures the lines of a text read in pieces (a line may run across pieces). */
export class LineMeter {
  private line = 1;
  /** UTF-8 bytes of the current line in earlier pieces. */
  private carried = 0;
  private over = false;

  constructor(private readonly max: number) {}

  /** Reads the next piece: the first line over the limit, once it has ended. */
  read(piece: string): LongLine | undefined {
    for (let start = 0; ; ) {
      const newline = piece.indexOf('\n', start);
      const end = newline === -1 ? piece.length : newline;
      // A UTF-16 unit is at most 3 UTF-8 bytes: only lines that might be too long are measured.
      if (this.over || this.carried + (end - start) * 3 > this.max) {
        this.carried += Buffer.byteLength(piece.slice(start, end));
        this.over = this.carried > this.max;
      } else if (newline === -1) {
        this.carried += Buffer.byteLength(piece.slice(start));
      }
      if (newline === -1) return undefined;
      if (this.over) return { line: this.line, bytes: this.carried };
      this.line++;
      this.carried = 0;
      start = newline + 1;
    }
  }

  /** The end of the text: the last line, if it was over the limit. */
  end(): LongLine | undefined {
    return this.over ? { line: this.line, bytes: this.carried } : undefined;
  }
}

/** The first line of `text` longer than `max` UTF-8 bytes: its number (1-based) and size. */
export function longLine(text: string, max: number): LongLine | undefined {
  const meter = new LineMeter(max);
  return meter.read(text) ?? meter.end();
}

/**
 * Every file of `result` within the line limit of its target. A file made in pieces is checked as
 * its pieces are made (by the writer, or by reading its content), so that a 35 MB text is not made
 * twice: the refusal then comes while the files are staged, and nothing is written either.
 */
export function checkLines(meta: TargetMeta, result: RenderResult): RenderResult {
  const max = meta.limits.lineBytes;
  if (max === undefined) return result;
  const refuse = (file: OutputFile, long: LongLine) =>
    coreError('E_LINE_TOO_LONG', { target: meta.id, file: file.name, line: long.line, bytes: long.bytes, max, reader: meta.limits.lineSource });
  const files = result.files.map((file) => {
    const pieces = file.pieces;
    if (pieces === undefined) {
      const long = longLine(file.content, max);
      if (long) throw refuse(file, long);
      return file;
    }
    return piecedFile(file.name, file.mode, function* () {
      const meter = new LineMeter(max);
      for (const piece of pieces()) {
        const long = meter.read(piece);
        if (long) throw refuse(file, long);
        yield piece;
      }
      const long = meter.end();
      if (long) throw refuse(file, long);
    });
  });
  return { ...result, files };
}
