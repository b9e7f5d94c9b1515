/**
 * Joins many short lines into one text. Lines are folded into chunks of ~1,000 as they come, so
 * the short strings die young: with 300,000 iptables rules the garbage collector otherwise spent
 * more time copying survivors than the renderer spent writing them (BENCHMARKS.md).
 */
export class Lines {
  private readonly chunks: string[] = [];
  private pending: string[] = [];

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= 1024) {
      this.chunks.push(this.pending.join('\n'));
      this.pending = [];
    }
  }

  text(): string {
    if (this.pending.length > 0) {
      this.chunks.push(this.pending.join('\n'));
      this.pending = [];
    }
    return this.chunks.join('\n');
  }
}

/**
 * `before + item + after` for every item, one per line, built by a single join: with 100,000
 * prefixes no string per line is made, which is most of a long render's time otherwise.
 */
export function eachLine(before: string, items: readonly string[], after: string): string {
  return items.length === 0 ? '' : before + items.join(`${after}\n${before}`) + after;
}
