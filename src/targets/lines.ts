/**
 * Many short lines as one text, made either whole (`text`) or in pieces as a writer asks for them
 * (`pieces`). Lines are folded into chunks of ~1,000 as they come, so the short strings die young;
 * a run of lines that differ only in one item (`block`: 100,000 prefixes) is kept as its parts and
 * joined only when the text is made. In pieces, 35 MB of iptables rules never exist as one string:
 * each piece is written and dropped, which saved ~100 ms and ~50 MB of a 100,000-prefix render
 * (BENCHMARKS.md).
 */
export class Lines {
  private readonly parts: Array<string | Run> = [];
  private pending: string[] = [];

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= 1024) this.flush();
  }

  /** `before + item + after` for every item, one per line; no line for an empty list. */
  block(before: string, items: readonly string[], after: string): void {
    if (items.length === 0) return;
    this.flush();
    this.parts.push({ before, items, after });
  }

  private flush(): void {
    if (this.pending.length > 0) {
      this.parts.push(this.pending.join('\n'));
      this.pending = [];
    }
  }

  /** The lines joined by newlines (no newline after the last): its pieces, joined once. */
  text(): string {
    return [...this.pieces()].join('');
  }

  /**
   * The text in pieces, each made when it is asked for: at most PIECE_LINES lines of a block in
   * one, and never a cut inside a character. The lines must not change while they are read.
   */
  *pieces(): Generator<string, void, undefined> {
    this.flush();
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i]!;
      const lead = i === 0 ? '' : '\n';
      if (typeof part === 'string') {
        yield lead + part;
        continue;
      }
      // The lines of a piece in one join, with the text around it as pieces of their own: a
      // concatenation would be copied once more by whatever reads the piece first.
      const { before, items, after } = part;
      const between = separator(after, before);
      for (let at = 0; at < items.length; at += PIECE_LINES) {
        yield (at === 0 ? lead : '\n') + before;
        yield items.slice(at, at + PIECE_LINES).join(between);
        yield after;
      }
    }
  }
}

/** A block's lines per piece: ~55 KB of iptables rules, small enough for V8's young generation. */
export const PIECE_LINES = 512;

interface Run {
  readonly before: string;
  readonly items: readonly string[];
  readonly after: string;
}

/**
 * `before + item + after` for every item, one per line, built by a single join: with 100,000
 * prefixes no string per line is made, which is most of a long render's time otherwise.
 */
export function eachLine(before: string, items: readonly string[], after: string): string {
  return items.length === 0 ? '' : before + items.join(separator(after, before)) + after;
}

/**
 * `after + '\n' + before` as one flat string. Made by `+`, it is a tree of the parts (and `after`
 * is often one itself: an iptables rule's tail is built of five), which `join` walks again for
 * every item: 100,000 prefixes to iptables joined in 118 ms instead of 47 (BENCHMARKS.md).
 */
export function separator(after: string, before: string, between = '\n'): string {
  return [after, before].join(between);
}
