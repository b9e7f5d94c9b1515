/**
 * RFC 4475's messages turned into answers to the prober's OPTIONS (issue 12): a server on
 * loopback answers with the message made into a response to our request (request line → `SIP/2.0
 * 200 OK`; the top Via's branch, the Call-ID and a readable CSeq of the message's own method made
 * ours), then with a plain 200 whose reason is `sentinel`. The prober either reports the message
 * (its status, its reason decoded as UTF-8) or drops it and reports the sentinel; never another
 * status. Over TCP a stream that can no longer be framed ends the probe as an error, and one that
 * waits for more body than comes ends it on the timeout.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSipMessage, header, headerValues, parseSipMessage, parseVia } from '../../src/probe/sip-message.js';
import { probeSip, type SipProbeResult } from '../../src/probe/sip-probe.js';
import { parseSipTarget } from '../../src/probe/target.js';
import { freePort } from '../helpers/ports.js';
import { MESSAGES } from './torture/messages.js';
import { TORTURE } from './torture/table.js';

type ProberExpect = 'report' | 'drop' | 'error' | 'timeout';

/**
 * What a client must do with each message as an answer. Dropped (RFC 3261 §18.1.2, §17.1.3):
 * more than one Via, no branch or a malformed top Via, a Call-ID or CSeq missing, repeated or
 * not ours (a CSeq of another method, or beyond 2**31 - 1), a status that is not three digits, a
 * body shorter than its Content-Length; a 1xx is provisional (the sentinel is the final answer).
 */
const DROPPED = new Set(['wsinv', 'longreq', 'transports', 'noreason', 'badinv01', 'clerr', 'ncl', 'scalar02', 'scalarlg', 'badvers', 'mismatch01', 'mismatch02', 'bigcode', 'insuf', 'multi01', 'mcl01', 'bcast', 'inv2543']);
/** Over TCP: streams that can no longer be framed, and one that waits for 9,999 body bytes. */
const STREAM: Record<string, ProberExpect> = { ncl: 'error', mcl01: 'error', inv2543: 'error', clerr: 'timeout' };

function expected(name: string, transport: 'udp' | 'tcp'): ProberExpect {
  return (transport === 'tcp' ? STREAM[name] : undefined) ?? (DROPPED.has(name) ? 'drop' : 'report');
}

/** The message as an answer to `request` (see the file comment). */
function asAnswer(message: Buffer, request: { branch: string; callId: string }): Buffer {
  let text = message.toString('latin1');
  const firstLine = text.slice(0, text.indexOf('\r\n'));
  const method = /^(\S+) .* SIP\/\d+\.\d+ *$/.exec(firstLine)?.[1];
  if (method !== undefined && !firstLine.startsWith('SIP/')) text = `SIP/2.0 200 OK${text.slice(firstLine.length)}`;
  const head = text.indexOf('\r\n\r\n');
  let headers = text.slice(0, head);
  // The first branch of the first Via line (folding allowed around `=`).
  headers = headers.replace(/(\r\n(?:via|v)[ \t]*:(?:[^\r]|\r\n[ \t])*?;(?:[ \t]|\r\n[ \t])*branch(?:[ \t]|\r\n[ \t])*=(?:[ \t]|\r\n[ \t])*)[^;,\s]*/i, `$1${request.branch}`);
  headers = headers.replace(/(\r\n(?:call-id|i)[ \t]*:[ \t]*)\S+/i, `$1${request.callId}`);
  headers = headers.replace(/(\r\n(?:cseq)[ \t]*:(?:[ \t]|\r\n[ \t])*)(\d{1,10})((?:[ \t]|\r\n[ \t])+)(\S+)/i, (all, pre: string, seq: string, gap: string, m: string) =>
    Number(seq) <= 2 ** 31 - 1 && (method === undefined || m === method) ? `${pre}1${gap}OPTIONS` : all,
  );
  return Buffer.concat([Buffer.from(headers + text.slice(head), 'latin1')]);
}

function sentinel(request: Buffer): Buffer {
  const m = parseSipMessage(request);
  return Buffer.from(
    formatSipMessage({
      kind: 'response',
      status: 200,
      reason: 'sentinel',
      headers: [{ name: 'via', value: header(m, 'via')! }, { name: 'from', value: header(m, 'from')! }, { name: 'to', value: `${header(m, 'to')!};tag=s` }, { name: 'call-id', value: header(m, 'call-id')! }, { name: 'cseq', value: header(m, 'cseq')! }],
      body: '',
    }),
    'latin1',
  );
}

function idsOf(request: Buffer): { branch: string; callId: string } {
  const m = parseSipMessage(request, false);
  return { branch: parseVia(headerValues(m, 'via')[0]!)!.params.get('branch')!, callId: header(m, 'call-id')! };
}

/** The start line's status and UTF-8 reason, as a correct client reports them. */
function startOf(answer: Buffer): { status: number; reason: string } {
  const line = answer.subarray(0, answer.indexOf('\r\n'));
  const m = /^SIP\/2\.0 (\d{3}) (.*)$/s.exec(line.toString('latin1'))!;
  return { status: Number(m[1]), reason: Buffer.from(m[2]!, 'latin1').toString('utf8') };
}

describe('RFC 4475 messages as answers to the prober', () => {
  let port: number;
  let current: Buffer;
  let udp: dgram.Socket;
  let tcp: net.Server;
  beforeAll(async () => {
    port = await freePort();
    udp = dgram.createSocket('udp4');
    udp.on('message', (bytes, from) => {
      udp.send(asAnswer(current, idsOf(bytes)), from.port, from.address);
      udp.send(sentinel(bytes), from.port, from.address);
    });
    await new Promise<void>((r) => udp.bind(port, '127.0.0.1', () => r()));
    tcp = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (bytes) => socket.write(Buffer.concat([asAnswer(current, idsOf(bytes)), sentinel(bytes)])));
    });
    await new Promise<void>((r) => tcp.listen(port, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    udp.close();
    await new Promise((r) => tcp.close(r));
  });

  const rows = TORTURE.flatMap((r) => (['udp', 'tcp'] as const).map((t) => [`${r.section} ${r.name} over ${t}: ${expected(r.name, t)}`, r.name, t] as const));
  it.each(rows)('%s', async (_, name, transport) => {
    current = MESSAGES.get(name)!;
    const want = expected(name, transport);
    // The timeout only ends the one row whose stream waits for more (clerr over TCP).
    const result: SipProbeResult = await probeSip(parseSipTarget(`127.0.0.1:${port}`), transport, { timeoutMs: want === 'timeout' ? 1000 : 10_000, insecure: false });
    if (want === 'report') {
      const { status, reason } = startOf(asAnswer(current, { branch: 'b', callId: 'c' }));
      expect([result.outcome, result.status, result.reason]).toEqual(['answered', status, reason]);
    } else if (want === 'drop') {
      expect([result.outcome, result.status, result.reason]).toEqual(['answered', 200, 'sentinel']);
    } else {
      expect(result.outcome).toBe(want);
      expect(result.status).toBeUndefined();
    }
  });

  it('reports a UTF-8 reason phrase as text, and a response whose CSeq names INVITE is not our answer', () => {
    expect(startOf(asAnswer(MESSAGES.get('unreason')!, { branch: 'b', callId: 'c' })).reason).toBe('Всё хорошо: двести = 2**3 * 5**2, 二百');
    expect(expected('bcast', 'udp')).toBe('drop');
  });
});
