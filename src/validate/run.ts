/** Runs a real firewall parser on rendered files inside a throw-away network namespace. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
 * The file system a check sees, set up in its private mount namespace before any parser runs.
 * A parser fed hostile input must not write anything that matters on the host (`ipset restore`
 * runs `list -file PATH` and `save -file PATH`; a nft or iptables file can name no file, but the
 * rule holds for every tool), so:
 * - the working folder is a fresh tmpfs holding copies of the inputs (`box`);
 * - /run is a fresh tmpfs (iptables-legacy takes /run/xtables.lock);
 * - /dev is read-only and holds only null, zero, random, urandom and the fd links: no disk or
 *   other device;
 * - every other mount is remounted read-only (its own nosuid/nodev/noexec flags kept, which a
 *   user namespace requires).
 * Everything written is gone with the namespace. Sets and rules live in its network namespace.
 */
const SANDBOX = String.raw`set -e
mount --make-rprivate /
mount -t tmpfs -o size=512m,mode=0700 sipwall-box box
cp -R in/. box/
mount -t tmpfs -o size=1m,mode=0755 sipwall-dev devs
for d in null zero random urandom; do
  if [ -e /dev/$d ]; then : > devs/$d; mount --bind /dev/$d devs/$d; fi
done
ln -s /proc/self/fd devs/fd; ln -s /proc/self/fd/0 devs/stdin; ln -s /proc/self/fd/1 devs/stdout; ln -s /proc/self/fd/2 devs/stderr
# util-linux in a user namespace reports a failure after a successful move: test the result.
mount --move devs /dev 2>/dev/null || true
test -L /dev/fd
mount -o remount,bind,ro,nosuid,noexec /dev
mount -t tmpfs -o size=16m,mode=0755 sipwall-run /run
mkdir -p /run/lock
box=$(cd box && pwd -P)
# Mount points, deepest last; mountinfo escapes blanks as \040. Field 6 holds per-mount flags.
sed -e 's/^[^ ]* [^ ]* [^ ]* [^ ]* \([^ ]*\) \([^ ]*\).*/\1 \2/' /proc/self/mountinfo | while read -r mp flags; do
  mp=$(printf '%b' "$mp")
  case "$mp" in "$box" | /run | /run/* | /dev | /dev/*) continue ;; esac
  keep=$(printf '%s' "$flags" | tr ',' '\n' | grep -E '^(nosuid|nodev|noexec|noatime|nodiratime|relatime)$' | tr '\n' ',')
  mount -o "remount,bind,ro,$keep" "$mp" 2>/dev/null || mount -o "remount,bind,ro" "$mp" 2>/dev/null || true
done
# A check that cannot prove its read-only root stops here rather than run unconfined.
if touch /sipwall-rw-probe 2>/dev/null; then rm -f /sipwall-rw-probe; echo "sipwall: the check's root file system is still writable" >&2; exit 97; fi
cd box
set +e
`;

/**
 * Runs `script` (sh) in a new network and mount namespace with the files in its working folder,
 * on a file system where it can write nothing that outlives it (SANDBOX above). As root
 * `unshare -n -m`; otherwise `unshare -rnm` (user namespace), which only holds small rulesets:
 * its netlink buffer refuses nft files from about 1,000 prefixes on (target-formats.md).
 */
export function inNetns(files: Record<string, string>, script: string, timeoutMs = 120_000): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-check-'));
  try {
    for (const sub of ['in', 'box', 'devs']) mkdirSync(join(dir, sub));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'in', name), content);
    const unshare = process.getuid?.() === 0 ? ['-n', '-m'] : ['-rnm'];
    const run = spawnSync('unshare', [...unshare, 'sh', '-c', `${SANDBOX}${script}`], { cwd: dir, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.trim();
    return { ok: run.status === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
