/**
 * Issue 11.1-11.3: nothing from the network stops the responder or starves its clients.
 * Port 0 and reflection: spoofed datagrams from a raw socket, in a network namespace of the
 * test's own, against the CLI as a user runs it. TCP: one source at its cap, trickling bytes.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Responder, RESPONDER_LIMITS } from '../../src/probe/responder.js';
import { runCli, FIXTURES } from '../helpers/cli.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
const RAW = join(FIXTURES, 'raw', 'udp-send.py');

const skip = rootMissing() || toolsMissing('unshare', 'ip', 'python3');

describe.skipIf(skip)('spoofed datagrams (raw socket, private namespace)', () => {
  it('port 0 and its own ports as source: dropped and counted; it keeps answering and echoing', () => {
    const script = `
      set -u
      ip link set lo up
      node ${BIN} responder --sip udp:5060,tcp:5060 --rtp 10000-10003 --bind 127.0.0.1 > log 2>&1 &
      pid=$!
      i=0; until grep -q ready log || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
      python3 ${RAW} 0 5060 sip 3
      python3 ${RAW} 0 10000 rtp 3
      python3 ${RAW} 10001 10000 rtp
      python3 ${RAW} 5060 5060 sip
      node ${BIN} probe sip 127.0.0.1:5060 --transport udp --timeout 2000 > /dev/null; echo "udp=$?"
      node ${BIN} probe sip 127.0.0.1:5060 --transport tcp --timeout 2000 > /dev/null; echo "tcp=$?"
      node ${BIN} probe rtp 127.0.0.1 --ports 10000-10003 --all --sip udp:5060 > /dev/null; echo "rtp=$?"
      kill -0 $pid && echo alive
      kill $pid; wait $pid
      cat log`;
    const run = spawnSync('unshare', ['-n', 'sh', '-c', script], { cwd: mkTmp(), encoding: 'utf8', timeout: 60_000 });
    const out = run.stdout;
    expect(out, run.stderr).toMatch(/^udp=0$/m);
    expect(out).toMatch(/^tcp=0$/m);
    expect(out).toMatch(/^rtp=0$/m);
    expect(out).toMatch(/^alive$/m);
    expect(out).toMatch(/dropped 6 \(port 0\)/);
    expect(out).toMatch(/dropped 2 \(own address and port\)/);
    expect(out).not.toMatch(/ERR_SOCKET_BAD_PORT|RangeError/);
  });
});

function mkTmp(): string {
  return spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
}

describe('TCP: one source cannot starve the others', () => {
  let responder: Responder;
  let port: number;
  const held: net.Socket[] = [];
  beforeAll(async () => {
    const probe = net.createServer();
    port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as net.AddressInfo).port)));
    await new Promise((r) => probe.close(r));
    responder = new Responder({ sip: [{ transport: 'tcp', port }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 1000, rtpRate: 1000, log: () => undefined });
    await responder.start();
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await responder.stop();
  });

  /** A connection from `local` that sends the start of a message and then a byte every 200 ms. */
  const trickler = (local = '127.0.0.2') =>
    new Promise<{ socket: net.Socket; closed: Promise<void> }>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: local });
      held.push(socket);
      socket.on('error', () => undefined);
      const closed = new Promise<void>((r) => socket.on('close', () => r()));
      socket.on('connect', () => {
        socket.write('OPTIONS sip:x SIP/2.0\r\n');
        const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('X')), 200);
        resolve({ socket, closed });
      });
    });

  it('a source over its cap is refused; a new client from elsewhere is answered meanwhile', async () => {
    const conns = await Promise.all(Array.from({ length: RESPONDER_LIMITS.perSource + 4 }, () => trickler()));
    // The extra ones are closed by the responder at once (the event, not a timer, ends this wait).
    await Promise.all(conns.slice(RESPONDER_LIMITS.perSource).map((c) => c.closed));
    expect(responder.dropped.get('per-source connection cap')).toBe(4);
    const run = await runCli(['probe', 'sip', `127.0.0.1:${port}`, '--transport', 'tcp', '--timeout', '2000', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).results[0].status).toBe(200);
  });

  it('a message that trickles in is cut at its deadline, however often bytes arrive', async () => {
    const { closed } = await trickler('127.0.0.3');
    const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), RESPONDER_LIMITS.messageMs * 3))]);
    expect(outcome).toBe('closed');
    expect(responder.dropped.get('message deadline')).toBeGreaterThanOrEqual(1);
  }, RESPONDER_LIMITS.messageMs * 4);
});
