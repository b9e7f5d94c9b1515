/**
 * Alert delivery: a command (through /bin/sh, the alert in SIPWALL_* environment variables) and
 * a JSON webhook (POST). Each delivery runs on its own, retried with exponential backoff (1 s,
 * 2 s, 4 s, … at most 60 s) up to `retries` times, each try bounded by its timeout; nothing
 * here is awaited by the checks, so a failing or hanging receiver never delays one. At most
 * MAX_PENDING deliveries wait; past that the oldest is dropped and logged.
 */
import { spawn } from 'node:child_process';
import { VERSION } from '../version.js';
import type { Alert } from './state.js';

export const MAX_PENDING = 1000;

export interface NotifyOptions {
  readonly command: string | undefined;
  readonly webhook: { readonly url: string; readonly timeoutMs: number; readonly retries: number } | undefined;
  /** Timeout of one run of the command. */
  readonly commandTimeoutMs?: number;
  readonly log: (line: string) => void;
  /** Backoff base in ms (tests shorten it). */
  readonly backoffMs?: number;
}

/** The webhook's body and the command's SIPWALL_RESULT: the alert with its result. */
export function alertJson(alert: Alert): string {
  return JSON.stringify({ source: `sipwall/${VERSION}`, ...alert });
}

export class Notifier {
  private pending = 0;
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: NotifyOptions) {}

  send(alert: Alert): void {
    this.options.log(`alert ${alert.check}: ${alert.event} (${alert.message})`);
    if (this.options.command !== undefined) this.track(() => this.runCommand(alert), `command for ${alert.check} ${alert.event}`, this.options.webhook?.retries ?? 3);
    if (this.options.webhook) this.track(() => this.post(alert), `webhook for ${alert.check} ${alert.event}`, this.options.webhook.retries);
  }

  private track(attempt: () => Promise<void>, what: string, retries: number): void {
    if (this.pending >= MAX_PENDING) {
      this.options.log(`alert dropped: ${MAX_PENDING} deliveries already waiting (${what})`);
      return;
    }
    this.pending++;
    const job = this.deliver(attempt, what, retries).finally(() => {
      this.pending--;
      this.running.delete(job);
    });
    this.running.add(job);
  }

  private async deliver(attempt: () => Promise<void>, what: string, retries: number): Promise<void> {
    const base = this.options.backoffMs ?? 1000;
    for (let tryNo = 0; ; tryNo++) {
      try {
        await attempt();
        if (tryNo > 0) this.options.log(`${what}: delivered after ${tryNo} retries`);
        return;
      } catch (error) {
        if (tryNo >= retries || this.stopped) {
          this.options.log(`${what}: not delivered after ${tryNo + 1} tries (${(error as Error).message})`);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(60_000, base * 2 ** tryNo)).unref());
      }
    }
  }

  private async post(alert: Alert): Promise<void> {
    const hook = this.options.webhook!;
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': `sipwall/${VERSION}` },
      body: alertJson(alert),
      signal: AbortSignal.timeout(hook.timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  }

  private runCommand(alert: Alert): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', this.options.command!], {
        stdio: 'ignore',
        timeout: this.options.commandTimeoutMs ?? 30_000,
        env: {
          ...process.env,
          SIPWALL_CHECK: alert.check,
          SIPWALL_EVENT: alert.event,
          SIPWALL_STATE: alert.state,
          SIPWALL_AT: new Date(alert.at).toISOString(),
          SIPWALL_MESSAGE: alert.message,
          SIPWALL_RESULT: alertJson(alert),
        },
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(signal ? `killed by ${signal}` : `exit ${code}`))));
    });
  }

  /** Waits for deliveries under way (a bounded wait: `ms`), then gives up on the rest. */
  async drain(ms: number): Promise<void> {
    const timer = new Promise<void>((r) => setTimeout(r, ms).unref());
    await Promise.race([Promise.allSettled([...this.running]), timer]);
    this.stopped = true;
  }
}
