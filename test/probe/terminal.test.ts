/**
 * On a terminal (a pty made by script(1)) probe sip shows an ora spinner on stderr, in colour
 * unless NO_COLOR is set; in a pipe, and on a terminal without a width, plain lines only.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Responder } from '../../src/probe/responder.js';
import { freePort } from '../helpers/ports.js';
import { toolsMissing } from '../helpers/tools.js';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
let PORT = 0;
let responder: Responder;

beforeAll(async () => {
  PORT = await freePort();
  responder = new Responder({ sip: [{ transport: 'udp', port: PORT }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 50, rtpRate: 10, log: () => undefined });
  await responder.start();
});
afterAll(() => responder.stop());

/** Runs a shell command (async: the responder lives in this process) and returns its output. */
function sh(command: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    // A user's terminal: without CI=true (under which chalk turns colour off) and with a TERM.
    const userEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'CI'));
    const child = spawn('sh', ['-c', command], { env: { ...userEnv, TERM: 'xterm-256color', ...env, NO_COLOR: env.NO_COLOR ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

const ESC = String.fromCharCode(27);
/** The probe command (PORT is known once the responder runs). */
const probeCommand = () => `${process.execPath} ${CLI} probe sip 127.0.0.1:${PORT} --transport udp`;

describe.skipIf(toolsMissing('script'))('terminal output', () => {
  it('a spinner on a terminal, coloured unless NO_COLOR; plain lines in a pipe', async () => {
    const probe = probeCommand();
    const coloured = await sh(`script -qec "stty cols 100; ${probe}" /dev/null`);
    expect(coloured).toContain('probing 1 target');
    expect(coloured).toContain(`${ESC}[36m`);
    expect(coloured).toMatch(/1 probe: 1 answered \(exit 0\)/);
    const plain = await sh(`script -qec "stty cols 100; ${probe}" /dev/null`, { NO_COLOR: '1' });
    expect(plain).toContain('probing 1 target');
    expect(plain).not.toMatch(new RegExp(`${ESC}\\[3\\dm`));
    const piped = await sh(`${probe} 2>&1 | cat`);
    expect(piped).not.toContain(ESC);
    expect(piped.trim().split('\n').at(-1)).toBe('1 probe: 1 answered (exit 0)');
    // --quiet on a terminal: the result, no spinner and no escape codes.
    const quiet = await sh(`script -qec "stty cols 100; ${probe} --quiet" /dev/null`);
    expect(quiet).not.toContain('probing 1 target');
    expect(quiet).not.toContain(ESC);
    expect(quiet).toMatch(/1 probe: 1 answered \(exit 0\)/);
    // A pty without a width: no spinner (ora would clear lines without end), and it finishes.
    const narrow = await sh(`script -qec "${probe}" /dev/null`);
    expect(narrow).not.toContain('probing 1 target');
    expect(narrow).toMatch(/1 probe: 1 answered/);
  }, 60_000);
});
