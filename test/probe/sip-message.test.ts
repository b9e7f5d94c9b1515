/**
 * The SIP codec: RFC 3261 examples, compact and folded headers, stream framing, and fast-check
 * over random, truncated, oversized and folded messages: an answer or SipParseError, quickly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameLength, formatSipMessage, header, headerValues, MAX_MESSAGE_BYTES, parseSipMessage, parseVia, SipParseError } from '../../src/probe/sip-message.js';
import { answer, SsrcCounts } from '../../src/probe/responder.js';
import { algOf, buildOptions, natOf } from '../../src/probe/sip-options.js';
import { parseSipTarget } from '../../src/probe/target.js';

const b = (s: string) => Buffer.from(s, 'latin1');

const RESPONSE = [
  'SIP/2.0 200 OK',
  'v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=40000;received=203.0.113.9',
  'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKabc,',
  ' SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKdef',
  'From: "A, B" <sip:a@example.com>;tag=1',
  'To: <sip:b@example.com>;tag=2',
  'i: a84b4c76e66710@pc33.example.com',
  'CSeq: 1 OPTIONS',
  'Allow: INVITE, ACK, OPTIONS',
  'l: 4',
  '',
  'body',
].join('\r\n');

describe('parseSipMessage', () => {
  it('reads a response with compact, folded and comma-listed headers', () => {
    const m = parseSipMessage(b(RESPONSE));
    expect(m).toMatchObject({ kind: 'response', status: 200, reason: 'OK', body: 'body' });
    expect(header(m, 'call-id')).toBe('a84b4c76e66710@pc33.example.com');
    expect(headerValues(m, 'via')).toHaveLength(3);
    expect(headerValues(m, 'from')).toEqual(['"A, B" <sip:a@example.com>;tag=1']);
    expect(headerValues(m, 'allow')).toEqual(['INVITE', 'ACK', 'OPTIONS']);
    const via = parseVia(headerValues(m, 'via')[2]!)!;
    expect([via.transport, via.host, via.port, via.params.get('branch')]).toEqual(['TCP', '2001:db8::1', 5070, 'z9hG4bKdef']);
  });

  it('refuses what is no SIP, with the reason', () => {
    for (const [text, reason] of [
      ['HTTP/1.1 200 OK\r\n\r\n', /start line/],
      ['SIP/2.0 200 OK\r\nVia: x\r\n', /empty line/],
      ['SIP/2.0 200 OK\r\n l: 0\r\n\r\n', /continuation/],
      ['SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nabc', /only 3 body bytes/],
      ['SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n', /Content-Length/],
      ['SIP/2.0 200 OK\r\nBad Header: 1\r\n\r\n', /header name/],
    ] as const) {
      expect(() => parseSipMessage(b(text)), text).toThrow(reason);
    }
    expect(() => parseSipMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1))).toThrow(/over/);
    expect(() => parseSipMessage(b('OPTIONS sip:a SIP/2.0\r\nCall-ID: 1\r\n\r\n'), false)).toThrow(/no Content-Length on a stream/);
  });

  it('frames a TCP stream by Content-Length, keep-alive CRLFs included', () => {
    const one = formatSipMessage(parseSipMessage(b(RESPONSE)));
    const stream = b(`\r\n\r\n${one}${one}`);
    const first = frameLength(stream)!;
    expect(first).toBe(4 + one.length);
    expect(frameLength(stream.subarray(0, first - 1))).toBeUndefined();
    expect(frameLength(stream.subarray(first))).toBe(one.length);
    expect(() => frameLength(b('SIP/2.0 200 OK\r\nVia: x\r\n\r\n'))).toThrow(/Content-Length/);
    expect(() => frameLength(Buffer.alloc(MAX_MESSAGE_BYTES + 10, 0x41))).toThrow(/no end of headers/);
    // A stream that cannot be framed names why (RFC 4475 §3.1.2.3, §3.3.9), folded values included.
    expect(() => frameLength(b('SIP/2.0 200 OK\r\nContent-Length: -999\r\n\r\n'))).toThrow(/bad Content-Length -999/);
    expect(() => frameLength(b('SIP/2.0 200 OK\r\nl: 5\r\nContent-Length:\r\n 13\r\n\r\n'))).toThrow(/2 Content-Length headers/);
  });

  it('writes what it reads (round trip), Content-Length recomputed', () => {
    const m = parseSipMessage(b(RESPONSE));
    const again = parseSipMessage(b(formatSipMessage(m)));
    expect(again).toEqual({ ...m, headers: [...m.headers.filter((h) => h.name !== 'content-length'), { name: 'content-length', value: '4' }] });
  });
});

describe('fast-check: any bytes give a message or SipParseError, within the limits', () => {
  const valid = formatSipMessage(parseSipMessage(b(RESPONSE)));
  const mutated = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc.integer({ min: 0, max: valid.length }).map((n) => b(valid.slice(0, n))),
    fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.string({ maxLength: 40 })).map(([i, s]) => b(valid.slice(0, i) + s + valid.slice(i))),
    fc.tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom(' x', '\r\n x', ',', ';', '\r\n', '<', '"')).map(([n, s]) => b(valid.replace('\r\n\r\n', `${s.repeat(n)}\r\n\r\n`))),
    fc.integer({ min: 60_000, max: 70_000 }).map((n) => b(`SIP/2.0 200 OK\r\nX: ${'a'.repeat(n)}\r\n\r\n`)),
  );

  it('parseSipMessage, frameLength and the responder never crash or hang', () => {
    fc.assert(
      fc.property(mutated, (bytes) => {
        for (const datagram of [true, false]) {
          try {
            const m = parseSipMessage(bytes, datagram);
            expect(m.headers.length).toBeLessThanOrEqual(128);
            answer(m, Buffer.from(bytes), { address: '198.51.100.7', port: 5060 }, new SsrcCounts(), false);
          } catch (error) {
            if (!(error instanceof SipParseError)) throw error;
          }
        }
        try {
          frameLength(Buffer.from(bytes));
        } catch (error) {
          if (!(error instanceof SipParseError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('OPTIONS, NAT and ALG reports', () => {
  const target = parseSipTarget('sip:+13025551234@abc.sip.vapi.ai;transport=tcp');
  const local = { address: '192.0.2.10', port: 40000 };

  it('builds an RFC 3261 OPTIONS request', () => {
    const req = buildOptions(target, 'tcp', local);
    const m = parseSipMessage(b(req.text), false);
    expect(m).toMatchObject({ kind: 'request', method: 'OPTIONS', uri: 'sip:+13025551234@abc.sip.vapi.ai;transport=tcp' });
    expect(header(m, 'via')).toMatch(/^SIP\/2\.0\/TCP 192\.0\.2\.10:40000;branch=z9hG4bK[0-9a-f]{16};rport$/);
    for (const h of ['max-forwards', 'from', 'to', 'call-id', 'cseq', 'contact', 'accept', 'user-agent', 'content-length']) expect(header(m, h), h).toBeDefined();
    expect(header(m, 'from')).toMatch(/;tag=/);
    expect(header(m, 'cseq')).toBe('1 OPTIONS');
  });

  it('reads NAT from received/rport and an ALG from the echo the responder returns', () => {
    const req = buildOptions(target, 'udp', local);
    const seen = { address: '203.0.113.9', port: 61000 };
    const natted = answer(parseSipMessage(b(req.text)), b(req.text), seen, new SsrcCounts(), false)!;
    expect(natOf(natted, local)).toEqual({ behindNat: true, local: '192.0.2.10:40000', public: '203.0.113.9:61000', evidence: 'echo' });
    expect(algOf(req, natted)).toEqual({ checked: true, suspected: false, diff: [] });
    // An ALG on the way back rewrites the Via received/rport to the private address: the echo holds.
    const hidden = { ...natted, headers: natted.headers.map((h) => (h.name === 'via' ? { ...h, value: h.value.replace('received=203.0.113.9;rport=61000', 'received=192.0.2.10;rport=40000') } : h)) };
    expect(natOf(hidden, local)).toMatchObject({ behindNat: true, evidence: 'echo' });
    // A server that does not echo: the Via is all there is.
    const plain = { ...natted, headers: natted.headers.filter((h) => h.name !== 'x-sipwall-source') };
    expect(natOf(plain, local)).toEqual({ behindNat: true, local: '192.0.2.10:40000', public: '203.0.113.9:61000', evidence: 'via' });
    // What an ALG does: rewrite the Via and Contact addresses on the way.
    const rewritten = req.text.replaceAll('192.0.2.10:40000', '203.0.113.9:61000');
    const alg = answer(parseSipMessage(b(rewritten)), b(rewritten), seen, new SsrcCounts(), false)!;
    const report = algOf(req, alg);
    expect(report.suspected).toBe(true);
    expect(report.diff[0]).toMatch(/^Via: SIP\/2\.0\/UDP 192\.0\.2\.10:40000;.* → SIP\/2\.0\/UDP 203\.0\.113\.9:61000;/);
    expect(report.diff[1]).toMatch(/^Contact: /);
  });

  it('answers no larger than the request over UDP (the minimal answer drops the echo)', () => {
    const tiny = 'OPTIONS sip:a SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nX-Sipwall-Echo: digest\r\n\r\n';
    const full = answer(parseSipMessage(b(tiny)), b(tiny), { address: '198.51.100.7', port: 5060 }, new SsrcCounts(), false)!;
    const minimal = answer(parseSipMessage(b(tiny)), b(tiny), { address: '198.51.100.7', port: 5060 }, new SsrcCounts(), true)!;
    expect(formatSipMessage(full).length).toBeGreaterThan(tiny.length);
    expect(header(minimal, 'x-sipwall-digest')).toBeUndefined();
  });

  it('answers other methods with 405 and one Allow; an unreadable Via 400 with the Via as it came; ignores ACK', () => {
    const seen = { address: '198.51.100.7', port: 5060 };
    const invite = 'INVITE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7\r\nFrom: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n';
    const res = answer(parseSipMessage(b(invite)), b(invite), seen, new SsrcCounts(), false)!;
    expect([res.status, res.reason]).toEqual([405, 'Method Not Allowed']);
    expect(headerValues(res, 'allow')).toEqual(['OPTIONS']);
    const garbled = invite.replace('SIP/2.0/UDP 198.51.100.7', 'garbage here');
    const bad = answer(parseSipMessage(b(garbled)), b(garbled), seen, new SsrcCounts(), false)!;
    expect([bad.status, headerValues(bad, 'via'), header(bad, 'warning')]).toEqual([400, ['garbage here'], '399 sipwall "malformed Via"']);
    const ack = invite.replaceAll('INVITE', 'ACK');
    expect(answer(parseSipMessage(b(ack)), b(ack), seen, new SsrcCounts(), false)).toBeUndefined();
  });

  it('reports packets per SSRC as runs of equal counts', () => {
    const counts = new SsrcCounts();
    for (const s of [5, 6, 7, 9, 9, 9, 12, 13, 13]) counts.add(s);
    expect(counts.ranges(4, 13)).toBe('5-7:1,9:3,12:1,13:2');
    expect(counts.ranges(6, 6)).toBe('6:1');
    expect(counts.ranges(20, 30)).toBe('');
  });
});
