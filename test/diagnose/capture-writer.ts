/** Writes captures for the tests: UDP/TCP over IPv4/IPv6 in the link types and file formats tcpdump writes. */

export interface Spec {
  time: number;
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  protocol?: 'udp' | 'tcp';
  payload: Buffer | string;
  /** IPv4 "more fragments". */
  fragment?: boolean;
}

function v4(a: string): Buffer {
  return Buffer.from(a.split('.').map(Number));
}

function v6(a: string): Buffer {
  const [head, tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((w) => parseInt(w, 16));
  const b = Buffer.alloc(16);
  words.forEach((w, i) => b.writeUInt16BE(w, 2 * i));
  return b;
}

/** The IP packet (no link header). */
export function ipPacket(s: Spec): Buffer {
  const payload = Buffer.isBuffer(s.payload) ? s.payload : Buffer.from(s.payload, 'latin1');
  const tcp = s.protocol === 'tcp';
  const l4 = Buffer.alloc(tcp ? 20 : 8);
  l4.writeUInt16BE(s.sourcePort, 0);
  l4.writeUInt16BE(s.destinationPort, 2);
  if (tcp) l4[12] = 5 << 4;
  else l4.writeUInt16BE(8 + payload.length, 4);
  const body = Buffer.concat([l4, payload]);
  if (s.source.includes(':')) {
    const h = Buffer.alloc(40);
    h[0] = 0x60;
    h.writeUInt16BE(body.length, 4);
    h[6] = tcp ? 6 : 17;
    h[7] = 64;
    v6(s.source).copy(h, 8);
    v6(s.destination).copy(h, 24);
    return Buffer.concat([h, body]);
  }
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + body.length, 2);
  if (s.fragment) h.writeUInt16BE(0x2000, 6);
  h[8] = 64;
  h[9] = tcp ? 6 : 17;
  v4(s.source).copy(h, 12);
  v4(s.destination).copy(h, 16);
  return Buffer.concat([h, body]);
}

export type Link = 'ethernet' | 'vlan' | 'sll' | 'sll2' | 'raw';
const LINK_TYPE: Record<Link, number> = { ethernet: 1, vlan: 1, sll: 113, sll2: 276, raw: 101 };

function framed(ip: Buffer, link: Link): Buffer {
  const type = ip[0]! >> 4 === 6 ? 0x86dd : 0x0800;
  const t = Buffer.alloc(2);
  t.writeUInt16BE(type);
  switch (link) {
    case 'ethernet':
      return Buffer.concat([Buffer.alloc(12, 0x02), t, ip]);
    case 'vlan':
      return Buffer.concat([Buffer.alloc(12, 0x02), Buffer.from([0x81, 0x00, 0x00, 0x64]), t, ip]);
    case 'sll':
      return Buffer.concat([Buffer.alloc(14), t, ip]);
    case 'sll2':
      return Buffer.concat([t, Buffer.alloc(18), ip]);
    case 'raw':
      return ip;
  }
}

export function pcap(specs: readonly Spec[], options: { link?: Link; big?: boolean; nano?: boolean } = {}): Buffer {
  const link = options.link ?? 'ethernet';
  const w32 = (b: Buffer, v: number, at: number) => (options.big ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  const head = Buffer.alloc(24);
  w32(head, options.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  (options.big ? head.writeUInt16BE.bind(head) : head.writeUInt16LE.bind(head))(2, 4);
  (options.big ? head.writeUInt16BE.bind(head) : head.writeUInt16LE.bind(head))(4, 6);
  w32(head, 262144, 16);
  w32(head, LINK_TYPE[link], 20);
  const records = specs.map((s) => {
    const data = framed(ipPacket(s), link);
    const r = Buffer.alloc(16);
    w32(r, Math.floor(s.time), 0);
    w32(r, Math.round((s.time % 1) * (options.nano ? 1e9 : 1e6)), 4);
    w32(r, data.length, 8);
    w32(r, data.length, 12);
    return Buffer.concat([r, data]);
  });
  return Buffer.concat([head, ...records]);
}

/** pcapng: a section, one interface (nanosecond if_tsresol when asked), enhanced packet blocks. */
export function pcapng(specs: readonly Spec[], options: { link?: Link; nano?: boolean } = {}): Buffer {
  const link = options.link ?? 'ethernet';
  const block = (type: number, body: Buffer) => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const b = Buffer.alloc(12 + padded.length);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(b.length, 4);
    padded.copy(b, 8);
    b.writeUInt32LE(b.length, b.length - 4);
    return b;
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const idb = Buffer.alloc(8 + (options.nano ? 12 : 0));
  idb.writeUInt16LE(LINK_TYPE[link], 0);
  idb.writeUInt32LE(262144, 4);
  if (options.nano) {
    idb.writeUInt16LE(9, 8);
    idb.writeUInt16LE(1, 10);
    idb[12] = 9;
  }
  const units = options.nano ? 1e9 : 1e6;
  const epbs = specs.map((s) => {
    const data = framed(ipPacket(s), link);
    const h = Buffer.alloc(20);
    const t = BigInt(Math.round(s.time * units));
    h.writeUInt32LE(0, 0);
    h.writeUInt32LE(Number(t >> 32n), 4);
    h.writeUInt32LE(Number(t & 0xffffffffn), 8);
    h.writeUInt32LE(data.length, 12);
    h.writeUInt32LE(data.length, 16);
    return block(6, Buffer.concat([h, data]));
  });
  return Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), ...epbs]);
}

export function rtp(seq: number, ssrc = 0x1234, pt = 0): Buffer {
  const b = Buffer.alloc(172);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(seq * 160, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

export function sip(start: string, headers: Record<string, string>, sdp?: string): string {
  const body = sdp ?? '';
  const lines = [start, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), ...(sdp ? ['Content-Type: application/sdp'] : []), `Content-Length: ${Buffer.byteLength(body)}`, '', body];
  return lines.join('\r\n');
}

export function sdpOf(address: string, port: number, pts = '0 8'): string {
  return `v=0\r\no=- 1 1 IN IP4 ${address}\r\ns=-\r\nc=IN IP4 ${address}\r\nt=0 0\r\nm=audio ${port} RTP/AVP ${pts}\r\na=rtpmap:0 PCMU/8000\r\n`;
}
