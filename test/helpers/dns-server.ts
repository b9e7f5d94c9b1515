/**
 * A tiny authoritative DNS server on loopback (dns-packet over UDP) for RFC 3263 tests: it
 * answers the records it is given and NXDOMAIN otherwise. Never forwards anything.
 */
import dgram from 'node:dgram';
import dnsPacket, { type Answer } from 'dns-packet';

export interface FakeDns {
  readonly server: string;
  close(): Promise<void>;
}

export async function startFakeDns(records: Answer[]): Promise<FakeDns> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (bytes, rinfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(bytes);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q) return;
    const answers = records.filter((r) => r.name.toLowerCase() === q.name.toLowerCase() && r.type === q.type);
    const known = records.some((r) => r.name.toLowerCase() === q.name.toLowerCase());
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (known ? 0 : 3), // rcode 3: NXDOMAIN
      questions: [q],
      answers,
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { server: `127.0.0.1:${socket.address().port}`, close: () => new Promise((r) => socket.close(() => r())) };
}
