/**
 * The watch's history: append-only JSON lines, one check result a line, each line written with
 * one write(2) on an O_APPEND descriptor and fsync'd before the next. A `kill -9` at any moment
 * leaves at most a torn last line, which opening cuts off and reading skips
 * (test/watch/history-kill.test.ts kills a writer mid-write a hundred times and reads back).
 *
 * Chosen over SQLite (better-sqlite3) by that test and by the install: no native module to build
 * on the user's machine, and the files are readable with `jq`.
 *
 * Bounded: the current file is rotated past `maxFileBytes`; rotated files older than the
 * retention are deleted at each rotation and at start.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from './run.js';

const CURRENT = 'current.jsonl';
const ROTATED = /^history-(\d{13})-(\d{6})\.jsonl$/;

export interface HistoryOptions {
  readonly maxFileBytes: number;
  readonly retentionMs: number;
  readonly now?: () => number;
}

export class History {
  private fd: number | undefined;
  private bytes = 0;
  private sequence = 0;
  private readonly now: () => number;

  constructor(
    readonly dir: string,
    private readonly options: HistoryOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  open(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o750 });
    if (!statSync(this.dir).isDirectory()) throw new Error(`${this.dir} is not a folder`);
    this.fd = openSync(join(this.dir, CURRENT), 'a+', 0o640);
    this.bytes = repairTail(this.fd);
    this.prune();
  }

  append(result: CheckResult): void {
    if (this.fd === undefined) throw new Error('history is not open');
    const line = Buffer.from(`${JSON.stringify(result)}\n`, 'utf8');
    writeSync(this.fd, line);
    fsyncSync(this.fd);
    this.bytes += line.length;
    if (this.bytes >= this.options.maxFileBytes) this.rotate();
  }

  private rotate(): void {
    closeSync(this.fd!);
    const at = this.now();
    renameSync(join(this.dir, CURRENT), join(this.dir, `history-${String(at).padStart(13, '0')}-${String(this.sequence++ % 1_000_000).padStart(6, '0')}.jsonl`));
    syncDir(this.dir);
    this.fd = openSync(join(this.dir, CURRENT), 'a+', 0o640);
    this.bytes = 0;
    this.prune();
  }

  /** Deletes rotated files whose newest line is older than the retention (a file's name is when it was closed). */
  private prune(): void {
    const horizon = this.now() - this.options.retentionMs;
    for (const name of readdirSync(this.dir)) {
      const m = ROTATED.exec(name);
      if (m && Number(m[1]) < horizon) unlinkSync(join(this.dir, name));
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Cuts a torn last line (a write cut by a crash) off; the file's size after. */
function repairTail(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return size;
  // Read back in blocks until the last newline.
  const block = Buffer.alloc(65_536);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - block.length);
    const n = readSync(fd, block, 0, end - start, start);
    const nl = block.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) {
      ftruncateSync(fd, start + nl + 1);
      fsyncSync(fd);
      return start + nl + 1;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
  return 0;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every result in the folder, oldest file first; lines that do not parse (a torn tail) are skipped and counted. */
export function readHistory(dir: string, since = 0): { results: CheckResult[]; skipped: number } {
  // A rotated file holds nothing newer than when it was closed (its name): older ones are skipped unread.
  const names = readdirSync(dir)
    .filter((n) => ROTATED.test(n) && Number(ROTATED.exec(n)![1]) >= since)
    .sort();
  names.push(CURRENT);
  const results: CheckResult[] = [];
  let skipped = 0;
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const r = JSON.parse(line) as CheckResult;
        if (typeof r.check === 'string' && typeof r.at === 'number' && typeof r.ok === 'boolean') {
          if (r.at >= since) results.push(r);
        } else skipped++;
      } catch {
        skipped++;
      }
    }
  }
  return { results, skipped };
}
