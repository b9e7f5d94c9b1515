/**
 * What a SIP server that implements only OPTIONS answers, by RFC 3261's checks in their order
 * (§8.2: the request's own consistency, then the method §8.2.1, then the Request-URI scheme
 * §8.2.2.1 and Require §8.2.2.3), and how the answer copies the request (§8.2.6.2: the Vias in
 * order, From, Call-ID and CSeq once, To with one tag). Pure; the responder adds its echo.
 *
 * RFC 4475 (SIP torture test messages) names the answer for each of its 49 messages; the
 * conformance test replays a message of each kind (test/probe/torture.test.ts).
 */
import { headerLines, headerValues, isUri, parseCSeq, parseNameAddr, parseVia, splitOutside, type SipHeader, type SipMessage } from './sip-message.js';
import { sha256 } from './sip-options.js';

/** The methods the responder implements. */
export const ALLOWED_METHODS = ['OPTIONS'] as const;

/**
 * Methods of RFC 3261 and its extensions (IANA "Methods and Response Codes" registry): a server
 * that does not implement one answers 405 with Allow; any other method is unknown: 501 (§8.2.1).
 */
const KNOWN_METHODS = new Set(['ACK', 'BYE', 'CANCEL', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'OPTIONS', 'PRACK', 'PUBLISH', 'REFER', 'REGISTER', 'SUBSCRIBE', 'UPDATE']);

/** Headers a request carries exactly once (RFC 3261 §8.1.1, §20: From, To, Call-ID, CSeq). */
const ONCE = ['from', 'to', 'call-id', 'cseq'] as const;

export interface Verdict {
  readonly status: number;
  readonly reason: string;
  /** Headers the status requires: Allow on 405 (§21.4.6) and 501, Unsupported on 420 (§20.40). */
  readonly required: readonly SipHeader[];
  /** What was wrong, for 400 (a Warning header and the log). */
  readonly why?: string;
}

const bad = (why: string): Verdict => ({ status: 400, reason: 'Bad Request', required: [], why });
const allow = { name: 'allow', value: ALLOWED_METHODS.join(', ') };

/**
 * The status for a request. `problem`: why the parser could read the request only in part (its
 * framing or its request line); such a request is a 400.
 */
export function verdictOf(request: SipMessage, problem?: string): Verdict {
  if (problem !== undefined) return bad(problem);
  if (request.version !== '2.0') return { status: 505, reason: 'Version Not Supported', required: [] };
  const vias = headerLines(request, 'via');
  if (vias.length === 0) return bad('no Via');
  if (!vias.every((h) => splitOutside(h.value, ',').every((v) => parseVia(v.text) !== undefined))) return bad('malformed Via');
  for (const name of ONCE) {
    const n = headerLines(request, name).length;
    if (n !== 1) return bad(n === 0 ? `no ${name}` : `${n} ${name} headers`);
  }
  const cseq = parseCSeq(headerLines(request, 'cseq')[0]!.value);
  if (!cseq) return bad('malformed CSeq');
  // Methods are case-sensitive (§7.1): `options` is another method than OPTIONS.
  if (cseq.method !== request.method) return bad('CSeq method differs from the request method');
  if (!parseNameAddr(headerLines(request, 'from')[0]!.value)) return bad('malformed From');
  if (!parseNameAddr(headerLines(request, 'to')[0]!.value)) return bad('malformed To');
  if (!/^\S+$/.test(headerLines(request, 'call-id')[0]!.value)) return bad('malformed Call-ID');
  const uri = request.uri ?? '';
  if (!isUri(uri)) return bad('malformed Request-URI');
  const scheme = uri.slice(0, uri.indexOf(':')).toLowerCase();
  // Headers have no place in a Request-URI (§19.1.5; RFC 4475 §3.1.2.11). They follow the host:
  // a `?` in the user part is a character of the user (§25.1 user-unreserved), and no `@` can
  // follow them (§25.1 hvalue).
  if ((scheme === 'sip' || scheme === 'sips') && uri.slice(uri.lastIndexOf('@') + 1).includes('?')) return bad('headers in the Request-URI');
  if (!KNOWN_METHODS.has(request.method!)) return { status: 501, reason: 'Not Implemented', required: [allow] };
  // A CANCEL matches no transaction of a stateless server (§9.2).
  if (request.method === 'CANCEL') return { status: 481, reason: 'Call/Transaction Does Not Exist', required: [] };
  if (request.method !== 'OPTIONS') return { status: 405, reason: 'Method Not Allowed', required: [allow] };
  if (scheme !== 'sip' && scheme !== 'sips') return { status: 416, reason: 'Unsupported URI Scheme', required: [] };
  // No option tag is supported: every one in Require is listed back (§8.2.2.3).
  const required = headerValues(request, 'require');
  if (required.length > 0) return { status: 420, reason: 'Bad Extension', required: [{ name: 'unsupported', value: required.join(', ') }] };
  return { status: 200, reason: 'OK', required: [] };
}

