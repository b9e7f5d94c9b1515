/**
 * RFC 4475 ("SIP Torture Test Messages", May 2006): its 49 messages by the file name of its
 * section 4 archive, each with the answer the RFC asks of a server, as this responder (which
 * implements OPTIONS only) must give it. Where the RFC allows a choice ("could reject ... or
 * could ..."), both answers are listed. Section numbers are the RFC's.
 *
 * Expectations, per transport:
 * - a list of statuses: exactly one answer with one of them;
 * - `none`: no answer and the connection stays open (a response is dropped, RFC 3261 §18.1.2;
 *   on a stream, a body shorter than its Content-Length waits for the rest, RFC 4475 §3.1.2.2);
 * - `close`: no answer and the server closes the connection (the stream cannot be framed any
 *   more: a missing, negative or repeated Content-Length, RFC 3261 §18.3, RFC 4475 §3.1.2.3).
 */
export type Expect = readonly number[] | 'none' | 'close';

export interface Row {
  readonly name: string;
  readonly section: string;
  readonly title: string;
  readonly udp: Expect;
  /** Over TCP (defaults to the UDP expectation). */
  readonly tcp?: Expect;
  /**
   * For the RFC's own archive bytes, where they differ from what the section describes: the
   * archive's baddn.dat lacks the empty line that ends its headers (sipping list, message 06711,
   * June 2006), so a server sees no whole message.
   */
  readonly archive?: { readonly udp: Expect; readonly tcp: Expect };
}

export const TORTURE: readonly Row[] = [
  // 3.1.1 Valid messages: parsed, and answered as any request of their method.
  { name: 'wsinv', section: '3.1.1.1', title: 'A short tortuous INVITE', udp: [405] },
  { name: 'intmeth', section: '3.1.1.2', title: 'Wide range of valid characters (unknown method)', udp: [501] },
  { name: 'esc01', section: '3.1.1.3', title: 'Valid use of the % escaping mechanism', udp: [405] },
  { name: 'escnull', section: '3.1.1.4', title: 'Escaped nulls in URIs', udp: [405] },
  { name: 'esc02', section: '3.1.1.5', title: 'Use of % when it is not an escape (unknown method)', udp: [501] },
  { name: 'lwsdisp', section: '3.1.1.6', title: 'Message with no LWS between display name and <', udp: [200] },
  { name: 'longreq', section: '3.1.1.7', title: 'Long values in header fields', udp: [405] },
  { name: 'dblreq', section: '3.1.1.8', title: 'Extra trailing octets in a UDP datagram', udp: [405], tcp: [405] },
  { name: 'semiuri', section: '3.1.1.9', title: 'Semicolon-separated parameters in URI user part', udp: [200] },
  { name: 'transports', section: '3.1.1.10', title: 'Varied and unknown transport types', udp: [200] },
  { name: 'mpart01', section: '3.1.1.11', title: 'Multipart MIME message', udp: [405] },
  { name: 'unreason', section: '3.1.1.12', title: 'Unusual reason phrase (a response)', udp: 'none' },
  { name: 'noreason', section: '3.1.1.13', title: 'Empty reason phrase (a response)', udp: 'none' },
  // 3.1.2 Invalid messages.
  { name: 'badinv01', section: '3.1.2.1', title: 'Extraneous header field separators', udp: [400] },
  { name: 'clerr', section: '3.1.2.2', title: 'Content-Length larger than message', udp: [400], tcp: 'none' },
  { name: 'ncl', section: '3.1.2.3', title: 'Negative Content-Length', udp: [400], tcp: 'close' },
  { name: 'scalar02', section: '3.1.2.4', title: 'Request scalar fields with overlarge values', udp: [400] },
  { name: 'scalarlg', section: '3.1.2.5', title: 'Response scalar fields with overlarge values', udp: 'none' },
  { name: 'quotbal', section: '3.1.2.6', title: 'Unterminated quoted string in display name', udp: [400] },
  { name: 'ltgtruri', section: '3.1.2.7', title: '<> enclosing Request-URI', udp: [400] },
  { name: 'lwsruri', section: '3.1.2.8', title: 'Malformed SIP Request-URI (embedded LWS)', udp: [400] },
  { name: 'lwsstart', section: '3.1.2.9', title: 'Multiple SP separating Request-Line elements', udp: [400] },
  { name: 'trws', section: '3.1.2.10', title: 'SP characters at end of Request-Line', udp: [400, 200] },
  { name: 'escruri', section: '3.1.2.11', title: 'Escaped headers in SIP Request-URI', udp: [400, 405] },
  { name: 'baddate', section: '3.1.2.12', title: 'Invalid time zone in Date header field', udp: [400, 405] },
  { name: 'regbadct', section: '3.1.2.13', title: 'Failure to enclose name-addr URI in <>', udp: [400, 405] },
  { name: 'badaspec', section: '3.1.2.14', title: 'Spaces within addr-spec', udp: [400] },
  { name: 'baddn', section: '3.1.2.15', title: 'Non-token characters in display name', udp: [400], archive: { udp: 'none', tcp: 'close' } },
  { name: 'badvers', section: '3.1.2.16', title: 'Unknown protocol version', udp: [505] },
  { name: 'mismatch01', section: '3.1.2.17', title: 'Start line and CSeq method mismatch', udp: [400] },
  { name: 'mismatch02', section: '3.1.2.18', title: 'Unknown method with CSeq method mismatch', udp: [400] },
  { name: 'bigcode', section: '3.1.2.19', title: 'Overlarge response code', udp: 'none' },
  // 3.2 Transaction layer semantics.
  { name: 'badbranch', section: '3.2.1', title: 'Missing transaction identifier', udp: [200, 400] },
  // 3.3 Application layer semantics.
  { name: 'insuf', section: '3.3.1', title: 'Missing required header fields', udp: [400] },
  { name: 'unkscm', section: '3.3.2', title: 'Request-URI with unknown scheme', udp: [416] },
  { name: 'novelsc', section: '3.3.3', title: 'Request-URI with known but atypical scheme', udp: [416] },
  { name: 'unksm2', section: '3.3.4', title: 'Unknown URI schemes in header fields', udp: [405, 400] },
  { name: 'bext01', section: '3.3.5', title: 'Proxy-Require and Require', udp: [420] },
  { name: 'invut', section: '3.3.6', title: 'Unknown Content-Type', udp: [405, 415] },
  { name: 'regaut01', section: '3.3.7', title: 'Unknown authorization scheme', udp: [405, 401] },
  { name: 'multi01', section: '3.3.8', title: 'Multiple values in single value required fields', udp: [400] },
  { name: 'mcl01', section: '3.3.9', title: 'Multiple Content-Length values', udp: [400], tcp: 'close' },
  { name: 'bcast', section: '3.3.10', title: '200 OK response with broadcast Via header field value', udp: 'none' },
  { name: 'zeromf', section: '3.3.11', title: 'Max-Forwards of zero', udp: [200] },
  { name: 'cparam01', section: '3.3.12', title: 'REGISTER with a contact header parameter', udp: [405] },
  { name: 'cparam02', section: '3.3.13', title: 'REGISTER with a url parameter', udp: [405] },
  { name: 'regescrt', section: '3.3.14', title: 'REGISTER with a URL escaped header', udp: [405] },
  { name: 'sdp01', section: '3.3.15', title: 'Unacceptable Accept offering', udp: [405, 406] },
  // 3.4 Backward compatibility.
  { name: 'inv2543', section: '3.4.1', title: 'INVITE with RFC 2543 syntax', udp: [405], tcp: 'close' },
];
