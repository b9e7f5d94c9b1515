/**
 * The scheduler: each check on its own timer, never overlapping itself (a slot that comes while
 * the last run is still going is skipped and counted), results appended to the history, the
 * check's state updated and its alerts sent without waiting for them.
 *
 * An interval check fires at anchor + k × interval, the anchor spread over `jitter` × interval by
 * a hash of its name, so checks do not fire together and the schedule does not drift (each
 * timer aims at its slot, not at "interval after the last run"). A cron check fires at its
 * croner times, spread by the same hash over `jitter` of the time to its next run.
 */
import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import type { Check, WatchConfig } from './config.js';
import type { History } from './history.js';
import type { Notifier } from './notify.js';
import { runProbe, type CheckResult } from './run.js';
import { CheckState } from './state.js';

export type Prober = (check: Check) => Promise<CheckResult>;

export interface WatchDeps {
  readonly history: History | undefined;
  readonly notifier: Notifier;
  readonly log: (line: string) => void;
  readonly probe?: Prober;
  readonly now?: () => number;
  /** Called with every result (the exporter's metrics). */
  readonly onResult?: (check: Check, result: CheckResult, state: CheckState) => void;
}

/** A number in [0, 1) from a name: the same name, the same place in the interval. */
export function spread(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) / 2 ** 32;
}

/** The next slot strictly after `now` of a check that fires every `everyMs` from `anchor`. */
export function nextSlot(anchor: number, everyMs: number, now: number): number {
  return now < anchor ? anchor : anchor + (Math.floor((now - anchor) / everyMs) + 1) * everyMs;
}

export class Watch {
  readonly states = new Map<string, CheckState>();
  /** Slots skipped because the check's last run was still going, per check. */
  readonly skipped = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private anchors = new Map<string, number>();
  private stopping = false;

  constructor(
    private config: WatchConfig,
    private readonly deps: WatchDeps,
  ) {}

  get checks(): readonly Check[] {
    return this.config.checks;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  start(): void {
    const now = this.now();
    for (const check of this.config.checks) {
      if ('everyMs' in check.schedule) this.anchors.set(check.name, now + Math.floor(spread(check.name) * this.config.jitter * check.schedule.everyMs));
      // From just before now: a check whose anchor is now fires now, not an interval later.
      this.arm(check, now - 1);
    }
  }

  /** When a check fires next. */
  nextRun(check: Check, now = this.now()): number {
    if ('everyMs' in check.schedule) return nextSlot(this.anchors.get(check.name) ?? now, check.schedule.everyMs, now);
    const [first, second] = new Cron(check.schedule.cron, { paused: true }).nextRuns(2, new Date(now));
    const at = first!.getTime();
    return at + Math.floor(spread(check.name) * this.config.jitter * ((second?.getTime() ?? at + 60_000) - at));
  }

  /**
   * Sets the check's timer for its next slot after `after` (the slot that just fired, so a timer
   * that fires a little early does not fire that slot twice). Slots missed by more than a second
   * (a suspended machine, a blocked event loop) are skipped, not run in a burst.
   */
  private arm(check: Check, after: number): void {
    if (this.stopping) return;
    const now = this.now();
    const at = this.nextRun(check, now - after > 1000 ? now - 1 : after);
    // setTimeout holds at most 2**31 - 1 ms: a later slot is re-armed on the way.
    const delay = Math.min(Math.max(0, at - now), 2 ** 31 - 1);
    this.timers.set(
      check.name,
      setTimeout(() => {
        if (this.now() + 5 < at) return this.arm(check, after);
        this.fire(check);
        this.arm(check, at);
      }, delay),
    );
  }

  private fire(check: Check): void {
    if (this.running.has(check.name)) {
      this.skipped.set(check.name, (this.skipped.get(check.name) ?? 0) + 1);
      this.deps.log(`${check.name}: still running, this round skipped`);
      return;
    }
    const run = this.runOnce(check)
      .then(
        () => undefined,
        (error: unknown) => this.deps.log(`${check.name}: ${(error as Error).message}`),
      )
      .finally(() => this.running.delete(check.name));
    this.running.set(check.name, run);
  }

  /** Runs one check now: probe, history, state, alerts. */
  async runOnce(check: Check): Promise<CheckResult> {
    const result = await (this.deps.probe ?? ((c: Check) => runProbe(c.name, c, this.deps.now)))(check);
    try {
      this.deps.history?.append(result);
    } catch (error) {
      this.deps.log(`history: cannot append (${(error as Error).message})`);
    }
    let state = this.states.get(check.name);
    if (!state) {
      state = new CheckState(this.config.alerts);
      this.states.set(check.name, state);
    }
    for (const alert of state.observe(result)) this.deps.notifier.send({ ...alert, labels: check.labels });
    this.deps.onResult?.(check, result, state);
    return result;
  }

  /**
   * The states as the history left them (a restart, even after `kill -9`, raises no alert for a
   * change already alerted): each check's results replayed without sending anything.
   */
  restore(results: readonly CheckResult[]): void {
    const names = new Set(this.config.checks.map((c) => c.name));
    for (const r of [...results].sort((a, b) => a.at - b.at)) {
      if (!names.has(r.check)) continue;
      let state = this.states.get(r.check);
      if (!state) this.states.set(r.check, (state = new CheckState(this.config.alerts)));
      state.observe(r);
    }
  }

  /** Every check once, together (a round); resolves when all are done. */
  async round(): Promise<CheckResult[]> {
    return Promise.all(this.config.checks.map((c) => this.runOnce(c)));
  }

  /** A new configuration: states kept by check name, schedules made anew. */
  reload(config: WatchConfig): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const names = new Set(config.checks.map((c) => c.name));
    for (const name of [...this.states.keys()]) if (!names.has(name)) this.states.delete(name);
    this.config = config;
    this.anchors = new Map();
    this.start();
  }

  /** Stops the timers and waits for the runs under way (the running round). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
