/**
 * What `sipwall apply` and `sipwall remove` do to this host: run a script, read the scope, hold
 * the one-apply-at-a-time lock, and start the watchdog that restores the saved rules when nobody
 * confirms (even after a kill -9 of sipwall). Files it writes (the record, --persist) go through
 * src/cli/write.ts replaceFile.
 *
 * The watchdog: a shell loop in its own session (setsid), started before anything changes, that
 * runs revert.sh unless `pending` was renamed away by a confirmation first. Chosen over a
 * transient systemd timer (`systemd-run --on-active`), which needs systemd as PID 1 (not in
 * containers or the network namespaces sipwall's tests use), and over at(1), which needs atd
 * installed and running. It needs only sh, sleep and mv; it survives sipwall's death and the
 * terminal's hang-up (a new session has no controlling terminal). A reboot ends it, and with it
 * the unconfirmed rules, which are not persisted before a confirmation. The rename of `pending`
 * (to `kept` by a confirmation, to `reverting` by a revert) is atomic: exactly one side wins.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { commandError } from '../errors/commands.js';
import { parseSnapshot, snapshotScript, type Scope, type Snapshot } from './scope.js';

/** Where an apply in progress keeps its state: tmpfs, gone at reboot with the unconfirmed rules. */
export const RUN_DIR = '/run/sipwall';
/** What `remove` reads: the last confirmed apply. */
export const RECORD = '/var/lib/sipwall/applied.json';

export function sh(script: string, args: readonly string[] = [], timeoutMs = 120_000): { ok: boolean; output: string } {
  const r = spawnSync('sh', ['-c', script, 'sipwall', ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 << 20 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export function readScope(scope: Scope): Snapshot {
  return parseSnapshot(sh(snapshotScript(scope)).output);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock (an exclusively created file naming this process); a lock whose process is
 * gone is taken over. Refuses while an earlier apply's window is open: its `before` is not this
 * host's settled state.
 */
export function lock(): () => void {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 });
  const path = join(RUN_DIR, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw commandError('E_APPLY_BUSY', { what: `${path} cannot be made (${(error as NodeJS.ErrnoException).code})` });
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw commandError('E_APPLY_BUSY', { what: `another sipwall apply (pid ${pid}) is running` });
      rmSync(path, { force: true });
    }
  }
  const open = readdirSync(RUN_DIR).filter((d) => d.startsWith('apply-') && existsSync(join(RUN_DIR, d, 'pending')));
  if (open.length > 0) {
    rmSync(path, { force: true });
    throw commandError('E_APPLY_BUSY', { what: `an earlier apply (${join(RUN_DIR, open[0]!)}) waits for its confirmation or its restore` });
  }
  return () => rmSync(path, { force: true });
}

/** The watchdog's loop, bounded: at most 2 hours of one-second sleeps. */
const WATCHDOG = `cd "$1" || exit 1
i=0
while [ -e pending ] && [ $i -lt 7200 ]; do
  [ "$(date +%s)" -ge "$(cat deadline 2>/dev/null || echo 0)" ] && break
  sleep 1
  i=$((i + 1))
done
if mv pending reverting 2>/dev/null; then
  sh ./revert.sh > revert.log 2>&1
  echo $? > reverted
fi
`;

export interface Window {
  readonly dir: string;
  /** Moves the deadline: seconds from now. */
  setDeadline(seconds: number): void;
  /** Keeps the rules, unless the watchdog has begun restoring them (then false). */
  keep(): boolean;
  /** Restores now, unless a confirmation or the watchdog came first; true when this call did. */
  revert(): { ran: boolean; ok: boolean; output: string };
}

/** Saves the revert script and starts the watchdog, before anything on the host changes. */
export function openWindow(revert: string, seconds: number): Window {
  const dir = mkdtempSync(join(RUN_DIR, 'apply-'));
  writeFileSync(join(dir, 'revert.sh'), revert, { mode: 0o600, flag: 'wx' });
  writeFileSync(join(dir, 'watchdog.sh'), WATCHDOG, { mode: 0o600, flag: 'wx' });
  const setDeadline = (s: number) => {
    const tmp = join(dir, 'deadline.tmp');
    writeFileSync(tmp, `${Math.floor(Date.now() / 1000) + s}\n`, { mode: 0o600 });
    renameSync(tmp, join(dir, 'deadline'));
  };
  setDeadline(seconds);
  writeFileSync(join(dir, 'pending'), `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
  const child = spawn('setsid', ['sh', join(dir, 'watchdog.sh'), dir], { detached: true, stdio: 'ignore' });
  child.unref();
  return {
    dir,
    setDeadline,
    keep() {
      try {
        renameSync(join(dir, 'pending'), join(dir, 'kept'));
        return true;
      } catch {
        return false;
      }
    },
    revert() {
      try {
        renameSync(join(dir, 'pending'), join(dir, 'reverting'));
      } catch {
        return { ran: false, ok: false, output: '' };
      }
      const r = sh(`sh ${JSON.stringify(join(dir, 'revert.sh'))}`);
      writeFileSync(join(dir, 'reverted'), r.ok ? '0\n' : '1\n');
      writeFileSync(join(dir, 'revert.log'), r.output);
      return { ran: true, ...r };
    },
  };
}
