/**
 * Replays a message against a running responder and judges the answer: its status against the
 * RFC 4475 table, and its copy of the request against RFC 3261 §8.2.6.2. Shared by the
 * conformance test and `npm run conformance` (the RFC's own archive).
 *
 * No wall-clock waits decide anything: after the message the client sends a sentinel OPTIONS on
 * the same socket; the responder answers in order, so every answer before the sentinel's is
 * the message's, and no answer before it means none. On a stream that the message left waiting
 * for more bytes, the sentinel is swallowed; the client then half-closes and reads to the end.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { formatSipMessage, headerLines, headerValues, parseCSeq, parseNameAddr, parseSipMessage, parseVia, splitOutside, type SipMessage } from '../../../src/probe/sip-message.js';
import type { Expect, Row } from './table.js';

export interface Outcome {
  readonly answers: readonly Buffer[];
  /** The server closed the stream before the client did. */
  readonly closed: boolean;
}

const SENTINEL_CALL_ID = 'sentinel.sipwall.test';

function sentinel(transport: 'UDP' | 'TCP'): Buffer {
  return Buffer.from(
    formatSipMessage({
      kind: 'request',
      method: 'OPTIONS',
      uri: 'sip:sentinel@example.com',
      version: '2.0',
      headers: [
        { name: 'via', value: `SIP/2.0/${transport} 192.0.2.1;branch=z9hG4bKsentinel` },
        { name: 'from', value: '<sip:sentinel@example.com>;tag=s' },
        { name: 'to', value: '<sip:sentinel@example.com>' },
        { name: 'call-id', value: SENTINEL_CALL_ID },
        { name: 'cseq', value: '1 OPTIONS' },
        { name: 'max-forwards', value: '70' },
      ],
      body: '',
    }),
    'latin1',
  );
}

const isSentinel = (bytes: Buffer) => bytes.includes(SENTINEL_CALL_ID);

/** Bounded: the answer to the sentinel comes within `limitMs` or the replay fails loudly. */
export function replayUdp(port: number, message: Buffer, limitMs = 5000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const answers: Buffer[] = [];
    const timer = setTimeout(() => finish(new Error('no answer to the sentinel OPTIONS')), limitMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve({ answers, closed: false });
    };
    socket.on('message', (bytes) => (isSentinel(bytes) ? finish() : answers.push(bytes)));
    socket.on('error', (error) => finish(error));
    socket.connect(port, '127.0.0.1', () => {
      socket.send(message);
      socket.send(sentinel('UDP'));
    });
  });
}

/** Splits a stream of answers into messages by Content-Length. */
function splitStream(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let rest = stream;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const length = Number(/\r\nContent-Length: (\d+)/i.exec(rest.subarray(0, end).toString('latin1'))?.[1] ?? 0);
    out.push(rest.subarray(0, end + 4 + length));
    rest = rest.subarray(end + 4 + length);
  }
  return out;
}

/**
 * Over TCP: the message, then the sentinel. Ends when the sentinel is answered or the server
 * closes; when neither happens within `waitMs` (the message left the stream waiting for more
 * bytes), the client half-closes and reads what is left.
 */
export function replayTcp(port: number, message: Buffer, waitMs = 1000, limitMs = 5000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let ended = false;
    let done = false;
    const timers = [
      setTimeout(() => {
        ended = true;
        socket.end();
      }, waitMs),
      setTimeout(() => finish(new Error('the server neither answered nor closed')), limitMs),
    ];
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      if (error) return reject(error);
      const all = splitStream(received);
      resolve({ answers: all.filter((a) => !isSentinel(a)), closed: !ended && !all.some(isSentinel) });
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (splitStream(received).some(isSentinel)) finish();
    });
    socket.on('close', () => finish());
    socket.on('error', () => finish());
    socket.on('connect', () => socket.write(Buffer.concat([message, sentinel('TCP')])));
  });
}

/** What is wrong with an outcome, as sentences; empty when the server did as the RFC asks. */
export function judge(row: Row, expect: Expect, request: Buffer, outcome: Outcome): string[] {
  if (expect === 'none' || expect === 'close') {
    const problems = outcome.answers.length > 0 ? [`answered ${outcome.answers.map(statusOf).join(', ')}, expected no answer`] : [];
    if (expect === 'close' && !outcome.closed) problems.push('the connection stayed open, expected the server to close it');
    if (expect === 'none' && outcome.closed) problems.push('the server closed the connection');
    return problems;
  }
  if (outcome.answers.length === 0) return [`no answer, expected ${expect.join(' or ')}`];
  // dblreq over a stream: the trailing request is a request of its own and gets its own answer.
  const [first] = outcome.answers;
  const status = statusOf(first!);
  if (!expect.includes(status)) return [`answered ${status}, expected ${expect.join(' or ')}`];
  const problems = copyProblems(request, first!);
  if (row.name === 'dblreq' && outcome.answers.length > 2) problems.push(`${outcome.answers.length} answers`);
  if (row.name !== 'dblreq' && outcome.answers.length > 1) problems.push(`${outcome.answers.length} answers to one request`);
  return problems;
}

function statusOf(bytes: Buffer): number {
  return Number(/^SIP\/2\.0 (\d{3}) /.exec(bytes.toString('latin1'))?.[1] ?? NaN);
}

