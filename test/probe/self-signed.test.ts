import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { selfSigned } from '../../src/probe/self-signed.js';

describe('selfSigned', () => {
  it('makes a certificate that node:crypto reads back with the name, dates and key it was given', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    const pems = selfSigned('pbx.example.com', 30, now);
    const cert = new X509Certificate(pems.cert);
    expect(cert.subject).toBe('CN=pbx.example.com');
    expect(cert.issuer).toBe('CN=pbx.example.com');
    expect(new Date(cert.validFrom).getTime()).toBe(now.getTime() - 60_000);
    expect(new Date(cert.validTo).getTime()).toBe(now.getTime() + 30 * 86_400_000);
    expect(cert.ca).toBe(false);
    // Signed by its own key: the key that was returned.
    expect(cert.verify(createPublicKey(pems.key))).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(pems.key))).toBe(true);
    expect(cert.fingerprint.toLowerCase()).toBe(pems.fingerprint);
    expect(cert.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
  });

  it('writes GeneralizedTime after 2049 and cuts a long name to 64 characters', () => {
    const cert = new X509Certificate(selfSigned('h'.repeat(100), 1, new Date('2049-12-31T23:00:00Z')).cert);
    expect(new Date(cert.validTo).toISOString()).toBe('2050-01-01T23:00:00.000Z');
    expect(cert.subject).toBe(`CN=${'h'.repeat(64)}`);
  });

  it('serves TLS: a client that trusts it completes a handshake and sees the same certificate', async () => {
    const pems = selfSigned('localhost', 1);
    const server = createServer({ cert: pems.cert, key: pems.key }, (socket) => socket.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: pems.cert, servername: 'localhost' });
      await once(socket, 'secureConnect');
      expect(socket.authorized).toBe(true);
      expect(socket.getPeerX509Certificate()?.fingerprint.toLowerCase()).toBe(pems.fingerprint);
      socket.destroy();
    } finally {
      server.close();
    }
  });
});
