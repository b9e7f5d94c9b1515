/**
 * Captures as tcpdump and sngrep write them: classic pcap (micro- and nanosecond, either byte
 * order) and pcapng (section, interface and enhanced/simple packet blocks), link types Ethernet
 * (with VLAN tags), Linux cooked v1/v2, raw IP and BSD loopback. Decoded down to UDP and TCP
 * payloads over IPv4/IPv6. Pure; bounded by the bytes it is given. IP fragments are not
 * reassembled (they are counted), and TCP payloads are taken segment by segment.
 */
import { formatGroups } from '../net/address.js';

export interface Packet {
  /** Seconds since the epoch. */
  readonly time: number;
  readonly family: 4 | 6;
  readonly protocol: 'udp' | 'tcp';
  readonly source: string;
  readonly destination: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

/** What a capture held besides the packets handed over. */
export interface CaptureCounts {
  /** UDP and TCP packets handed over. */
  readonly packets: number;
  /** Frames that were not UDP or TCP over IP (ARP, ICMP, …), and IP fragments. */
  readonly skipped: number;
  readonly fragments: number;
}

export interface Capture extends Omit<CaptureCounts, 'packets'> {
  readonly packets: Packet[];
}

export class CaptureError extends Error {}

const LINK = { null: 0, ethernet: 1, raw: 101, rawAlt: 12, raw4: 228, raw6: 229, loop: 108, sll: 113, sll2: 276 } as const;

/** Every packet, kept (tests and small captures). */
export function readCapture(bytes: Uint8Array): Capture {
  const packets: Packet[] = [];
  const counts = scanCapture(bytes, (p) => packets.push(p));
  return { ...counts, packets };
}

/**
 * Hands each UDP/TCP packet to `visit` as it is decoded, keeping none: a 230 MB capture needs
 * little beyond its own bytes. The payloads are views into `bytes`.
 */
export function scanCapture(buffer: Uint8Array, visit: (p: Packet) => void): CaptureCounts {
  // A plain Uint8Array: Buffer's subarray costs several times more per packet.
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.length < 24) throw new CaptureError('too short for a pcap or pcapng file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const out: Out = { visit, packets: 0, skipped: 0, fragments: 0 };
  if (magic === 0x0a0d0d0a) readPcapng(bytes, view, out);
  else if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magic)) readPcap(bytes, view, magic, out);
  else throw new CaptureError('not a pcap or pcapng file (unknown magic number)');
  return { packets: out.packets, skipped: out.skipped, fragments: out.fragments };
}

type Out = { visit: (p: Packet) => void; packets: number; skipped: number; fragments: number };

function readPcap(bytes: Uint8Array, view: DataView, magic: number, out: Out): void {
  const little = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const link = view.getUint32(20, little) & 0x0fffffff;
  for (let at = 24; at + 16 <= bytes.length; ) {
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const captured = view.getUint32(at + 8, little);
    if (at + 16 + captured > bytes.length) break; // a capture cut short: keep what is whole
    frame(bytes.subarray(at + 16, at + 16 + captured), link, seconds + fraction / (nano ? 1e9 : 1e6), out);
    at += 16 + captured;
  }
}

function readPcapng(bytes: Uint8Array, view: DataView, out: Out): void {
  let little = true;
  let interfaces: Array<{ link: number; resolution: number }> = [];
  for (let at = 0; at + 12 <= bytes.length; ) {
    const type = view.getUint32(at, little);
    if (type === 0x0a0d0d0a) {
      little = view.getUint32(at + 8, true) === 0x1a2b3c4d;
      interfaces = [];
    }
    const length = view.getUint32(at + 4, little);
    if (length < 12 || length % 4 !== 0 || at + length > bytes.length) break;
    const body = at + 8;
    if (type === 1) interfaces.push({ link: view.getUint16(body, little), resolution: timeResolution(bytes, view, body + 8, at + length - 4, little) });
    else if (type === 6 && length >= 32) {
      const iface = interfaces[view.getUint32(body, little)];
      const time = view.getUint32(body + 4, little) * 2 ** 32 + view.getUint32(body + 8, little);
      const captured = view.getUint32(body + 12, little);
      if (iface && body + 20 + captured <= at + length) frame(bytes.subarray(body + 20, body + 20 + captured), iface.link, time / iface.resolution, out);
    } else if (type === 3 && interfaces[0]) {
      const captured = Math.min(view.getUint32(body, little), length - 16);
      frame(bytes.subarray(body + 4, body + 4 + captured), interfaces[0].link, 0, out);
    }
    at += length;
  }
}

