/** The server's decisions (RFC 3261 §8.2) on requests the RFC 4475 table does not spell out. */
import { describe, expect, it } from 'vitest';
import { parseNameAddr, parseSipMessage, parseVia, splitOutside } from '../../src/probe/sip-message.js';
import { answer, SsrcCounts } from '../../src/probe/responder.js';
import { copied, verdictOf, withReceived } from '../../src/probe/uas.js';

const request = (start: string, cseq: string, extra = '') =>
  Buffer.from(`${start}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c1\r\nCSeq: ${cseq}\r\n${extra}Content-Length: 0\r\n\r\n`, 'latin1');
const statusOf = (bytes: Buffer) => verdictOf(parseSipMessage(bytes)).status;

describe('verdictOf', () => {
  it.each([
    ['OPTIONS', 'OPTIONS sip:b@example.com SIP/2.0', '1 OPTIONS', '', 200],
    // Methods are case-sensitive (§7.1): `options` is an unknown method, and no match for OPTIONS.
    ['lower-case options', 'options sip:b@example.com SIP/2.0', '1 options', '', 501],
    ['lower-case options, CSeq OPTIONS', 'options sip:b@example.com SIP/2.0', '1 OPTIONS', '', 400],
    ['CANCEL of no transaction', 'CANCEL sip:b@example.com SIP/2.0', '1 CANCEL', '', 481],
    ['SIP/3.0', 'OPTIONS sip:b@example.com SIP/3.0', '1 OPTIONS', '', 505],
    ['CSeq at 2**31 - 1', 'OPTIONS sip:b@example.com SIP/2.0', '2147483647 OPTIONS', '', 200],
    ['CSeq at 2**31', 'OPTIONS sip:b@example.com SIP/2.0', '2147483648 OPTIONS', '', 400],
    ['? in the user part is no header', 'OPTIONS sip:wh?o@example.com SIP/2.0', '1 OPTIONS', '', 200],
    ['tel: is not served', 'OPTIONS tel:+15555550100 SIP/2.0', '1 OPTIONS', '', 416],
    ['Require with an empty list', 'OPTIONS sip:b@example.com SIP/2.0', '1 OPTIONS', 'Require: \r\n', 200],
    ['Proxy-Require is for proxies', 'OPTIONS sip:b@example.com SIP/2.0', '1 OPTIONS', 'Proxy-Require: x\r\n', 200],
  ])('%s: %s', (_name, start, cseq, extra, status) => {
    expect(statusOf(request(start, cseq, extra))).toBe(status);
  });

  it('a 400 names the fault in a Warning whose quoted text holds no quote or backslash of the input', () => {
    const bytes = request('OPTIONS sip:b@example.com SIP/2.0', '1 OPTIONS');
    const reply = answer(parseSipMessage(bytes), bytes, { address: '192.0.2.1', port: 5060 }, new SsrcCounts(), false, 'bad "x" \\ y')!;
    expect([reply.status, reply.headers.find((h) => h.name === 'warning')?.value]).toEqual([400, `399 sipwall "bad 'x' ' y"`]);
  });
});

describe('header grammar', () => {
  it('splits lists outside quoted strings with escaped quotes and backslashes', () => {
    expect(splitOutside('"a \\\\\\", b" <sip:x>, c', ',').map((p) => p.text)).toEqual(['"a \\\\\\", b" <sip:x>', ' c']);
  });

  it('reads name-addr forms and refuses the malformed ones', () => {
    expect(parseNameAddr('"J \\"R\\"" <sip:j@example.com> ; tag = 7')?.params.get('tag')).toBe('7');
    expect(parseNameAddr('sip:j@example.com ;   tag    = 18n')?.params.get('tag')).toBe('18n');
    expect(parseNameAddr('<sip:j@example.com;tag=uri-param>')?.params.has('tag')).toBe(false);
    for (const bad of ['"open <sip:j@example.com>', 'Bell, A <sip:j@example.com>', '< sip:j@example.com >', 'sip:j@example.com?x=y', '<sip:j@example.com>;;']) expect(parseNameAddr(bad), bad).toBeUndefined();
  });

  it('reads Via received as a bare IPv6 address (RFC 3261 §20.42) and refuses empty parameters', () => {
    expect(parseVia('SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;received=2001:db8::2')?.params.get('received')).toBe('2001:db8::2');
    expect(parseVia('SIP/2.0/UDP 192.0.2.1;;branch=z9hG4bK1')).toBeUndefined();
  });
});

