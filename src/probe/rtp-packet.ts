/**
 * RTP packets (RFC 3550 §5.1): version 2, no padding, extension or CSRC, payload type 0 (PCMU),
 * 160 payload bytes (20 ms of 8 kHz audio), so a probe looks like a call's media to every
 * firewall and ALG on the way. The payload starts with sipwall's mark and the send time. Pure.
 */

export const RTP_HEADER_BYTES = 12;
export const RTP_PAYLOAD_BYTES = 160;
export const PAYLOAD_TYPE_PCMU = 0;
/** Marks sipwall's probes inside the payload ("SWRT"). */
const MAGIC = 0x53575254;

export interface RtpPacket {
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  /** Milliseconds (performance.now()) when sent, for sipwall's own probes. */
  readonly sentAt: number | undefined;
}

export function encodeRtp(p: Omit<RtpPacket, 'marker'> & { marker?: boolean }): Buffer {
  const b = Buffer.alloc(RTP_HEADER_BYTES + RTP_PAYLOAD_BYTES, 0xff); // 0xff: PCMU silence
  b[0] = 0x80; // V=2, P=0, X=0, CC=0
  b[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  b.writeUInt16BE(p.sequence & 0xffff, 2);
  b.writeUInt32BE(p.timestamp >>> 0, 4);
  b.writeUInt32BE(p.ssrc >>> 0, 8);
  b.writeUInt32BE(MAGIC, RTP_HEADER_BYTES);
  b.writeDoubleBE(p.sentAt ?? 0, RTP_HEADER_BYTES + 4);
  return b;
}

/** Reads an RTP header; undefined for anything that is not RTP version 2. */
export function decodeRtp(b: Uint8Array): RtpPacket | undefined {
  if (b.length < RTP_HEADER_BYTES || b[0]! >> 6 !== 2) return undefined;
  const view = Buffer.from(b.buffer, b.byteOffset, b.length);
  const ours = b.length >= RTP_HEADER_BYTES + 12 && view.readUInt32BE(RTP_HEADER_BYTES) === MAGIC;
  return {
    payloadType: b[1]! & 0x7f,
    marker: (b[1]! & 0x80) !== 0,
    sequence: view.readUInt16BE(2),
    timestamp: view.readUInt32BE(4),
    ssrc: view.readUInt32BE(8),
    sentAt: ours ? view.readDoubleBE(RTP_HEADER_BYTES + 4) : undefined,
  };
}

/** Per-stream receive statistics: loss, duplicates, reordering, RTT and RFC 3550 §6.4.1 jitter. */
export class RtpStats {
  sent = 0;
  echoed = 0;
  duplicated = 0;
  reordered = 0;
  private rttMin = Infinity;
  private rttMax = 0;
  private rttSum = 0;
  /** Interarrival jitter in milliseconds (J += (|D| - J) / 16). */
  jitterMs = 0;
  private readonly seen = new Set<number>();
  private highest = -1;
  private lastTransit: number | undefined;

  onSent(): void {
    this.sent++;
  }

  onEcho(p: RtpPacket, arrivedAt: number): void {
    if (this.seen.has(p.sequence)) {
      this.duplicated++;
      return;
    }
    this.seen.add(p.sequence);
    this.echoed++;
    if (p.sequence < this.highest) this.reordered++;
    else this.highest = p.sequence;
    if (p.sentAt !== undefined) {
      const rtt = arrivedAt - p.sentAt;
      this.rttMin = Math.min(this.rttMin, rtt);
      this.rttMax = Math.max(this.rttMax, rtt);
      this.rttSum += rtt;
      const transit = rtt;
      if (this.lastTransit !== undefined) this.jitterMs += (Math.abs(transit - this.lastTransit) - this.jitterMs) / 16;
      this.lastTransit = transit;
    }
  }

  get lost(): number {
    return Math.max(0, this.sent - this.echoed);
  }

  summary() {
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      sent: this.sent,
      echoed: this.echoed,
      lost: this.lost,
      duplicated: this.duplicated,
      reordered: this.reordered,
      rttMs: this.echoed === 0 ? null : { min: round(this.rttMin), avg: round(this.rttSum / this.echoed), max: round(this.rttMax) },
      jitterMs: round(this.jitterMs),
    };
  }
}