/** if_tsresol (option 9): units per second; microseconds when absent. */
function timeResolution(bytes: Uint8Array, view: DataView, from: number, to: number, little: boolean): number {
  for (let at = from; at + 4 <= to; ) {
    const code = view.getUint16(at, little);
    const length = view.getUint16(at + 2, little);
    if (code === 0) break;
    if (code === 9 && length >= 1) {
      const v = bytes[at + 4]!;
      return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** (v & 0x7f);
    }
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return 1e6;
}

function frame(data: Uint8Array, link: number, time: number, out: Out): void {
  let at: number;
  let ethertype: number | undefined;
  const u16 = (i: number) => (data[i]! << 8) | data[i + 1]!;
  switch (link) {
    case LINK.ethernet:
      if (data.length < 14) return void out.skipped++;
      ethertype = u16(12);
      at = 14;
      while ((ethertype === 0x8100 || ethertype === 0x88a8) && at + 4 <= data.length) {
        ethertype = u16(at + 2);
        at += 4;
      }
      break;
    case LINK.sll:
      if (data.length < 16) return void out.skipped++;
      ethertype = u16(14);
      at = 16;
      break;
    case LINK.sll2:
      if (data.length < 20) return void out.skipped++;
      ethertype = u16(0);
      at = 20;
      break;
    case LINK.null:
    case LINK.loop:
      at = 4;
      break;
    case LINK.raw:
    case LINK.rawAlt:
    case LINK.raw4:
    case LINK.raw6:
      at = 0;
      break;
    default:
      return void out.skipped++;
  }
  if (ethertype !== undefined && ethertype !== 0x0800 && ethertype !== 0x86dd) return void out.skipped++;
  ip(data.subarray(at), time, out);
}

function ip(data: Uint8Array, time: number, out: Out): void {
  if (data.length < 1) return void out.skipped++;
  const version = data[0]! >> 4;
  let protocol: number;
  let at: number;
  let source: string;
  let destination: string;
  let end = data.length;
  if (version === 4) {
    const ihl = (data[0]! & 0x0f) * 4;
    if (ihl < 20 || data.length < ihl) return void out.skipped++;
    end = Math.min(end, (data[2]! << 8) | data[3]!);
    const flags = (data[6]! << 8) | data[7]!;
    if (flags & 0x3fff) return void out.fragments++; // more fragments, or an offset
    protocol = data[9]!;
    source = `${data[12]}.${data[13]}.${data[14]}.${data[15]}`;
    destination = `${data[16]}.${data[17]}.${data[18]}.${data[19]}`;
    at = ihl;
  } else if (version === 6) {
    if (data.length < 40) return void out.skipped++;
    end = Math.min(end, 40 + ((data[4]! << 8) | data[5]!));
    protocol = data[6]!;
    source = ipv6(data.subarray(8, 24));
    destination = ipv6(data.subarray(24, 40));
    at = 40;
    // Extension headers: hop-by-hop, routing, destination options; a fragment header stops here.
    while ((protocol === 0 || protocol === 43 || protocol === 60) && at + 2 <= end) {
      protocol = data[at]!;
      at += (data[at + 1]! + 1) * 8;
    }
    if (protocol === 44) return void out.fragments++;
  } else return void out.skipped++;
  const l4 = data.subarray(at, end);
  if (protocol === 17 && l4.length >= 8) {
    out.packets++;
    out.visit({ time, family: version, protocol: 'udp', source, destination, sourcePort: (l4[0]! << 8) | l4[1]!, destinationPort: (l4[2]! << 8) | l4[3]!, payload: l4.subarray(8, Math.max(8, Math.min(l4.length, (l4[4]! << 8) | l4[5]!))) });
  } else if (protocol === 6 && l4.length >= 20) {
    const offset = (l4[12]! >> 4) * 4;
    if (offset < 20 || offset > l4.length) return void out.skipped++;
    out.packets++;
    out.visit({ time, family: version, protocol: 'tcp', source, destination, sourcePort: (l4[0]! << 8) | l4[1]!, destinationPort: (l4[2]! << 8) | l4[3]!, payload: l4.subarray(offset) });
  } else out.skipped++;
}

/** RFC 5952 text of 16 bytes. */
function ipv6(b: Uint8Array): string {
  return formatGroups(Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!));
}