describe('withReceived: rport and received (RFC 3581 §4, RFC 3261 §18.2.1)', () => {
  const source = { address: '198.51.100.7', port: 5062 };
  it.each([
    ['rport asked, a host name', 'SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bK1;rport', 'SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bK1;received=198.51.100.7;rport=5062'],
    ['no rport, the same address', 'SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK1', 'SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK1'],
    ['no rport, another address', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=198.51.100.7'],
    ['rport with spaces, a stale received', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1; rport ;received=192.0.2.1', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=198.51.100.7;rport=5062'],
    ['two values in one line: only the top one', 'SIP/2.0/UDP 10.0.0.1;branch=x;rport, SIP/2.0/UDP b;branch=y', 'SIP/2.0/UDP 10.0.0.1;branch=x;received=198.51.100.7;rport=5062, SIP/2.0/UDP b;branch=y'],
  ])('%s', (_name, via, expected) => {
    expect(withReceived(via, source)).toBe(expected);
  });
});


describe('verdicts with their reason phrases and what a 400 says', () => {
  const base = (start: string, cseq: string, extra = '', via = 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n') =>
    parseSipMessage(Buffer.from(`${start}\r\n${via}From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c1\r\nCSeq: ${cseq}\r\n${extra}Content-Length: 0\r\n\r\n`, 'latin1'));
  const OPTIONS = 'OPTIONS sip:b@example.com SIP/2.0';
  it.each([
    [200 as number, base(OPTIONS, '1 OPTIONS'), 'OK', undefined],
    [505 as number, base('OPTIONS sip:b@example.com SIP/2.1', '1 OPTIONS'), 'Version Not Supported', undefined],
    [400 as number, base(OPTIONS, '1 OPTIONS', '', ''), 'Bad Request', 'no Via'],
    [400 as number, base(OPTIONS, '1 OPTIONS', 'Call-ID: c2\r\n'), 'Bad Request', '2 call-id headers'],
    [400 as number, base(OPTIONS, 'x OPTIONS'), 'Bad Request', 'malformed CSeq'],
    [400 as number, base(OPTIONS, '1 INVITE'), 'Bad Request', 'CSeq method differs from the request method'],
    [400 as number, parseSipMessage(Buffer.from(`${OPTIONS}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: "x <sip:a@example.com>\r\nTo: <sip:b@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n\r\n`, 'latin1')), 'Bad Request', 'malformed From'],
    [400 as number, parseSipMessage(Buffer.from(`${OPTIONS}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: Bell, A <sip:b@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n\r\n`, 'latin1')), 'Bad Request', 'malformed To'],
    [400 as number, base('OPTIONS <sip:b@example.com> SIP/2.0', '1 OPTIONS'), 'Bad Request', 'malformed Request-URI'],
    [400 as number, base('OPTIONS sips:b@example.com?Route=x SIP/2.0', '1 OPTIONS'), 'Bad Request', 'headers in the Request-URI'],
    [416 as number, base('OPTIONS tel:+15555550100?x=y SIP/2.0', '1 OPTIONS'), 'Unsupported URI Scheme', undefined],
    [200 as number, base('OPTIONS sips:b@example.com SIP/2.0', '1 OPTIONS'), 'OK', undefined],
    [501 as number, base('FROB sip:b@example.com SIP/2.0', '1 FROB'), 'Not Implemented', undefined],
    [481 as number, base('CANCEL sip:b@example.com SIP/2.0', '1 CANCEL'), 'Call/Transaction Does Not Exist', undefined],
    [420 as number, base(OPTIONS, '1 OPTIONS', 'Require: a, b\r\n'), 'Bad Extension', undefined],
  ])('%#: %i', (status, message, reason, why) => {
    const v = verdictOf(message);
    expect([v.status, v.reason, v.why]).toEqual([status, reason, why]);
  });

  it('every registered method is known (405 with Allow: OPTIONS), not unknown (501); CANCEL 481', () => {
    for (const method of ['BYE', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'PRACK', 'PUBLISH', 'REFER', 'REGISTER', 'SUBSCRIBE', 'UPDATE']) {
      const v = verdictOf(base(`${method} sip:b@example.com SIP/2.0`, `1 ${method}`));
      expect([method, v.status, v.reason, v.required]).toEqual([method, 405, 'Method Not Allowed', [{ name: 'allow', value: 'OPTIONS' }]]);
    }
    expect(verdictOf(base('ACK sip:b@example.com SIP/2.0', '1 ACK')).status).not.toBe(501);
    expect(verdictOf(base(OPTIONS, '1 OPTIONS', 'Require: a, b\r\n')).required).toEqual([{ name: 'unsupported', value: 'a, b' }]);
    expect(verdictOf(base(OPTIONS, '1 OPTIONS')).required).toEqual([]);
    expect(verdictOf(base('CANCEL sip:b@example.com SIP/2.0', '1 CANCEL')).required).toEqual([]);
  });

  it('copied: readable singletons only; the added tag is the same for the same Call-ID and differs for another', () => {
    const source = { address: '192.0.2.1', port: 5060 };
    const broken = parseSipMessage(Buffer.from(`${OPTIONS}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: "x <sip:a@example.com>\r\nTo: <sip:b@example.com>\r\nCall-ID: two words\r\nCSeq: x OPTIONS\r\n\r\n`, 'latin1'));
    expect(copied(broken, source).map((h) => h.name)).toEqual(['via', 'to']);
    const tagOf = (callId: string) => copied(parseSipMessage(Buffer.from(`${OPTIONS}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\n\r\n`, 'latin1')), source).find((h) => h.name === 'to')!.value;
    expect(tagOf('c1')).toMatch(/^<sip:b@example\.com>;tag=[0-9a-f]{10}$/);
    expect(tagOf('c1')).toBe(tagOf('c1'));
    expect(tagOf('c1')).not.toBe(tagOf('c2'));
    expect(copied(base(OPTIONS, '1 OPTIONS'), source).map((h) => [h.name, h.value])).toEqual([
      ['via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1'],
      ['from', '<sip:a@example.com>;tag=1'],
      ['to', expect.stringMatching(/^<sip:b@example\.com>;tag=[0-9a-f]{10}$/)],
      ['call-id', 'c1'],
      ['cseq', '1 OPTIONS'],
    ]);
  });
});
