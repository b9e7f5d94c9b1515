/**
 * stdout and stderr written to their descriptors (src/cli/stdio.ts): a reader that goes away
 * ends the writing quietly (it was an unhandled EPIPE with a stack trace), a descriptor made
 * non-blocking by someone else is waited on rather than cut short, and nothing is lost.
 * Through the built CLI, as users run it, with their pipes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descriptorWriter } from '../../src/cli/stdio.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
const dir = mkdtempSync(join(tmpdir(), 'sipwall-stdio-'));
/** A profile of 20,000 IPv6 documentation addresses (2001:db8::/32), each once: 300 KB of nftables. */
const feed = join(dir, 'feed.yaml');
writeFileSync(join(dir, 'feed.txt'), Array.from({ length: 20_000 }, (_, i) => `2001:db8::${(2 * i + 1).toString(16)}`).join('\n'));
writeFileSync(feed, 'id: feed\nname: Feed\nsource: https://example.com/\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses: { file: feed.txt }\n    transports: { udp: 5060 }\n');
const ARGS = [BIN, 'render', '--profile', feed, '--pbx', 'asterisk', '--target', 'nftables'];

/** Runs the CLI with `preload` first; its stdout is read only after `wait` ms, or never. */
function run(preload: string[], wait: number | 'never'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...preload, ...ARGS], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (wait === 'never') child.stdout.destroy();
    else {
      child.stdout.pause();
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      setTimeout(() => child.stdout.resume(), wait);
    }
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('stdout and stderr', () => {
  const whole = spawnSync(process.execPath, ARGS, { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 });

  it('the whole ruleset reaches a pipe (the reference run)', () => {
    expect(whole.status, whole.stderr).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(200_000);
    expect(whole.stdout).toMatch(/2001:db8::9c3f[,\n ]/);
  });

  it('a reader that goes away (`| head`): no stack trace, the notes still on stderr, exit 0', async () => {
    const r = await run([], 'never');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.stderr).toContain('sipwall: warning: standalone mode');
  });

  it('a pipe made non-blocking by another holder is waited on: every byte arrives, in order', async () => {
    // process.stdout, made first, sets O_NONBLOCK on the pipe (libuv); writes then meet EAGAIN
    // once the pipe's 64 KiB are full and this side has not read yet.
    const r = await run(['--require', join(dir, 'nonblock.cjs')], 300);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(whole.stdout);
  });

  it('on Windows the stream writes (its console wants UTF-16)', () => {
    const seen: string[] = [];
    const write = descriptorWriter(1, () => ({ write: (t: string) => seen.push(t) }) as unknown as NodeJS.WritableStream, 'win32');
    write('héllo\n');
    expect(seen).toEqual(['héllo\n']);
  });
});

writeFileSync(join(dir, 'nonblock.cjs'), 'process.stdout;\n');
