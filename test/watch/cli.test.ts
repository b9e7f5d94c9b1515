/**
 * `sipwall watch`, `history` and `exporter` as a user runs them: one round against a responder,
 * the history read back, bad input refused in one line, SIGHUP with a broken config keeping
 * the old one, SIGTERM finishing the round with exit 0, and the systemd units passing
 * `systemd-analyze verify` without a warning.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readBounded } from '../../src/cli/read.js';
import { Responder } from '../../src/probe/responder.js';
import { runCli } from '../helpers/cli.js';
import { freePort, rtpResponder } from '../helpers/ports.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'sipwall.cjs');
const dir = mkdtempSync(join(tmpdir(), 'sipwall-watch-cli-'));
let port: number;
let responder: Responder;

function config(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

beforeAll(async () => {
  port = await freePort();
  responder = new Responder({ sip: [{ transport: 'udp', port }, { transport: 'tcp', port }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 1000, rtpRate: 1, log: () => undefined });
  await responder.start();
});
afterAll(async () => {
  await responder.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An Io that records output and hands the stop and reload callbacks to the test. */
function recordingIo() {
  const out = { stdout: '', stderr: '', stop: undefined as (() => void) | undefined, reload: undefined as (() => void) | undefined };
  const io: Io = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    readFile: readBounded,
    listFolder: () => [],
    writeFiles: () => [],
    now: () => new Date(),
    stderrIsTTY: false,
    env: {},
    onStop: (f) => void (out.stop = f),
    onReload: (f) => void (out.reload = f),
  };
  return { io, out };
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(done()).toBe(true);
}

describe('sipwall watch --once and sipwall history', () => {
  it('one round: up for the responder, down for a refused port (exit 3); the history says so', async () => {
    const closed = await freePort();
    const history = join(dir, 'history-once');
    const path = config('once.yaml', `history: { dir: ${history} }\nchecks:\n  - { name: up-udp, target: "127.0.0.1:${port}", transport: udp, expect: { status: 200 } }\n  - { name: up-tcp, target: "127.0.0.1:${port}", transport: tcp }\n  - { name: refused, target: "127.0.0.1:${closed}", transport: tcp }\n`);
    const run = await runCli(['watch', '--config', path, '--once', '--json']);
    expect(run.code, run.stderr).toBe(3);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { check: string; ok: boolean; status?: number });
    expect(lines.map((l) => [l.check, l.ok, l.status])).toEqual([
      ['up-udp', true, 200],
      ['up-tcp', true, 200],
      ['refused', false, undefined],
    ]);
    const report = await runCli(['history', '--dir', history, '--json'], new Date());
    const checks = (JSON.parse(report.stdout) as { checks: Array<{ check: string; uptimePercent: number; runs: number }> }).checks;
    expect(checks.map((c) => [c.check, c.runs, c.uptimePercent])).toEqual([
      ['refused', 1, 0],
      ['up-tcp', 1, 100],
      ['up-udp', 1, 100],
    ]);
    const text = await runCli(['history', '--dir', history, '--check', 'up-udp'], new Date());
    expect(text.stdout).toMatch(/^up-udp: 100 % up \(1\/1\), RTT p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, 0 retransmissions, 0 state changes\n {2}[·▁▂▃▄▅▆▇█×]{24} {2}last: up /);
  });

  it.each([
    [['watch'], /--config: is missing/],
    [['watch', '--config', '/nonexistent/checks.yaml'], /--config \/nonexistent\/checks.yaml: cannot be read \(ENOENT\)/],
    [['watch', '--config', 'watch-refused.yaml', '--json'], /--json: goes with --once/],
    [['watch', '--config', 'checks.yaml', '--print-systemd'], /--config: "checks.yaml" is relative/],
    [['history'], /--config: is missing/],
    [['history', '--dir', '/tmp', '--config', 'x.yaml'], /--dir: cannot go with --config/],
    [['history', '--dir', '/tmp', '--since', 'yesterday'], /--since: "yesterday" is not a duration/],
    [['exporter', '--listen', '9877'], /--listen: "9877" is not host:port/],
  ])('%j: one line, exit 2', async (argv, message) => {
    const run = await runCli(argv);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a history folder that is a file: one line naming it, exit 2', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const run = await runCli(['watch', '--once', '--config', config('file.yaml', `history: { dir: ${file} }\nchecks: [{ name: a, target: "127.0.0.1:${port}" }]\n`)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/history.dir .*a-file: cannot be used \(EEXIST\)/);
  });
});

