/** Alerts on state changes only: down after N, up, flapping once, stable, certificate expiry once. */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/watch/run.js';
import { CheckState } from '../../src/watch/state.js';

const rules = { downAfter: 3, flapWindowMs: 600_000, flapChanges: 4, certDays: 14 };
const result = (at: number, ok: boolean, extra: Partial<CheckResult> = {}): CheckResult => ({ check: 'c', at, ok, durationMs: 1, outcome: ok ? 'answered' : 'timeout', ...extra });
/** Feeds ok/fail runs a minute apart; returns the events in order. */
function events(state: CheckState, runs: string, start = 0): string[] {
  return [...runs].flatMap((r, i) => state.observe(result(start + i * 60_000, r === '+')).map((a) => `${i}:${a.event}`));
}

describe('CheckState', () => {
  it('is down after three failures in a row, up again on one success, and says nothing else', () => {
    const s = new CheckState(rules);
    expect(events(s, '++--+---++')).toEqual(['7:down', '8:up']);
    expect(s.state).toBe('up');
  });

  it('alerts down at start when the first three runs fail, and not up at start', () => {
    expect(events(new CheckState(rules), '---')).toEqual(['2:down']);
    expect(events(new CheckState(rules), '+++')).toEqual([]);
  });

  it('flapping: one alert past the changes allowed, quiet until a whole window without change, then stable', () => {
    const s = new CheckState({ ...rules, downAfter: 1 });
    // Changes at runs 1..6: down, up, down, up, down (5 > 4 within 10 minutes) → flapping; then quiet.
    const seen = events(s, '+-+-+-+-+' + '+'.repeat(12));
    expect(seen).toEqual(['1:down', '2:up', '3:down', '4:up', '5:flapping', '18:stable']);
  });

  it('a certificate under the days left alerts once, and again only after a renewal', () => {
    const s = new CheckState(rules);
    const days = [30, 13, 12, 11, 40, 10];
    const seen = days.flatMap((d, i) => s.observe(result(i * 60_000, true, { tlsDaysLeft: d })).map((a) => `${i}:${a.event}`));
    expect(seen).toEqual(['1:cert-expiring', '5:cert-expiring']);
  });

  it('says what happened in each alert', () => {
    const s = new CheckState({ ...rules, downAfter: 2, flapChanges: 2 });
    const messages = [false, false, true, false, false, true, true].flatMap((ok, i) =>
      s.observe(result(i * 60_000, ok, ok ? {} : { why: 'no answer in 5000 ms' })).map((a) => `${a.event}: ${a.message}`),
    );
    expect(messages).toEqual(['down: down after 2 failures: no answer in 5000 ms', 'up: up again', 'down: down after 2 failures: no answer in 5000 ms', 'flapping: 3 state changes within 600 s; alerts held until it is stable']);
    const quiet = [...Array(12)].flatMap((_, i) => s.observe(result((7 + i) * 60_000, true)).map((a) => `${a.event}: ${a.message}`));
    expect(quiet).toEqual(['stable: stable for 600 s, up']);
  });

  it('a certificate already near expiry at the first run alerts; exactly the days asked for does not', () => {
    expect(new CheckState(rules).observe(result(0, true, { tlsDaysLeft: 3 })).map((a) => [a.event, a.message])).toEqual([['cert-expiring', 'TLS certificate expires in 3 days']]);
    expect(new CheckState(rules).observe(result(0, true, { tlsDaysLeft: 14 }))).toEqual([]);
  });
});
