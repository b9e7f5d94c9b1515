/**
 * The history survives `kill -9` at any moment (issue 13): a writer appends results as fast as it
 * can, rotating every 64 KiB, and is killed with SIGKILL a hundred times at random moments; then
 * every file is read back. Each run's records must be whole, in order and without a gap (only
 * a run's last, cut line may be missing), and at most one line may be unreadable (the last
 * kill's torn tail: opening the history again cuts it off).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { History, readHistory } from '../../src/watch/history.js';

let dir: string;
let writer: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sipwall-history-'));
  writer = join(dir, 'writer.mjs');
  // The writer, bundled once: a child starts in tens of milliseconds instead of through tsx.
  await build({
    stdin: {
      contents: `
        import { History } from ${JSON.stringify(join(import.meta.dirname, '../../src/watch/history.ts'))};
        const [folder, run] = process.argv.slice(2);
        const h = new History(folder, { maxFileBytes: 65536, retentionMs: 864e5 });
        h.open();
        process.stdout.write('open\\n');
        for (let seq = 0; ; seq++) h.append({ check: 'run' + run, at: Date.now(), ok: true, durationMs: seq, outcome: 'answered', why: 'x'.repeat(seq % 200) });
      `,
      resolveDir: import.meta.dirname,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: writer,
    logLevel: 'error',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runAndKill(folder: string, run: number, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, folder, String(run)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const guard = setTimeout(() => reject(new Error('writer did not open')), 10_000);
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer ended without the kill (${signal ?? 'exit'})`));
    });
  });
}

describe('history under kill -9', () => {
  it('a hundred kills mid-write: every record of every run back, in order, at most the last line torn', async () => {
    const folder = join(dir, 'history');
    for (let run = 0; run < 100; run++) await runAndKill(folder, run, Math.floor(Math.random() * 30));
    const { results, skipped } = readHistory(folder);
    expect(skipped).toBeLessThanOrEqual(1);
    const byRun = new Map<string, number[]>();
    for (const r of results) {
      const list = byRun.get(r.check) ?? [];
      list.push(r.durationMs);
      byRun.set(r.check, list);
    }
    let total = 0;
    for (const [run, seqs] of byRun) {
      total += seqs.length;
      expect(seqs, run).toEqual(seqs.map((_, i) => i));
    }
    // Enough was written for the kills to land mid-write and across rotations.
    expect(total).toBeGreaterThan(1000);
    // And opening it again leaves no torn line for the next writer to glue onto.
    const h = new History(folder, { maxFileBytes: 65_536, retentionMs: 86_400_000 });
    h.open();
    h.append({ check: 'after', at: Date.now(), ok: true, durationMs: 0, outcome: 'answered' });
    h.close();
    const again = readHistory(folder);
    expect(again.skipped).toBe(0);
    expect(again.results.at(-1)!.check).toBe('after');
  }, 120_000);

  it('a torn last line (a write cut short: a power cut, a full disk) is cut off when the history opens again', () => {
    // One write(2) of a line is not torn by SIGKILL; a power cut or ENOSPC can leave half a line.
    const folder = join(dir, 'torn');
    const h = new History(folder, { maxFileBytes: 65_536, retentionMs: 86_400_000 });
    h.open();
    h.append({ check: 'c', at: 1, ok: true, durationMs: 0, outcome: 'answered' });
    h.close();
    appendFileSync(join(folder, 'current.jsonl'), '{"check":"c","at":2,"ok":tr');
    expect(readHistory(folder)).toMatchObject({ skipped: 1 });
    h.open();
    h.append({ check: 'c', at: 3, ok: false, durationMs: 0, outcome: 'timeout' });
    h.close();
    const back = readHistory(folder);
    expect([back.skipped, back.results.map((r) => r.at)]).toEqual([0, [1, 3]]);
  });

  it('drops rotated files older than the retention', () => {
    const folder = join(dir, 'retention');
    let now = 0;
    const h = new History(folder, { maxFileBytes: 4096, retentionMs: 10_000, now: () => now });
    h.open();
    for (let i = 0; i < 200; i++) {
      now = i * 100;
      h.append({ check: 'c', at: now, ok: true, durationMs: i, outcome: 'answered', why: 'y'.repeat(100) });
    }
    h.close();
    const kept = readHistory(folder).results;
    // Files closed more than 10 s before the last rotation are gone; the newest results stay.
    expect(kept.at(-1)!.durationMs).toBe(199);
    expect(kept[0]!.at).toBeGreaterThanOrEqual(now - 10_000 - 4096);
    expect(kept.length).toBeLessThan(200);
  });
});