/** The request as far as it can be read (a request read in part is read in part here too). */
function readRequest(bytes: Buffer): SipMessage {
  try {
    return parseSipMessage(bytes, true);
  } catch (error) {
    const partial = (error as { partial?: SipMessage }).partial;
    if (partial) return partial;
    throw error;
  }
}

/**
 * RFC 3261 §8.2.6.2 and our own rules for the copy: Via lines in order and unchanged but for
 * received/rport on the top value (rport only when asked, RFC 3581 §4); From, Call-ID and CSeq
 * each at most once and equal to the request's; To with the request's tag or exactly one added;
 * Content-Length equal to the body; Allow on 405 and 501; Unsupported naming every Require option
 * on 420.
 */
export function copyProblems(requestBytes: Buffer, answerBytes: Buffer): string[] {
  const problems: string[] = [];
  const request = readRequest(requestBytes);
  let answer: SipMessage;
  try {
    answer = parseSipMessage(answerBytes, false);
  } catch (error) {
    return [`the answer does not parse: ${(error as Error).message}`];
  }
  const cl = headerLines(answer, 'content-length');
  if (cl.length !== 1 || Number(cl[0]!.value) !== Buffer.byteLength(answer.body, 'latin1')) problems.push('Content-Length differs from the body');
  const reqVias = headerLines(request, 'via').map((h) => h.value);
  const resVias = headerLines(answer, 'via').map((h) => h.value);
  if (reqVias.length !== resVias.length) problems.push(`${resVias.length} Via lines for ${reqVias.length}`);
  else {
    for (let i = 1; i < reqVias.length; i++) if (reqVias[i] !== resVias[i]) problems.push(`Via line ${i + 1} changed`);
    if (reqVias.length > 0) problems.push(...topViaProblems(reqVias[0]!, resVias[0]!));
  }
  for (const name of ['from', 'call-id', 'cseq']) {
    const sent = headerLines(request, name);
    const back = headerLines(answer, name);
    if (back.length > 1) problems.push(`${name} ${back.length} times`);
    if (sent.length === 1 && back.length === 1 && back[0]!.value !== sent[0]!.value) problems.push(`${name} changed`);
    if (sent.length !== 1 && back.length > 0) problems.push(`${name} copied from a request that has ${sent.length}`);
  }
  if (headerLines(request, 'cseq').length === 1 && parseCSeq(headerLines(request, 'cseq')[0]!.value) && headerLines(answer, 'cseq').length !== 1) problems.push('CSeq not copied');
  const sentTo = headerLines(request, 'to');
  const backTo = headerLines(answer, 'to');
  if (backTo.length > 1) problems.push(`To ${backTo.length} times`);
  if (sentTo.length === 1 && parseNameAddr(sentTo[0]!.value)) {
    const to = sentTo[0]!.value;
    const tagged = parseNameAddr(to)!.params.has('tag');
    const back = backTo[0]?.value;
    if (back === undefined) problems.push('To not copied');
    else if (tagged && back !== to) problems.push('To (with its tag) changed');
    else if (!tagged && !(back.startsWith(`${to};tag=`) && /^[A-Za-z0-9]+$/.test(back.slice(to.length + 5)))) problems.push('To not copied with exactly one tag added');
  }
  if ((answer.status === 405 || answer.status === 501) && headerValues(answer, 'allow').length === 0) problems.push(`${answer.status} without Allow`);
  if (answer.status === 420) {
    const unsupported = new Set(headerValues(answer, 'unsupported'));
    const missing = headerValues(request, 'require').filter((r) => !unsupported.has(r));
    if (missing.length > 0 || unsupported.size === 0) problems.push(`420 Unsupported lacks ${missing.join(', ') || 'every option'}`);
  }
  return problems;
}

/** The top Via: the request's first value with only received/rport added or replaced. */
function topViaProblems(sent: string, back: string): string[] {
  const [sentTop, ...sentRest] = splitOutside(sent, ',');
  const [backTop, ...backRest] = splitOutside(back, ',');
  const problems: string[] = [];
  if (sentRest.map((p) => p.text).join(',') !== backRest.map((p) => p.text).join(',')) problems.push('Via values after the top one changed');
  const sentVia = parseVia(sentTop!.text);
  if (!sentVia) {
    if (sent !== back) problems.push('an unreadable top Via did not go back as it came');
    return problems;
  }
  const strip = (text: string) =>
    splitOutside(text.trim(), ';')
      .map((p) => p.text.trim())
      .filter((p, i) => i === 0 || !/^(received|rport)\s*(=|$)/i.test(p))
      .join(';');
  if (strip(sentTop!.text) !== strip(backTop!.text)) problems.push(`top Via changed beyond received/rport: ${backTop!.text}`);
  const backVia = parseVia(backTop!.text);
  if (!backVia) return [...problems, 'top Via unreadable in the answer'];
  if (sentVia.params.has('rport') !== backVia.params.has('rport')) problems.push(sentVia.params.has('rport') ? 'rport asked, not filled in' : 'rport added unasked');
  const count = (name: string) => splitOutside(backTop!.text, ';').filter((p) => new RegExp(`^\\s*${name}\\s*(=|$)`, 'i').test(p.text)).length;
  if (count('rport') > 1 || count('received') > 1) problems.push('received or rport twice');
  return problems;
}
