/** `sipwall history`'s figures: nearest-rank percentiles, uptime, state changes, buckets and the sparkline. */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/watch/run.js';
import { percentile, sparkline, summarize } from '../../src/watch/summary.js';

const r = (check: string, at: number, ok: boolean, rttMs?: number, retransmissions = 0): CheckResult => ({ check, at, ok, durationMs: 1, outcome: ok ? 'answered' : 'timeout', retransmissions, ...(rttMs === undefined ? {} : { rttMs }) });

describe('summarize', () => {
  it('nearest-rank percentiles of the runs that met their expectations', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
  });

  it('per check: runs, uptime, RTT, retransmissions, changes, last result, buckets; outside the stretch left out', () => {
    // Out of time order; a failed run with an RTT (answered, but too slow) counts in no RTT figure.
    const results = [r('a', 40, true, 20), r('a', 30, true, 5, 2), r('b', 5, true, 10, 1), r('a', 0, true, 40), r('a', 10, false, 1000), r('a', 20, false), r('a', 100, true, 99), r('a', -1, false), r('c', 39, false)];
    const [a, b, c] = summarize(results, 0, 40, 4);
    expect(c).toMatchObject({ check: 'c', runs: 1, failures: 1, uptimePercent: 0, rttMs: undefined, buckets: [null, null, null, 'fail'] });
    expect(a).toMatchObject({ check: 'a', runs: 5, failures: 2, uptimePercent: 60, rttMs: { p50: 20, p95: 40, p99: 40 }, retransmissions: 2, changes: 2, last: { at: 40 } });
    expect(a!.buckets).toEqual([40, 'fail', 'fail', 12.5]);
    expect(b).toMatchObject({ check: 'b', runs: 1, uptimePercent: 100, retransmissions: 1, changes: 0 });
    expect(b!.buckets).toEqual([10, null, null, null]);
  });

  it('the sparkline scales to the largest RTT; × for only failures, · for no run', () => {
    expect(sparkline([0, 5, 10, 'fail', null])).toBe('▁▄█×·');
    expect(sparkline([null, 'fail'])).toBe('·×');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});