describe('rtp checks', () => {
  it('a sample of the responder\'s RTP ports: open, no loss either way; a range where nothing echoes is down', async () => {
    const { responder: rtp, base } = await rtpResponder(4);
    try {
      const path = config('rtp.yaml', `history: { dir: ${join(dir, 'history-rtp')} }\nchecks:\n  - { name: media, target: 127.0.0.1, probe: rtp, rtp: { ports: "${base}-${base + 3}", sample: 4, count: 5, interval: 5ms, sip: "udp:${base + 10}" }, expect: { maxLoss: 0 } }\n  - { name: silent, target: 127.0.0.1, probe: rtp, rtp: { ports: "${base + 4}-${base + 5}", sample: 2, count: 2, interval: 5ms, sip: "udp:${base + 10}" } }\n`);
      const run = await runCli(['watch', '--config', path, '--once', '--json']);
      const results = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(results[0]).toMatchObject({ check: 'media', ok: true, outcome: 'open', rtpOpen: 4, rtpPorts: 4, rtpLoss: { inbound: 0, return: 0 } });
      expect(results[1]).toMatchObject({ check: 'silent', ok: false, outcome: 'closed', rtpOpen: 0, rtpPorts: 2, why: expect.stringMatching(/2 of 2 ports silent \(never arrived 2\)/) });
      expect(run.code).toBe(3);
    } finally {
      await rtp.stop();
    }
  });

  it('probe: rtp without its range, or with a port in the target: one line naming the field', async () => {
    for (const [body, message] of [
      ['checks: [{ name: m, target: 127.0.0.1, probe: rtp }]', /checks\.0\.rtp: is missing for probe: rtp/],
      ['checks: [{ name: m, target: "127.0.0.1:5060", probe: rtp, rtp: { ports: 10000-20000 } }]', /checks\.0\.target: is not a bare host/],
      ['checks: [{ name: m, target: 127.0.0.1, rtp: { ports: 10000-20000 } }]', /checks\.0\.rtp: is only for probe: rtp/],
    ] as const) {
      const run = await runCli(['watch', '--once', '--config', config('bad-rtp.yaml', body)]);
      expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
  });
});

describe('sipwall watch on schedule', () => {
  it('SIGHUP with a broken config keeps the running one and says why; a good one is taken; SIGTERM finishes with exit 0', async () => {
    const path = config('live.yaml', `history: { dir: ${join(dir, 'history-live')} }\nchecks: [{ name: live, target: "127.0.0.1:${port}", interval: 1s }]\n`);
    const { io, out } = recordingIo();
    const code = main(['watch', '--config', path], io);
    await until(() => out.reload !== undefined);
    writeFileSync(path, 'checks: [');
    out.reload!();
    await until(() => /reload failed, keeping the running config: config .*live.yaml: is not valid YAML/.test(out.stdout));
    writeFileSync(path, `history: { dir: ${join(dir, 'history-live')} }\nchecks: [{ name: live, target: "127.0.0.1:${port}", interval: 1s }, { name: second, target: "127.0.0.1:${port}", transport: tcp, interval: 1s }]\n`);
    out.reload!();
    await until(() => /reloaded .*live.yaml: 2 checks/.test(out.stdout));
    out.stop!();
    expect(await code).toBe(0);
    expect(out.stdout).toMatch(/stopping: finishing the running checks\n.*stopped\n$/);
  });

  it('the stop handler is in place before the line that says it runs (a SIGTERM sent on that line is caught)', async () => {
    const path = config('order.yaml', `history: { dir: ${join(dir, 'history-order')} }\nchecks: [{ name: o, target: "127.0.0.1:${port}", interval: 1s }]\n`);
    const exporterPort = await freePort();
    for (const [argv, ready] of [
      [['watch', '--config', path], 'watching 1 checks'],
      [['exporter', '--listen', `127.0.0.1:${exporterPort}`], 'exporter on'],
      [['responder', '--sip', `udp:${await freePort()}`, '--bind', '127.0.0.1'], 'ready:'],
    ] as const) {
      const events: string[] = [];
      const { io, out } = recordingIo();
      const record: Io = { ...io, stdout: (t) => (events.push(t), io.stdout(t)), onStop: (f) => (events.push('stop handler'), io.onStop(f)) };
      const code = main([...argv], record);
      await until(() => out.stop !== undefined && events.some((e) => e.includes(ready)));
      expect(events.findIndex((e) => e === 'stop handler'), argv[0]).toBeLessThan(events.findIndex((e) => e.includes(ready)));
      out.stop!();
      expect(await code).toBe(0);
    }
  });

  it('the real process: SIGTERM exits 0', async () => {
    const path = config('proc.yaml', `history: { dir: ${join(dir, 'history-proc')} }\nchecks: [{ name: p, target: "127.0.0.1:${port}", interval: 1s }]\n`);
    const child = spawn(process.execPath, [BIN, 'watch', '--config', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    await until(() => stdout.includes('watching 1 checks'));
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
  });
});

describe('systemd units', () => {
  const have = spawnSync('systemd-analyze', ['--version']).status === 0;
  if (!have && process.env.CI) throw new Error('systemd-analyze is missing: .ci/run installs systemd');
  it.runIf(have).each([[[]], [['--timer']]])('--print-systemd %j passes systemd-analyze verify without a warning', async (extra) => {
    const run = await runCli(['watch', '--config', '/etc/sipwall/checks.yaml', '--print-systemd', ...extra]);
    expect(run.code).toBe(0);
    const units = extra.length === 0 ? [['sipwall-watch.service', run.stdout]] : run.stdout.split(/^# (sipwall-watch\.\w+)\n/m).slice(1).reduce<string[][]>((a, v, i, all) => (i % 2 === 0 ? [...a, [v, all[i + 1]!]] : a), []);
    const folder = mkdtempSync(join(dir, 'units-'));
    for (const [name, text] of units) writeFileSync(join(folder, name!), text!);
    const verify = spawnSync('systemd-analyze', ['verify', ...units.map(([name]) => join(folder, name!))], { encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stderr + verify.stdout).toBe('');
    expect(run.stdout).toMatch(/DynamicUser=yes\n[\s\S]*NoNewPrivileges=yes\n[\s\S]*ProtectSystem=strict\n/);
    expect(run.stdout).toContain('StateDirectory=sipwall');
  });
});
