/**
 * Issue 15, start-up: bin/sipwall.cjs loads the bundle through V8's code cache, and when there is
 * none (or V8 rejects it, after a Node upgrade) it writes one at exit. It runs a warm-up render
 * first (src/cli/entry.ts warm), so that the cache holds the render and profile code whatever the
 * command was: a cache written by `--version` alone made `render --profile` 40 ms slower.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** A copy of bin/ and dist/ without the code cache. */
function install(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-cache-'));
  for (const f of ['bin/sipwall.cjs', 'dist/sipwall.cjs']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  return dir;
}

const run = (dir: string, args: string[]) => spawnSync(process.execPath, [join(dir, 'bin', 'sipwall.cjs'), ...args], { encoding: 'utf8', timeout: 60_000, cwd: ROOT });
const cacheSize = (dir: string) => statSync(join(dir, 'dist', 'sipwall.cjs.cache')).size;

describe('the code cache', () => {
  it('written by --version holds what a render with a profile compiles', () => {
    const [a, b] = [install(), install()];
    const version = run(a, ['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const render = run(b, ['render', '--profile', 'examples/profiles/my-trunk.yaml', '--pbx', 'asterisk', '--target', 'nftables']);
    expect(render.status, render.stderr).toBe(0);
    // Without the warm-up, --version wrote 69 % of what a render writes (705 against 1,017 KB).
    expect(cacheSize(a)).toBeGreaterThanOrEqual(0.97 * cacheSize(b));
  });

  it('the warm-up leaves the command as it was: its output, its exit code, nothing written', () => {
    const dir = install();
    const bad = run(dir, ['render', '-p', 'flynumber', '--target', 'nosuch']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^sipwall: --target: unknown target "nosuch"/);
    expect(existsSync(join(dir, 'dist', 'sipwall.cjs.cache'))).toBe(true);
    const version = run(dir, ['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(version.stderr).toBe('');
  });
});
