/**
 * Issue 10.4 and 10.5: --out writes all files of a run or none, through a private staging folder;
 * a planted symlink is replaced, never followed; a full disk or an unwritable folder is one line,
 * exit 2, and the folder as it was.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAll } from '../../src/cli/write.js';
import { InputError } from '../../src/net/errors.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
const files = [
  { name: 'iptables.rules.v4', content: 'new v4\n', mode: 0o644 },
  { name: 'iptables.rules.v6', content: 'new v6\n', mode: 0o644 },
];

describe('writeAll', () => {
  it('replaces a symlink planted at a final name or at the old predictable temporary name, never following it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-out-'));
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, 'iptables.rules.v4'));
    symlinkSync(victim, join(dir, `iptables.rules.v6.tmp-${process.pid}`));
    const written = writeAll(dir, files);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(written[0]!).isSymbolicLink()).toBe(false);
    expect(readFileSync(written[0]!, 'utf8')).toBe('new v4\n');
    expect(readFileSync(written[1]!, 'utf8')).toBe('new v6\n');
    // Nothing of the staging folder is left.
    expect(readdirSync(dir).filter((n) => n.startsWith('.sipwall-'))).toEqual([]);
  });

  it('writes long texts as their exact UTF-8 bytes, also where a piece ends inside a surrogate pair', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-out-'));
    // Pieces are 2^18 UTF-16 units: a 4-byte character (two units) across each boundary, the
    // largest (3 bytes a unit) filling a piece, and an ASCII tail; then a text of many pieces.
    const piece = 2 ** 18;
    const texts = [
      `${'a'.repeat(piece - 1)}😀${'b'.repeat(piece - 2)}😀tail`,
      '€'.repeat(piece * 2 + 1),
      `${'x'.repeat(1000)}\n`.repeat(1500),
      '',
    ];
    const written = writeAll(dir, texts.map((content, i) => ({ name: `f${i}`, content, mode: 0o644 })));
    written.forEach((path, i) => expect(readFileSync(path).equals(Buffer.from(texts[i]!, 'utf8')), `f${i}`).toBe(true));
  });

  it('writes files in sub-folders (--target all) and keeps their modes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-out-'));
    const [script] = writeAll(dir, [{ name: 'nftables/nftables.sh', content: '#!/bin/sh\n', mode: 0o755 }]);
    expect(script).toBe(join(dir, 'nftables', 'nftables.sh'));
    expect(lstatSync(script!).mode & 0o777).toBe(0o755);
  });

  it('an existing file where the folder should be, or a folder where a file goes: one input error, nothing changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-out-'));
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expect(() => writeAll(file, files)).toThrow(InputError);
    expect(() => writeAll(file, files)).toThrow(/cannot be written \((ENOTDIR|EEXIST)/);
    mkdirSync(join(dir, 'iptables.rules.v6'));
    writeFileSync(join(dir, 'iptables.rules.v4'), 'old v4\n');
    expect(() => writeAll(dir, files)).toThrow(/EISDIR at iptables.rules.v6/);
    expect(readFileSync(join(dir, 'iptables.rules.v4'), 'utf8')).toBe('old v4\n');
    expect(readdirSync(dir).sort()).toEqual(['file', 'iptables.rules.v4', 'iptables.rules.v6']);
  });
});

const skip = rootMissing() || toolsMissing('unshare', 'mount');

describe.skipIf(skip)('a full disk (a 64 KiB tmpfs in a mount namespace), as a user runs sipwall', () => {
  /** Runs sipwall with --out on a tiny tmpfs that holds last run's files; lists the folder after. */
  function onTinyDisk(args: string): { status: number | null; stderr: string; after: string } {
    const script = [
      'set -e',
      'd=$(mktemp -d)',
      'mount -t tmpfs -o size=64k tiny "$d"',
      'mkdir "$d/fw" && printf "old v4\\n" > "$d/fw/iptables.rules.v4" && printf "old v6\\n" > "$d/fw/iptables.rules.v6"',
      `set +e; node ${BIN} ${args} --out "$d/fw" 2>"$d/err"; echo "status=$?"`,
      'echo "stderr=$(cat "$d/err")"; rm "$d/err"',
      'cd "$d" && find . -mindepth 1 | sort && cat fw/iptables.rules.v4 fw/iptables.rules.v6',
    ].join('\n');
    const run = spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    const status = /status=(\d+)/.exec(run.stdout)?.[1];
    return { status: status === undefined ? null : Number(status), stderr: /stderr=(.*)/.exec(run.stdout)?.[1] ?? run.stderr, after: run.stdout.replace(/^(status|stderr)=.*\n/gm, '') };
  }

  /** `n` /24s that do not merge (3,000: about 330 kB of iptables rules). */
  function bigProfile(n = 3000): string {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-big-'));
    const addresses = Array.from({ length: n }, (_, i) => `10.${i >> 7}.${(i & 127) * 2}.0/24`);
    const profile = join(dir, 'big.yaml');
    writeFileSync(profile, `id: big\nname: Big\nsource: https://example.com\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses: [${addresses.join(', ')}]\n    transports: { udp: 5060 }\n`);
    return profile;
  }

  it('iptables with a big profile: exit 2, one line, the old v4 and v6 untouched, no temporary left', () => {
    const run = onTinyDisk(`render --profile ${bigProfile()} --target iptables`);
    expect(run.status, run.after).toBe(2);
    expect(run.stderr).toMatch(/^sipwall: --out \S+: cannot be written \(ENOSPC at iptables\.rules\.v\d\); nothing was changed; /);
    expect(run.stderr).not.toMatch(/\n| {4}at /);
    expect(run.after).toBe('./fw\n./fw/iptables.rules.v4\n./fw/iptables.rules.v6\nold v4\nold v6\n');
  });

  it('--target all: nothing of any target is written when one does not fit', () => {
    const run = onTinyDisk(`render --profile ${bigProfile(300)} --pbx asterisk --target all`);
    expect(run.status, run.after).toBe(2);
    expect(run.stderr).toMatch(/ENOSPC/);
    expect(run.after).toBe('./fw\n./fw/iptables.rules.v4\n./fw/iptables.rules.v6\nold v4\nold v6\n');
  });

  it('an unwritable --out (a read-only mount) is one line, exit 2, not an internal error', () => {
    const run = spawnSync('unshare', ['-m', 'sh', '-c', `d=$(mktemp -d) && mount -t tmpfs -o size=64k,ro tiny "$d" && node ${BIN} render -p flynumber --target iptables --out "$d"`], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^sipwall: --out \S+: cannot be written \(EROFS\); nothing was changed; give a folder you can write to\b.*\n$/);
  });
});
