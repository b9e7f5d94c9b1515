/**
 * stdout and stderr (src/cli/stdio.ts). A command writes to the descriptors: a reader that goes
 * away ends the writing quietly (it was an unhandled EPIPE with a stack trace), a descriptor made
 * non-blocking by someone else is waited on rather than cut short, and nothing is lost. A
 * service writes through Node's stream: a reader that stalls or goes away never stops it
 * answering. Through the built CLI, as users run it, with their pipes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKLOG_BYTES, descriptorWriter, droppedLine, streamWriter } from '../../src/cli/stdio.js';
import { freePort } from '../helpers/ports.js';

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

  it('on Windows the stream writes (its console wants UTF-16), and drops nothing however much it holds', () => {
    const seen: string[] = [];
    const write = descriptorWriter(1, () => ({ write: (t: string) => seen.push(t), on: () => undefined, writableLength: 2 * BACKLOG_BYTES }) as never, 'win32');
    write('héllo\n');
    write('world\n');
    expect(seen).toEqual(['héllo\n', 'world\n']);
  });
});

writeFileSync(join(dir, 'nonblock.cjs'), 'process.stdout;\n');

/** An OPTIONS request as a plain client sends it. */
const OPTIONS = (n: number) =>
  [`OPTIONS sip:probe@127.0.0.1 SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bK${n};rport`, 'From: <sip:a@127.0.0.1>;tag=1', 'To: <sip:probe@127.0.0.1>', `Call-ID: ${n}@127.0.0.1`, 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n');

/** Sends `count` requests in rounds of 100 and counts the answers; a round waits at most 5 s. */
async function answered(port: number, count: number): Promise<number> {
  const socket = dgram.createSocket('udp4');
  let answers = 0;
  socket.on('message', () => answers++);
  await new Promise<void>((res) => socket.bind(0, '127.0.0.1', () => res()));
  try {
    for (let sent = 0; sent < count; ) {
      const round = Math.min(100, count - sent);
      for (let i = 0; i < round; i++) socket.send(OPTIONS(sent + i), port, '127.0.0.1');
      sent += round;
      for (let waited = 0; answers < sent && waited < 5000; waited += 10) await new Promise((res) => setTimeout(res, 10));
      if (answers < sent) break;
    }
    return answers;
  } finally {
    socket.close();
  }
}

describe("a service's output", () => {
  it('past the backlog a stalled reader leaves unread, lines are dropped and counted, then told once the reader catches up', () => {
    const written: string[] = [];
    const told: number[] = [];
    const stream = { writableLength: 0, write: (t: string) => written.push(t), on: () => undefined };
    const write = streamWriter(() => stream as never, { bytes: BACKLOG_BYTES, dropped: (n) => told.push(n) });
    write('a\n');
    stream.writableLength = BACKLOG_BYTES; // at the backlog: still written
    write('b\n');
    stream.writableLength = BACKLOG_BYTES + 1;
    for (let i = 0; i < 1000; i++) write(`lost ${i}\n`);
    expect([written, told]).toEqual([['a\n', 'b\n'], []]);
    stream.writableLength = 0;
    write('c\n');
    write('d\n');
    expect([written, told]).toEqual([['a\n', 'b\n', 'c\n', 'd\n'], [1000]]);
    // Told through the writer itself (as the services' stderr does it): the count comes first.
    const own: string[] = [];
    const full = { writableLength: BACKLOG_BYTES + 1, write: (t: string) => own.push(t), on: () => undefined };
    const self: (text: string) => void = streamWriter(() => full as never, { bytes: BACKLOG_BYTES, dropped: (n) => self(droppedLine(n)) });
    self('x\n');
    full.writableLength = 0;
    self('y\n');
    expect(own).toEqual([droppedLine(1), 'y\n']);
    expect(droppedLine(1)).toBe('sipwall: 1 line of output dropped: the reader fell 4 MiB behind\n');
  });

  const responder = async (): Promise<{ child: ChildProcess; port: number }> => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'responder', '--bind', '127.0.0.1', '--sip', `udp:${port}`, '--sip-rate', '1000000', '--duration', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((ready, fail) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ready());
      child.on('exit', (code) => fail(new Error(`responder exited ${code}`)));
    });
    return { child, port };
  };

  it('a reader that stops reading never stops the responder answering (a line a request, 300 KB)', async () => {
    const { child, port } = await responder();
    try {
      // No more reading: the pipe (64 KiB) fills after some 700 lines. A blocking write there
      // would stop the responder at that request.
      child.stdout!.pause();
      expect(await answered(port, 3000)).toBe(3000);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('a reader that goes away: the responder answers on, without a stack trace', async () => {
    const { child, port } = await responder();
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      child.stdout!.destroy();
      expect(await answered(port, 200)).toBe(200);
      expect(child.exitCode).toBeNull();
      expect(stderr).not.toMatch(/EPIPE|Error|at /);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
