/** The server's decisions (RFC 3261 §8.2) on requests the RFC 4475 table does not spell out. */
import { describe, expect, it } from 'vitest';
import { parseNameAddr, parseSipMessage, parseVia, splitOutside } from '../../src/probe/sip-message.js';
import { answer, SsrcCounts } from '../../src/probe/responder.js';
import { verdictOf } from '../../src/probe/uas.js';

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
