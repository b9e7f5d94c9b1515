/** Per-check figures over a stretch of history, for `sipwall history` and the status page. Pure. */
import type { CheckResult } from './run.js';

export interface CheckSummary {
  readonly check: string;
  readonly runs: number;
  readonly failures: number;
  /** Percent of runs that met their expectations. */
  readonly uptimePercent: number;
  readonly rttMs: { readonly p50: number; readonly p95: number; readonly p99: number } | undefined;
  readonly retransmissions: number;
  /** Times the result went from ok to failing or back. */
  readonly changes: number;
  readonly last: CheckResult;
  /** RTT over the stretch in buckets of equal time: a number (ms), `fail` (only failures) or null (no run). */
  readonly buckets: ReadonlyArray<number | 'fail' | null>;
}

/** Nearest-rank percentile (0 < p ≤ 100) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(results: readonly CheckResult[], from: number, to: number, bucketCount = 24): CheckSummary[] {
  const byCheck = new Map<string, CheckResult[]>();
  for (const r of results) {
    if (r.at < from || r.at > to) continue;
    let list = byCheck.get(r.check);
    if (!list) byCheck.set(r.check, (list = []));
    list.push(r);
  }
  return [...byCheck.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([check, list]) => {
      list.sort((a, b) => a.at - b.at);
      const rtts = list.filter((r) => r.ok && r.rttMs !== undefined).map((r) => r.rttMs!).sort((a, b) => a - b);
      const failures = list.filter((r) => !r.ok).length;
      let changes = 0;
      for (let i = 1; i < list.length; i++) if (list[i]!.ok !== list[i - 1]!.ok) changes++;
      const span = Math.max(1, to - from);
      const sums = Array.from({ length: bucketCount }, () => ({ rtt: 0, n: 0, runs: 0 }));
      for (const r of list) {
        const b = sums[Math.min(bucketCount - 1, Math.floor(((r.at - from) / span) * bucketCount))]!;
        b.runs++;
        if (r.ok && r.rttMs !== undefined) {
          b.rtt += r.rttMs;
          b.n++;
        }
      }
      return {
        check,
        runs: list.length,
        failures,
        uptimePercent: Math.round(((list.length - failures) / list.length) * 10_000) / 100,
        rttMs: rtts.length === 0 ? undefined : { p50: percentile(rtts, 50), p95: percentile(rtts, 95), p99: percentile(rtts, 99) },
        retransmissions: list.reduce((n, r) => n + (r.retransmissions ?? 0), 0),
        changes,
        last: list.at(-1)!,
        buckets: sums.map((b) => (b.runs === 0 ? null : b.n === 0 ? 'fail' : Math.round((b.rtt / b.n) * 10) / 10)),
      };
    });
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of the buckets: bars scaled to the largest RTT, `×` for only failures, `·` for none. */
export function sparkline(buckets: CheckSummary['buckets']): string {
  const max = Math.max(0, ...buckets.filter((b): b is number => typeof b === 'number'));
  return buckets.map((b) => (b === null ? '·' : b === 'fail' ? '×' : BARS[max === 0 ? 0 : Math.min(7, Math.floor((b / max) * 7.999))])).join('');
}