/**
 * The top Via value with what the server saw (the first value of the first Via line only):
 * `received` when the sent-by host is a name or another address than the source (§18.2.1) or
 * when rport was asked for; `rport` with the source port only when the request asked for it
 * (RFC 3581 §4). Undefined when the value is unreadable: it goes back as it came.
 */
export function withReceived(value: string, source: { address: string; port: number }): string | undefined {
  const [top, ...rest] = splitOutside(value, ',');
  const via = parseVia(top!.text);
  if (!via) return undefined;
  const [head, ...params] = splitOutside(top!.text.trim(), ';');
  const kept = params.map((p) => p.text.trim()).filter((p) => !/^(received|rport)\s*(=|$)/i.test(p));
  const asked = via.params.has('rport');
  const sameHost = via.host.toLowerCase() === source.address.toLowerCase();
  const added = [...(asked || !sameHost ? [`received=${source.address}`] : []), ...(asked ? [`rport=${source.port}`] : [])];
  const first = [head!.text.trimEnd(), ...kept, ...added].join(';');
  return rest.length === 0 ? first : `${first},${value.slice(rest[0]!.at)}`;
}

/** A header line copied only when the request has it once and it is readable. */
function single(request: SipMessage, name: string, readable: (value: string) => boolean): string | undefined {
  const lines = headerLines(request, name);
  return lines.length === 1 && readable(lines[0]!.value) ? lines[0]!.value : undefined;
}

/**
 * The response's copy of the request (§8.2.6.2): the Vias in order, received/rport on the top
 * value only; From, Call-ID and CSeq once each and only when readable (a 400 for two Call-IDs
 * repeats neither); To with its tag, or with one added (the same for every retransmission).
 */
export function copied(request: SipMessage, source: { address: string; port: number }): SipHeader[] {
  const [top, ...rest] = headerLines(request, 'via');
  const from = single(request, 'from', (v) => parseNameAddr(v) !== undefined);
  const to = single(request, 'to', (v) => parseNameAddr(v) !== undefined);
  const callId = single(request, 'call-id', (v) => /^\S+$/.test(v));
  const cseq = single(request, 'cseq', (v) => parseCSeq(v) !== undefined);
  const tag = sha256(callId ?? '').slice(0, 10);
  return [
    ...(top ? [{ name: 'via', value: withReceived(top.value, source) ?? top.value }] : []),
    ...rest,
    ...(from === undefined ? [] : [{ name: 'from', value: from }]),
    ...(to === undefined ? [] : [{ name: 'to', value: parseNameAddr(to)!.params.has('tag') ? to : `${to};tag=${tag}` }]),
    ...(callId === undefined ? [] : [{ name: 'call-id', value: callId }]),
    ...(cseq === undefined ? [] : [{ name: 'cseq', value: cseq }]),
  ];
}
