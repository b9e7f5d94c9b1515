import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/net/errors.js';
import { decodeRtp, encodeRtp, RtpStats } from '../../src/probe/rtp-packet.js';
import { foldRanges, parseSsrcCounts, samplePorts, withDirection, type PortResult } from '../../src/probe/rtp-probe.js';
import { exitCodeOf } from '../../src/probe/sip-probe.js';
import { parseSipTarget, requestUri } from '../../src/probe/target.js';

describe('parseSipTarget', () => {
  it.each([
    ['pbx.example.com', { host: 'pbx.example.com', port: undefined, transport: undefined, ip: undefined }, 'sip:pbx.example.com'],
    ['pbx.example.com:5070', { host: 'pbx.example.com', port: 5070 }, 'sip:pbx.example.com:5070'],
    ['203.0.113.5', { host: '203.0.113.5', ip: 4 }, 'sip:203.0.113.5'],
    ['[2001:DB8::1]:5062', { host: '2001:db8::1', ip: 6, port: 5062 }, 'sip:[2001:db8::1]:5062'],
    ['2001:db8::1', { host: '2001:db8::1', ip: 6, port: undefined }, 'sip:[2001:db8::1]'],
    ['sip:+13025551234@abc.sip.vapi.ai;transport=tcp', { user: '+13025551234', host: 'abc.sip.vapi.ai', transport: 'tcp' }, 'sip:+13025551234@abc.sip.vapi.ai;transport=tcp'],
    ['sips:pbx.example.com', { scheme: 'sips', transport: 'tls' }, 'sips:pbx.example.com'],
  ])('%s', (input, expected, uri) => {
    const t = parseSipTarget(input);
    expect(t).toMatchObject(expected);
    expect(requestUri(t)).toBe(uri);
  });

  it.each([
    ['pbx.example.com:0', /outside 1-65535/],
    ['pbx.example.com:70000', /outside 1-65535/],
    ['sip:a@b;transport=sctp', /transport=sctp/],
    ['sips:b;transport=udp', /needs TLS/],
    ['pbx.example.com\r\nX-Evil: 1', /not a SIP target/],
    ['sip:a"b@host', /not a SIP target/],
    ['sip:a<b>@host', /not a SIP target/],
    ['-bad-.example', /no valid host/],
    ['user@host', /no sip: URI/],
    ['[203.0.113.5]:5060', /no IPv6 address/],
    ['', /not a SIP target/],
  ])('refuses %j with one clear line', (input, reason) => {
    const error = (() => {
      try {
        parseSipTarget(input, 'target 1');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
    expect((error as Error).message).toMatch(/^target 1: /);
  });
});

describe('RTP', () => {
  it('encodes RFC 3550 version 2 packets with a 160-byte payload', () => {
    const bytes = encodeRtp({ payloadType: 0, sequence: 65537, timestamp: 2 ** 32 + 5, ssrc: 0xdeadbeef, sentAt: 12.5, marker: true });
    expect(bytes.length).toBe(172);
    expect(bytes[0]).toBe(0x80);
    expect(decodeRtp(bytes)).toEqual({ payloadType: 0, marker: true, sequence: 1, timestamp: 5, ssrc: 0xdeadbeef, sentAt: 12.5 });
    expect(decodeRtp(bytes.subarray(0, 11))).toBeUndefined();
    expect(decodeRtp(Buffer.from([0x40, ...bytes.subarray(1)]))).toBeUndefined();
  });

  it('counts loss, duplicates, reordering, RTT and jitter', () => {
    const s = new RtpStats();
    for (let i = 0; i < 5; i++) s.onSent();
    const p = (sequence: number, sentAt: number) => ({ payloadType: 0, marker: false, sequence, timestamp: 0, ssrc: 1, sentAt });
    s.onEcho(p(0, 0), 10);
    s.onEcho(p(2, 40), 52);
    s.onEcho(p(1, 20), 50); // late: reordered
    s.onEcho(p(1, 20), 51); // again: duplicated
    expect(s.summary()).toMatchObject({ sent: 5, echoed: 3, lost: 2, duplicated: 1, reordered: 1, rttMs: { min: 10, max: 30 } });
    expect(s.summary().jitterMs).toBeGreaterThan(0);
  });

  it('spreads samples, folds verdicts into ranges and splits "no echo" by direction', () => {
    expect(samplePorts(10000, 20000, 3)).toEqual([10000, 15000, 20000]);
    expect(samplePorts(10, 12, 64)).toEqual([10, 11, 12]);
    const r = (port: number, verdict: PortResult['verdict']): PortResult => ({ port, ssrc: port, verdict, stats: new RtpStats().summary(), received: null });
    const results = [r(10, 'open'), r(11, 'open'), r(12, 'no echo'), r(13, 'no echo'), r(14, 'no echo')];
    const counts = parseSsrcCounts('11:2,13-14:1');
    expect([...counts]).toEqual([[11, 2], [13, 1], [14, 1]]);
    const split = withDirection(results, counts, new Set([11, 12, 13, 14]));
    expect(split.map((p) => p.received)).toEqual([null, 2, 0, 1, 1]);
    expect(foldRanges(split)).toEqual([
      { from: 10, to: 11, verdict: 'open', probed: 2 },
      { from: 12, to: 12, verdict: 'never arrived', probed: 1 },
      { from: 13, to: 14, verdict: 'reply lost', probed: 2 },
    ]);
    expect(withDirection(results, undefined, new Set([12]))[2]!.verdict).toBe('no echo');
  });

  it('exit codes: the most severe outcome wins', () => {
    expect(exitCodeOf(['answered', 'answered'])).toBe(0);
    expect(exitCodeOf(['answered', 'timeout'])).toBe(3);
    expect(exitCodeOf(['timeout', 'refused'])).toBe(4);
    expect(exitCodeOf(['refused', 'tls-failure'])).toBe(5);
    expect(exitCodeOf(['dns-failure', 'tls-failure'])).toBe(6);
  });
});
