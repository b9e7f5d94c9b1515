/** The responder's callback (X-Sipwall-Callback, for diagnose nat): opt-in, bounded, one per source. */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Responder } from '../../src/probe/responder.js';
import { buildOptions, CALLBACK } from '../../src/probe/sip-options.js';
import { parseSipTarget } from '../../src/probe/target.js';
import { freePort } from '../helpers/ports.js';

let responder: Responder | undefined;
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  await responder?.stop();
  responder = undefined;
  for (const s of sockets.splice(0)) s.close();
});

async function start(callback: boolean): Promise<number> {
  const port = await freePort();
  responder = new Responder({ sip: [{ transport: 'udp', port }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 1000, rtpRate: 10, callback, log: () => undefined });
  await responder.start();
  return port;
}

/** Sends OPTIONS with the callback header from a new socket (or `socket`); counts the answers within `ms`. */
async function answersWithin(port: number, value: string, ms: number, times = 1): Promise<number> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  let n = 0;
  socket.on('message', () => n++);
  for (let i = 0; i < times; i++) {
    const request = buildOptions(parseSipTarget(`127.0.0.1:${port}`), 'udp', { address: '127.0.0.1', port: socket.address().port }, [{ name: CALLBACK.header, value }]);
    socket.send(Buffer.from(request.text, 'latin1'), port, '127.0.0.1');
  }
  await new Promise((r) => setTimeout(r, ms));
  return n;
}

describe('responder --callback', () => {
  it('resends the answer after N seconds when started with --callback', async () => {
    const port = await start(true);
    expect(await answersWithin(port, '1', 1600)).toBe(2);
  });

  it('never without --callback', async () => {
    const port = await start(false);
    expect(await answersWithin(port, '1', 1600)).toBe(1);
  });

  it('one callback per source address and port however many ask; none for 0, 301 or text', async () => {
    const port = await start(true);
    expect(await answersWithin(port, '1', 1600, 3)).toBe(4);
    for (const value of ['0', String(CALLBACK.maxSeconds + 1), '1.5', 'x']) expect(await answersWithin(port, value, 1300), value).toBe(1);
  });

  it('stopping the responder cancels what waits (nothing is sent on a closed socket)', async () => {
    const port = await start(true);
    const pending = answersWithin(port, '1', 1600);
    await new Promise((r) => setTimeout(r, 200));
    await responder!.stop();
    responder = undefined;
    expect(await pending).toBe(1);
  });
});
