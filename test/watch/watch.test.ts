/** The scheduler: spread start times, slots without drift, no overlap, alerts that never hold a check up, a stop that finishes the round. */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseSipTarget } from '../../src/probe/target.js';
import type { Check, WatchConfig } from '../../src/watch/config.js';
import { Notifier } from '../../src/watch/notify.js';
import type { CheckResult } from '../../src/watch/run.js';
import { nextSlot, spread, Watch } from '../../src/watch/watch.js';

const check = (name: string, everyMs: number): Check => ({
  name,
  input: 'pbx.example.com',
  target: parseSipTarget('pbx.example.com'),
  transport: 'udp',
  timeoutMs: 1000,
  insecure: false,
  expect: { status: 'any', maxRttMs: undefined, certDays: undefined },
  schedule: { everyMs },
  labels: {},
});
const config = (checks: Check[], alerts: Partial<WatchConfig['alerts']> = {}): WatchConfig => ({
  jitter: 0.5,
  history: { dir: '/nonexistent', retentionMs: 1, maxFileBytes: 4096 },
  alerts: { downAfter: 1, flapWindowMs: 60_000, flapChanges: 100, certDays: 0, command: undefined, webhook: undefined, ...alerts },
  checks,
  modules: new Map(),
});
const ok = (name: string, ok = true): CheckResult => ({ check: name, at: Date.now(), ok, durationMs: 1, outcome: ok ? 'answered' : 'timeout' });
const quiet = new Notifier({ command: undefined, webhook: undefined, log: () => undefined });
/** Waits (bounded: 200 × 10 ms) until `done()`. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

describe('schedule arithmetic', () => {
  it('slots are anchor + k x interval: the next one strictly after now, never drifting with run times', () => {
    expect(nextSlot(1000, 60_000, 0)).toBe(1000);
    expect(nextSlot(1000, 60_000, 1000)).toBe(61_000);
    expect(nextSlot(1000, 60_000, 60_999)).toBe(61_000);
    expect(nextSlot(1000, 60_000, 1000 + 60_000 * 1000 + 5)).toBe(1000 + 60_000 * 1001);
  });

  it('spreads a thousand checks over the jitter window: no second holds more than a few', () => {
    const w = new Watch(config(Array.from({ length: 1000 }, (_, i) => check(`check-${i}`, 60_000))), { history: undefined, notifier: quiet, log: () => undefined, now: () => 0 });
    w.start();
    const firsts = w.checks.map((c) => w.nextRun(c, 0));
    void w.stop();
    const perSecond = new Map<number, number>();
    for (const t of firsts) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    // jitter 0.5 of 60 s: 30 one-second buckets for 1,000 checks, ~33 each if even.
    expect(perSecond.size).toBe(30);
    expect(Math.max(...perSecond.values())).toBeLessThan(60);
    expect(spread('a')).not.toBe(spread('b'));
  });
});

describe('Watch', () => {
  it('a check whose slot is now fires now, not an interval later (found by the 1,000-check bench)', async () => {
    let runs = 0;
    const w = new Watch({ ...config([check('now', 60_000)]), jitter: 0 }, { history: undefined, notifier: quiet, log: () => undefined, probe: async (c) => (runs++, ok(c.name)) });
    w.start();
    await until(() => runs === 1);
    await w.stop();
  });

  it('never overlaps a check with itself: a slot that comes while it runs is skipped and counted', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const w = new Watch(config([check('slow', 30)]), {
      history: undefined,
      notifier: quiet,
      log: () => undefined,
      probe: async (c) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 100));
        running--;
        runs++;
        return ok(c.name);
      },
    });
    w.start();
    await until(() => runs >= 3);
    await w.stop();
    expect(most).toBe(1);
    expect(w.skipped.get('slow')).toBeGreaterThan(0);
  });

  it('an alert receiver that hangs never holds a check up; stop() finishes the running round', async () => {
    const hung: http.ServerResponse[] = [];
    const server = http.createServer((_req, res) => void hung.push(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const notifier = new Notifier({ command: undefined, webhook: { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, timeoutMs: 60_000, retries: 0 }, log: () => undefined });
    let runs = 0;
    let inFlight = false;
    let finished = 0;
    const w = new Watch(config([check('flip', 20)]), {
      history: undefined,
      notifier,
      log: () => undefined,
      probe: async (c) => {
        inFlight = true;
        await new Promise((r) => setTimeout(r, 30));
        inFlight = false;
        finished++;
        // Every run changes state: every run raises an alert to the hanging receiver.
        return ok(c.name, runs++ % 2 === 0);
      },
    });
    w.start();
    await until(() => runs >= 6);
    expect(hung.length).toBeGreaterThanOrEqual(1);
    await until(() => inFlight);
    const before = finished;
    await w.stop();
    // The run under way when stop() was called finished before stop() resolved.
    expect(finished).toBe(before + 1);
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await notifier.drain(1000);
  });

  it('a restart rebuilds the states from the history: a check already down raises no second down', async () => {
    const sent: string[] = [];
    const notifier = { send: (a: { check: string; event: string }) => sent.push(`${a.check} ${a.event}`) } as unknown as Notifier;
    const w = new Watch(config([check('a', 60_000)], { downAfter: 2 }), { history: undefined, notifier, log: () => undefined, probe: async (c) => ok(c.name, false) });
    w.restore([0, 1, 2].map((i) => ({ ...ok('a', false), at: i })));
    expect(w.states.get('a')?.state).toBe('down');
    await w.round();
    expect(sent).toEqual([]);
    const fresh = new Watch(config([check('a', 60_000)], { downAfter: 1 }), { history: undefined, notifier, log: () => undefined, probe: async (c) => ok(c.name, false) });
    await fresh.round();
    expect(sent).toEqual(['a down']);
  });

  it('reload keeps the state of checks that stay and forgets the others', async () => {
    const w = new Watch(config([check('a', 60_000), check('b', 60_000)]), { history: undefined, notifier: quiet, log: () => undefined, probe: async (c) => ok(c.name, false) });
    await w.round();
    expect([w.states.get('a')?.state, w.states.get('b')?.state]).toEqual(['down', 'down']);
    w.reload(config([check('a', 60_000), check('c', 60_000)]));
    expect([w.states.get('a')?.state, w.states.has('b')]).toEqual(['down', false]);
    await w.stop();
  });
});
