/**
 * Interop with a real SIP peer on loopback: sipp (Debian sip-tester) as a server answering our
 * OPTIONS over udp and tcp, and as a client sending OPTIONS to our responder.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Responder } from '../../src/probe/responder.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { freePort, listening } from '../helpers/ports.js';
import { toolsMissing } from '../helpers/tools.js';

const skip = toolsMissing('sipp');
const SCENARIOS = join(FIXTURES, 'sipp');

describe.skipIf(skip)('sipp interop', () => {
  it.each([
    ['udp', 'u1'],
    ['tcp', 't1'],
  ])('sipp answers probe sip over %s', async (transport, mode) => {
    const port = await freePort();
    const sipp = spawn('sipp', ['-sf', join(SCENARIOS, 'options-uas.xml'), '-i', '127.0.0.1', '-p', String(port), '-t', mode, '-m', '1', '-nostdin', '-timeout', '15s'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => sipp.on('exit', r));
    try {
      await listening(port, transport === 'udp' ? 'udp' : 'tcp');
      const run = await runCli(['probe', 'sip', `127.0.0.1:${port}`, '--transport', transport, '--timeout', '2000', '--json']);
      expect(run.code, run.stdout).toBe(0);
      expect(JSON.parse(run.stdout).results[0]).toMatchObject({ outcome: 'answered', status: 200, server: 'sipp', allow: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'], alg: { checked: false } });
      expect(await exited).toBe(0);
    } finally {
      sipp.kill('SIGKILL');
    }
  });

  it.each([
    ['udp', 'u1'],
    ['tcp', 't1'],
  ])('our responder answers sipp\'s OPTIONS over %s', async (transport, mode) => {
    const [port, sippPort] = [await freePort(), await freePort()];
    const lines: string[] = [];
    const responder = new Responder({ sip: [{ transport: transport as 'udp' | 'tcp', port }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 20, rtpRate: 10, log: (l) => lines.push(l) });
    await responder.start();
    try {
      // spawnSync would block this process's event loop, and the responder with it: run async.
      const sipp = spawn('sipp', ['-sf', join(SCENARIOS, 'options-uac.xml'), `127.0.0.1:${port}`, '-i', '127.0.0.1', '-p', String(sippPort), '-t', mode, '-m', '1', '-s', 'probe', '-nostdin', '-timeout', '10s'], { stdio: 'ignore' });
      const code = await new Promise<number | null>((r) => sipp.on('exit', r));
      expect(code).toBe(0);
      expect(lines.some((l) => new RegExp(`^sip ${transport} 127\\.0\\.0\\.1:\\d+: OPTIONS sip:probe@127\\.0\\.0\\.1:${port} → 200$`).test(l)), lines.join('\n')).toBe(true);
    } finally {
      await responder.stop();
    }
  });
});

