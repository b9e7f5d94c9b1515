/** Ports for loopback tests: asked of the kernel, never derived from the pid. */
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';

/** A free port for udp and tcp alike (bound then released: a race no other test runs into). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const server = net.createServer();
    const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)));
    await new Promise((r) => server.close(r));
    const udp = dgram.createSocket('udp4');
    const ok = await new Promise<boolean>((r) => {
      udp.once('error', () => r(false));
      udp.bind(port, '127.0.0.1', () => r(true));
    });
    await new Promise<void>((r) => (ok ? udp.close(() => r()) : r()));
    if (ok) return port;
  }
  throw new Error('no free port');
}

/** Waits until something listens on 127.0.0.1:`port` (ss, polled; bounded): a peer started in the background is ready. */
export async function listening(port: number, protocol: 'udp' | 'tcp', timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    const ss = spawnSync('ss', ['-H', protocol === 'udp' ? '-lnu' : '-lnt', `sport = :${port}`], { encoding: 'utf8' });
    if (ss.stdout.trim() !== '') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${protocol} ${port} after ${timeoutMs} ms`);
}

/**
 * A responder on loopback with `ports` RTP ports in a row (its SIP on udp base + 10), tried at
 * random bases until the kernel gives them (bounded: 20 tries). Returns it with the base.
 */
export async function rtpResponder(ports: number): Promise<{ responder: import('../../src/probe/responder.js').Responder; base: number }> {
  const { Responder } = await import('../../src/probe/responder.js');
  for (let i = 0; i < 20; i++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const r = new Responder({ sip: [{ transport: 'udp', port: base + 10 }], rtp: { from: base, to: base + ports - 1 }, allow: undefined, host: '127.0.0.1', sipRate: 1000, rtpRate: 100_000, log: () => undefined });
    try {
      await r.start();
      return { responder: r, base };
    } catch {
      await r.stop();
    }
  }
  throw new Error(`no ${ports} free ports in a row after 20 tries`);
}
