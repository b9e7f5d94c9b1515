import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCall, rewrites } from '../../src/diagnose/call.js';
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

describe('a call, read: the causes (synthesized, the fast twins of call.test.ts)', () => {
  const NATTED = '10.0.0.5';
  const PUBLIC = '203.0.113.1';
  /** A call from `caller` (signalling source `callerSip`) to PBX, with RTP `toPbx` and `back` packets. */
  function call(o: { offer: [string, number]; callerSip: string; answer?: [string, number]; toPbx: number; back: number; backFrom?: string; bye?: boolean }): Spec[] {
    const specs: Spec[] = [
      at(1, o.callerSip, PBX, sip(`INVITE sip:x@${PBX} SIP/2.0`, headers('1 INVITE'), sdpOf(...o.offer))),
      at(1.1, PBX, o.callerSip, sip('SIP/2.0 200 OK', headers('1 INVITE'), sdpOf(...(o.answer ?? [PBX, 12000])))),
      at(1.2, o.callerSip, PBX, sip(`ACK sip:x@${PBX} SIP/2.0`, headers('1 ACK'))),
    ];
    for (let i = 0; i < o.toPbx; i++) specs.push(at(2 + i * 0.02, o.callerSip, PBX, rtp(i), [o.offer[1], 12000]));
    for (let i = 0; i < o.back; i++) specs.push(at(2 + i * 0.02, o.backFrom ?? PBX, o.callerSip, rtp(i, 9), [12000, o.offer[1]]));
    if (o.bye !== false) specs.push(at(9, o.callerSip, PBX, sip(`BYE sip:x@${PBX} SIP/2.0`, headers('2 BYE'))));
    return specs;
  }
  const titles = (specs: Spec[]) => readCall(readCapture(pcap(specs))).findings.map((f) => `${f.severity} ${f.title}`);

  it('a clean call: nothing; BYE and ACK seen', () => {
    const r = readCall(readCapture(pcap(call({ offer: [FAR, 30000], callerSip: FAR, toPbx: 20, back: 20 }))));
    expect(r.findings).toEqual([]);
    expect(r.dialogs[0]).toMatchObject({ ack: true, bye: true, statuses: [200] });
    expect(readCall(readCapture(pcap(call({ offer: [FAR, 30000], callerSip: FAR, toPbx: 20, back: 20, bye: false })))).dialogs[0]!.bye).toBe(false);
  });

  it('RTP only toward the offering side, and none either way', () => {
    expect(titles(call({ offer: [FAR, 30000], callerSip: FAR, toPbx: 0, back: 20 }))).toEqual([expect.stringMatching(/^error .*one-way audio: RTP reaches 198\.51\.100\.10:30000 \(the offering side\); none goes to 192\.0\.2\.10:12000/)]);
    expect(titles(call({ offer: [FAR, 30000], callerSip: FAR, toPbx: 0, back: 0 }))).toEqual([expect.stringMatching(/^error .*no audio either way/)]);
  });

  it('the caller behind a NAT that keeps its private address in the SDP: the public address to advertise instead', () => {
    const f = readCall(readCapture(pcap(call({ offer: [NATTED, 30000], callerSip: PUBLIC, toPbx: 20, back: 0 })))).findings;
    expect(f[0]!.title).toMatch(/the offering side's SDP advertises 10\.0\.0\.5 \(private\) while its packets leave as 203\.0\.113\.1/);
    expect(f[0]!.evidence).toEqual(['SDP c=10.0.0.5 m=audio 30000; SIP from 203.0.113.1', 'RTP toward it: 0 packets']);
    expect(f[0]!.fix).toMatch(/external_media_address=203\.0\.113\.1 /);
    // A private SDP from a private sender (the same LAN) is no finding.
    expect(titles(call({ offer: [NATTED, 30000], callerSip: NATTED, toPbx: 20, back: 20 }))).toEqual([]);
  });

  it('an answer whose c= is not where its RTP comes from: rewritten in transit, or a NAT the SDP does not know', () => {
    const t = titles(call({ offer: [FAR, 30000], callerSip: FAR, answer: ['192.0.2.99', 12000], toPbx: 0, back: 20, backFrom: PBX }));
    expect(t).toContainEqual(expect.stringMatching(/^warning .*SDP rewritten in transit, or a NAT the SDP does not know: the answering side's c= line says 192\.0\.2\.99, its RTP comes from 192\.0\.2\.10/));
  });

  it('two captures of one call: a changed offer is a rewrite; the same one is not', () => {
    const inside = readCall(readCapture(pcap(call({ offer: [NATTED, 30000], callerSip: NATTED, toPbx: 5, back: 5 }))));
    const outside = readCall(readCapture(pcap(call({ offer: [PUBLIC, 30010], callerSip: PUBLIC, toPbx: 5, back: 5 }))));
    const found = rewrites({ name: 'in.pcap', report: inside }, { name: 'out.pcap', report: outside });
    expect(found.map((f) => f.title)).toEqual(['call c1@x: SDP rewritten in transit: the offer says c=10.0.0.5 m=audio 30000 in in.pcap and c=203.0.113.1 m=audio 30010 in out.pcap']);
    expect(found[0]!.evidence).toEqual(['in.pcap: offer from 10.0.0.5, c=10.0.0.5 port 30000', 'out.pcap: offer from 203.0.113.1, c=203.0.113.1 port 30010']);
    expect(rewrites({ name: 'a', report: inside }, { name: 'b', report: inside })).toEqual([]);
    const portOnly = readCall(readCapture(pcap(call({ offer: [NATTED, 30002], callerSip: NATTED, toPbx: 5, back: 5 }))));
    expect(rewrites({ name: 'a', report: inside }, { name: 'b', report: portOnly })).toHaveLength(1);
  });
});

describe('the reader: the frames it skips, and the blocks it reads', () => {
  it('counts what is not UDP/TCP over IP; walks IPv6 extension headers; reads the simple packet block and loopback', () => {
    const arp = Buffer.concat([Buffer.alloc(12, 2), Buffer.from([0x08, 0x06]), Buffer.alloc(28)]);
    const head = pcap([]);
    const rec = (data: Buffer) => {
      const r = Buffer.alloc(16);
      r.writeUInt32LE(data.length, 8);
      r.writeUInt32LE(data.length, 12);
      return Buffer.concat([r, data]);
    };
    expect(readCapture(Buffer.concat([head, rec(arp), rec(Buffer.alloc(10))]))).toMatchObject({ skipped: 2, fragments: 0, packets: [] });
    // IPv6 with a hop-by-hop header (8 bytes) before UDP.
    const v6 = Buffer.from(pcap([{ ...UDP, source: '2001:db8::1', destination: '2001:db8::2' }], { link: 'raw' }));
    const ip = v6.subarray(24 + 16);
    const withHop = Buffer.concat([ip.subarray(0, 40), Buffer.from([17, 0, 0, 0, 0, 0, 0, 0]), ip.subarray(40)]);
    withHop[6] = 0;
    withHop.writeUInt16BE(withHop.length - 40, 4);
    const raw = Buffer.from(head);
    raw.writeUInt32LE(101, 20);
    const c = readCapture(Buffer.concat([raw, rec(withHop)]));
    expect(c.packets.map((p) => [p.source, p.destinationPort, Buffer.from(p.payload).toString()])).toEqual([['2001:db8::1', 5062, 'hello']]);
    // BSD loopback: a 4-byte family word before the IP header.
    const loop = Buffer.from(head);
    loop.writeUInt32LE(0, 20);
    const v4 = Buffer.from(pcap([UDP], { link: 'raw' })).subarray(24 + 16);
    expect(readCapture(Buffer.concat([loop, rec(Buffer.concat([Buffer.from([2, 0, 0, 0]), v4]))])).packets).toHaveLength(1);
    // pcapng simple packet block (type 3): the first interface's link type, no time.
    const ng = pcapng([UDP], { link: 'raw' });
    const epbAt = ng.length - (ng.readUInt32LE(ng.length - 4));
    const spbBody = Buffer.concat([Buffer.alloc(4), v4, Buffer.alloc((4 - (v4.length % 4)) % 4)]);
    spbBody.writeUInt32LE(v4.length, 0);
    const spb = Buffer.alloc(12 + spbBody.length);
    spb.writeUInt32LE(3, 0);
    spb.writeUInt32LE(spb.length, 4);
    spbBody.copy(spb, 8);
    spb.writeUInt32LE(spb.length, spb.length - 4);
    const simple = readCapture(Buffer.concat([ng.subarray(0, epbAt), spb]));
    expect(simple.packets.map((p) => [p.source, p.time])).toEqual([['198.51.100.10', 0]]);
  });
});
