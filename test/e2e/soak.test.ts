/**
 * The watch under a bounded soak (issue 13; about 45 s): in a network namespace of its own, six
 * checks every second against targets that stay up, lose 30 % of their packets each way (nft
 * numgen), go down and come back, answer slowly, refuse, and fail DNS; the watch is killed with
 * SIGKILL half-way and started again. The schedule holds, RSS stays within ±10 MB in each
 * process, each transition alerts exactly once (the restart does not alert again), and the
 * history reads back whole.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
const DRIVER = join(import.meta.dirname, '..', 'helpers', 'soak.mjs');
const skip = rootMissing() || toolsMissing('unshare', 'nft', 'ip');

describe.skipIf(skip)('watch soak', () => {
  it('down, slow, refused, DNS failure and 30 % loss; a kill -9 in the middle', () => {
    const seconds = 40;
    const run = spawnSync('unshare', ['-n', process.execPath, DRIVER, BIN, String(seconds)], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { code: number; alerts: string[]; rss: number[][]; lines: number; unreadable: number; runs: Record<string, number[]> };
    expect(r.code).toBe(0);
    // Each transition once: flappy went down and came back; the others that never answer, down once.
    expect([...r.alerts].sort()).toEqual(['dns down', 'flappy down', 'flappy up', 'refused down', 'slow down']);
    // The history: every line whole (a kill -9 leaves at most a torn line, cut when it reopens).
    expect(r.unreadable).toBe(0);
    expect(r.lines).toBe(Object.values(r.runs).reduce((n, list) => n + list.length, 0));
    // The schedule held: the steady check ran about once a second but for the restart (a few
    // seconds); the slow one (1.5 s a run) skipped slots but kept running.
    expect(r.runs.steady!.length).toBeGreaterThanOrEqual(seconds - 8);
    expect(r.runs.slow!.length).toBeGreaterThanOrEqual(seconds / 2 - 6);
    // RSS within ±10 MB in each watch process once warm.
    for (const samples of r.rss) {
      expect(samples.length).toBeGreaterThan(5);
      expect(Math.max(...samples) - Math.min(...samples)).toBeLessThanOrEqual(20 * 1024 * 1024);
    }
  }, 150_000);
});
