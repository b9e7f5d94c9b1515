import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCall } from '../../src/diagnose/call.js';
import { CaptureError, readCapture } from '../../src/diagnose/pcap.js';
import { pcap, pcapng, rtp, sdpOf, sip, type Link, type Spec } from './capture-writer.js';

const UDP: Spec = { time: 1_700_000_000.25, source: '198.51.100.10', destination: '192.0.2.10', sourcePort: 5060, destinationPort: 5062, payload: 'hello' };
const V6: Spec = { ...UDP, source: '2001:db8::1', destination: '2001:db8:0:0:1::10', protocol: 'tcp', payload: 'tcp data' };

describe('captures as tcpdump and sngrep write them', () => {
  for (const link of ['ethernet', 'vlan', 'sll', 'sll2', 'raw'] as Link[]) {
    for (const [name, bytes] of [
      ['pcap, little-endian, µs', pcap([UDP, V6], { link })],
      ['pcap, big-endian, ns', pcap([UDP, V6], { link, big: true, nano: true })],
      ['pcapng, µs', pcapng([UDP, V6], { link })],
      ['pcapng, ns (if_tsresol)', pcapng([UDP, V6], { link, nano: true })],
    ] as const) {
      it(`${name}, ${link}: addresses, ports, payloads and times`, () => {
        const c = readCapture(bytes);
        expect(c.skipped).toBe(0);
        expect(c.packets.map((p) => [p.family, p.protocol, p.source, p.destination, p.sourcePort, p.destinationPort, Buffer.from(p.payload).toString()])).toEqual([
          [4, 'udp', '198.51.100.10', '192.0.2.10', 5060, 5062, 'hello'],
          [6, 'tcp', '2001:db8::1', '2001:db8::1:0:0:10', 5060, 5062, 'tcp data'],
        ]);
        expect(c.packets[0]!.time).toBeCloseTo(1_700_000_000.25, 5);
      });
    }
  }

  it('fragments are counted, not read; a file cut short keeps its whole packets', () => {
    const bytes = pcap([UDP, { ...UDP, fragment: true }, UDP]);
    expect(readCapture(bytes)).toMatchObject({ fragments: 1, skipped: 0 });
    expect(readCapture(bytes.subarray(0, bytes.length - 3)).packets).toHaveLength(1);
  });

  it('not a capture: a named error', () => {
    expect(() => readCapture(Buffer.from('table inet filter {}\n'.repeat(3)))).toThrow(CaptureError);
    expect(() => readCapture(Buffer.alloc(10))).toThrow(/too short/);
  });

  it('any bytes after a valid header: no throw but CaptureError, no endless loop (fast-check)', () => {
    const heads = [pcap([]), pcapng([]).subarray(0, 40)];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), fc.uint8Array({ maxLength: 600 }), (h, tail) => {
        try {
          readCall(readCapture(Buffer.concat([heads[h]!, tail])));
        } catch (error) {
          if (!(error instanceof CaptureError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

const PBX = '192.0.2.10';
const FAR = '198.51.100.10';
const headers = (cseq: string) => ({ Via: `SIP/2.0/UDP ${FAR}:5060;branch=z9hG4bK1`, From: '<sip:a@x>;tag=1', To: '<sip:+17185301799@y>', 'Call-ID': 'c1@x', CSeq: cseq });
const at = (time: number, from: string, to: string, payload: string | Buffer, ports: [number, number] = [5060, 5060]): Spec => ({ time, source: from, destination: to, sourcePort: ports[0], destinationPort: ports[1], payload });

describe('a call, read', () => {
  const invite = at(1, FAR, PBX, sip(`INVITE sip:+17185301799@${PBX} SIP/2.0`, headers('1 INVITE'), sdpOf(FAR, 30000)));

  it('a 404: the cause and what to put in the username', () => {
    const r = readCall(readCapture(pcap([invite, at(1.1, PBX, FAR, sip('SIP/2.0 404 Not Found', headers('1 INVITE')))])));
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.title).toMatch(/the INVITE was answered 404 Not Found/);
    expect(r.findings[0]!.fix).toMatch(/DID in E\.164/);
  });

  it('an INVITE sent three times and never answered: the signalling flow is a suspect for the firewall replay', () => {
    const r = readCall(readCapture(pcap([invite, { ...invite, time: 1.5 }, { ...invite, time: 2.5 }])));
    expect(r.dialogs[0]!.invite.sends).toBe(3);
    expect(r.findings[0]!.title).toMatch(/was never answered/);
    expect(r.findings[0]!.evidence).toEqual(['no response at all; sent 3 times']);
    expect(r.suspects).toEqual([{ finding: 0, protocol: 'udp', family: 4, source: FAR, sourcePort: 5060, destination: PBX, destinationPort: 5060, role: 'sip' }]);
  });

  it('a late offer (SDP in the 200, answer in the ACK), RTP both ways with loss across the sequence wrap', () => {
    const specs: Spec[] = [
      at(1, FAR, PBX, sip(`INVITE sip:x@${PBX} SIP/2.0`, headers('1 INVITE'))),
      at(1.1, PBX, FAR, sip('SIP/2.0 200 OK', headers('1 INVITE'), sdpOf(PBX, 10000))),
      at(1.2, FAR, PBX, sip(`ACK sip:x@${PBX} SIP/2.0`, headers('1 ACK'), sdpOf(FAR, 30000))),
    ];
    for (let i = 0; i < 100; i++) {
      const seq = 65_500 + i;
      if (i % 10 !== 3) specs.push(at(2 + i * 0.02, FAR, PBX, rtp(seq), [30000, 10000]));
      specs.push(at(2 + i * 0.02, PBX, FAR, rtp(seq, 0x99), [10000, 30000]));
    }
    const r = readCall(readCapture(pcap(specs)));
    expect(r.dialogs[0]).toMatchObject({ offer: { address: PBX, port: 10000, by: PBX }, answer: { address: FAR, port: 30000, by: FAR }, ack: true });
    const inbound = r.streams.find((s) => s.destination === PBX)!;
    expect([inbound.packets, inbound.lost]).toEqual([90, 10]);
    expect(r.findings.map((f) => f.title)).toEqual([expect.stringMatching(/10 % of RTP lost from 198\.51\.100\.10:30000/)]);
  });

  it('RTP one way only: which way, with the packet count; suspects for the replay', () => {
    const specs: Spec[] = [invite, at(1.1, PBX, FAR, sip('SIP/2.0 200 OK', headers('1 INVITE'), sdpOf(PBX, 12000)))];
    for (let i = 0; i < 60; i++) specs.push(at(2 + i * 0.02, FAR, PBX, rtp(i), [30000, 12000]));
    const r = readCall(readCapture(pcapng(specs, { link: 'sll2' })));
    expect(r.findings[0]!.title).toMatch(/one-way audio: RTP reaches 192\.0\.2\.10:12000 \(the answering side\); none goes back to 198\.51\.100\.10:30000/);
    expect(r.findings[0]!.evidence[0]).toBe('RTP from 198.51.100.10:30000 to 192.0.2.10:12000: 60 packets, 1.2 s');
    expect(r.suspects.map((s) => [s.role, s.destinationPort])).toEqual([['media', 12000]]);
  });

  it('SIP over TLS: said to be unreadable', () => {
    const hello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]);
    const r = readCall(readCapture(pcap([{ ...at(1, FAR, PBX, hello, [40000, 5061]), protocol: 'tcp' }])));
    expect(r.tls).toEqual([`${PBX}:5061`]);
    expect(r.findings[0]!.title).toBe('the signalling is SIP over TLS, which cannot be read from a capture');
  });

  it('SIP over TCP: two messages in one segment are both read', () => {
    const two = sip(`INVITE sip:x@${PBX} SIP/2.0`, headers('1 INVITE'), sdpOf(FAR, 30000)) + sip('SIP/2.0 100 Trying', headers('1 INVITE'));
    const r = readCall(readCapture(pcap([{ ...at(1, FAR, PBX, two), protocol: 'tcp' }])));
    expect(r.dialogs[0]!.statuses).toEqual([100]);
  });
});
