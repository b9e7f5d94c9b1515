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
    if (this.pending.length >= 1024) this.flush();
  }

  /** Lines already joined into one text (eachLine): kept as they are, not copied into a chunk. */
  block(text: string): void {
    if (text === '') return;
    this.flush();
    this.chunks.push(text);
  }

  private flush(): void {
    if (this.pending.length > 0) {
      this.chunks.push(this.pending.join('\n'));
      this.pending = [];
    }
  }

  text(): string {
    this.flush();
    // Concatenated, not joined: V8 links the chunks instead of copying them into one more string
    // (35 MB for 300,000 iptables rules), and the one copy is made when the file is written.
    let text = this.chunks[0] ?? '';
    for (let i = 1; i < this.chunks.length; i++) text += `\n${this.chunks[i]!}`;
    return text;
  }
}

/**
 * `before + item + after` for every item, one per line, built by a single join: with 100,000
 * prefixes no string per line is made, which is most of a long render's time otherwise.
 */
export function eachLine(before: string, items: readonly string[], after: string): string {
  return items.length === 0 ? '' : before + items.join(`${after}\n${before}`) + after;
}
