/**
 * A check's state and the alerts its results raise: only on a change. Down after `downAfter`
 * consecutive failures, up again on the first success; more than `flapChanges` changes within
 * `flapWindowMs` raise one `flapping` alert and silence the rest until the check has kept one
 * state for a whole window (`stable`); a TLS certificate with fewer than `certDays` days left
 * raises `cert-expiring` once, until it is renewed. Pure.
 */
import type { CheckResult } from './run.js';

export type State = 'unknown' | 'up' | 'down';
export type AlertEvent = 'down' | 'up' | 'flapping' | 'stable' | 'cert-expiring';

export interface Alert {
  readonly check: string;
  readonly event: AlertEvent;
  readonly state: State;
  readonly at: number;
  readonly message: string;
  readonly result: CheckResult;
  /** The check's labels from the config (for routing the alert). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface StateRules {
  readonly downAfter: number;
  readonly flapWindowMs: number;
  readonly flapChanges: number;
  readonly certDays: number;
}

export class CheckState {
  state: State = 'unknown';
  failures = 0;
  flapping = false;
  private changes: number[] = [];
  private certWarned = false;

  constructor(private readonly rules: StateRules) {}

  observe(result: CheckResult): Alert[] {
    const alerts: Alert[] = [];
    const raise = (event: AlertEvent, message: string) => alerts.push({ check: result.check, event, state: this.state, at: result.at, message, result });
    this.failures = result.ok ? 0 : this.failures + 1;
    const next: State = result.ok ? 'up' : this.failures >= this.rules.downAfter ? 'down' : this.state;
    this.changes = this.changes.filter((t) => result.at - t < this.rules.flapWindowMs);
    if (next !== this.state) {
      const before = this.state;
      this.state = next;
      if (before !== 'unknown') this.changes.push(result.at);
      const what = next === 'down' ? `down after ${this.failures} failures: ${result.why ?? result.outcome}` : 'up again';
      if (this.flapping) {
        // Quiet while flapping.
      } else if (this.changes.length > this.rules.flapChanges) {
        this.flapping = true;
        raise('flapping', `${this.changes.length} state changes within ${Math.round(this.rules.flapWindowMs / 1000)} s; alerts held until it is stable`);
      } else if (before !== 'unknown' || next === 'down') {
        raise(next === 'down' ? 'down' : 'up', what);
      }
    } else if (this.flapping && this.changes.length === 0) {
      this.flapping = false;
      raise('stable', `stable for ${Math.round(this.rules.flapWindowMs / 1000)} s, ${this.state}`);
    }
    const days = result.tlsDaysLeft;
    if (days !== undefined) {
      if (days < this.rules.certDays && !this.certWarned) {
        this.certWarned = true;
        raise('cert-expiring', `TLS certificate expires in ${days} days`);
      } else if (days >= this.rules.certDays) this.certWarned = false;
    }
    return alerts;
  }
}
