/**
 * Issue 11.4 and the 3x UDP bound of issue 12: the direction query's answers fit the responder's
 * amplification bound whatever the pattern of counts, so "never arrived" and "reply lost" are
 * told apart over the default --sip udp:5060.
 */
import { describe, expect, it } from 'vitest';
import { answer, SsrcCounts, UDP_AMPLIFICATION } from '../../src/probe/responder.js';
import { parseReceived } from '../../src/probe/rtp-probe.js';
import { buildOptions, RTP_QUERY } from '../../src/probe/sip-options.js';
import { formatSipMessage, parseSipMessage } from '../../src/probe/sip-message.js';
import { parseSipTarget } from '../../src/probe/target.js';

const target = parseSipTarget('pbx.example.com', 'target');
/** The longest local address and port the prober may write (IPv6). */
const local = { address: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', port: 65535 };
const source = { address: '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe', port: 65535 };

/** Answer bytes over request bytes for a direction query of `first..last` with these counts. */
function ratio(first: number, last: number, counts: SsrcCounts, sweep: boolean): { ratio: number; parsed: Map<number, number> } {
  const extra = [{ name: RTP_QUERY, value: `${first}-${last}${sweep ? ';counts' : ''}` }];
  const request = buildOptions(target, 'udp', local, extra).text;
  const raw = Buffer.from(request, 'latin1');
  const reply = answer(parseSipMessage(raw), raw, source, counts, false)!;
  const text = formatSipMessage(reply);
  const said = /x-sipwall-rtp-received: (.*)\r\n/i.exec(text)![1]!;
  // One unfragmented datagram (RFC 3261 §18.1.1's 1,300 bytes).
  expect(Buffer.byteLength(text, 'latin1')).toBeLessThanOrEqual(1300);
  return { ratio: Buffer.byteLength(text, 'latin1') / raw.length, parsed: parseReceived(said, first, last)! };
}

describe('direction query answers stay within 3x the request', () => {
  const base = 4_000_000_000;
  it.each([
    ['a sweep page, every other SSRC silent', true, 1024, (i: number) => (i % 2 === 0 ? 0 : 3)],
    ['a sweep page, every count from 0 to 3', true, 1024, (i: number) => i % 4],
    ['a sample page, 32 SSRCs with 50 sent and random loss', false, 32, (i: number) => 50 - ((i * 7919) % 13)],
    ['a sample page, alternating counts', false, 32, (i: number) => (i % 2 === 0 ? 0 : 49)],
  ])('%s', (_name, sweep, n, countOf) => {
    const counts = new SsrcCounts();
    for (let i = 0; i < n; i++) for (let k = 0; k < countOf(i); k++) counts.add(base + i);
    const { ratio: r, parsed } = ratio(base, base + n - 1, counts, sweep);
    expect(r).toBeLessThanOrEqual(UDP_AMPLIFICATION);
    for (let i = 0; i < n; i++) expect(parsed.get(base + i) ?? 0, `ssrc ${i}`).toBe(sweep ? Math.min(3, countOf(i)) : countOf(i));
  });

  it('a counts answer of the wrong length is not read as counts', () => {
    expect(parseReceived('counts=AA', 10, 20)).toBeUndefined();
    // 0b00_01_10_11: SSRC 10 none, 11 one, 12 two, 13 three.
    expect(parseReceived(`counts=${Buffer.from([0x1b]).toString('base64url')}`, 10, 13)).toEqual(new Map([[11, 1], [12, 2], [13, 3]]));
  });
});
