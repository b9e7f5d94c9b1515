/** Runs a real firewall parser on rendered files inside a throw-away network namespace. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Check {
  /** What ran, e.g. `nft -c -f nftables.nft`. */
  readonly command: string;
  readonly ok: boolean;
  /** The parser's own words when it refused. */
  readonly output: string;
}

/** True when a command is on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs `script` (sh) in a new network namespace with the files in its working folder. As root
 * `unshare -n`; otherwise `unshare -rn` (user namespace), which only holds small rulesets:
 * its netlink buffer refuses nft files from about 1,000 prefixes on (target-formats.md).
 */
export function inNetns(files: Record<string, string>, script: string, timeoutMs = 120_000): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-check-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    // A mount namespace too: checks may bind-mount a folder over a configuration directory.
    const unshare = process.getuid?.() === 0 ? ['-n', '-m'] : ['-rnm'];
    const run = spawnSync('unshare', [...unshare, 'sh', '-c', script], { cwd: dir, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.trim();
    return { ok: run.status === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
