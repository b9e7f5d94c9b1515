/**
 * SIP messages (RFC 3261 §7): a parser that takes any bytes a network can deliver and either
 * returns a message or throws SipParseError, never hangs and never holds more than the limits
 * below; and a serializer. Pure.
 */

/** Largest message accepted (RFC 3261 §18.1.1 allows UDP up to 65,535; TCP is framed the same). */
export const MAX_MESSAGE_BYTES = 65_535;
const MAX_HEADERS = 128;

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
}

/** Compact header forms (RFC 3261 §7.3.3 and the registry), mapped to their long names. */
const COMPACT: Record<string, string> = {
  v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type',
  k: 'supported', s: 'subject', e: 'content-encoding', o: 'event', r: 'refer-to', u: 'allow-events',
};

export interface SipHeader {
  /** Lower-case long form (`v` becomes `via`). */
  readonly name: string;
  readonly value: string;
}

export interface SipMessage {
  readonly kind: 'request' | 'response';
  /** Requests. */
  readonly method?: string;
  readonly uri?: string;
  /** Responses. */
  readonly status?: number;
  readonly reason?: string;
  readonly headers: readonly SipHeader[];
  readonly body: string;
}

/** The first value of a header, or undefined. */
export function header(message: SipMessage, name: string): string | undefined {
  return message.headers.find((h) => h.name === name)?.value;
}

/**
 * Every value of a header: repeated headers and comma lists (outside quotes and <…>) count
 * alike, so `Via: a, b` and two Via lines both give [a, b].
 */
export function headerValues(message: SipMessage, name: string): string[] {
  return message.headers.filter((h) => h.name === name).flatMap((h) => splitList(h.value));
}

function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v !== '');
}

/** Where the header block ends (index of the empty line's CRLFCRLF or LFLF), or -1. */
function headerEnd(text: string): { at: number; gap: number } | undefined {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  if (lf < 0 || (crlf >= 0 && crlf < lf)) return { at: crlf, gap: 4 };
  return { at: lf, gap: 2 };
}

/**
 * Parses one message. `datagram`: the bytes are the whole message (UDP), so a body shorter than
 * Content-Length is an error and a missing Content-Length means "the rest" (RFC 3261 §18.3).
 */
export function parseSipMessage(bytes: Uint8Array, datagram = true): SipMessage {
  if (bytes.length > MAX_MESSAGE_BYTES) throw new SipParseError(`message of ${bytes.length} bytes is over ${MAX_MESSAGE_BYTES}`);
  // latin1 keeps one character per byte, so lengths stay byte counts; values are ASCII anyway.
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives on TCP).
  text = text.replace(/^(\r?\n)+/, '');
  const end = headerEnd(text);
  if (!end) throw new SipParseError('no empty line after the headers');
  const lines = text.slice(0, end.at).split(/\r?\n/);
  const start = lines.shift() ?? '';
  const unfolded: string[] = [];
  for (const line of lines) {
    // Header folding (RFC 3261 §7.3.1): a line starting with white space continues the last.
    if (/^[ \t]/.test(line)) {
      if (unfolded.length === 0) throw new SipParseError('continuation line before any header');
      unfolded[unfolded.length - 1] += ` ${line.trim()}`;
    } else {
      unfolded.push(line);
    }
  }
  if (unfolded.length > MAX_HEADERS) throw new SipParseError(`${unfolded.length} headers, over ${MAX_HEADERS}`);
  const headers = unfolded.map((line): SipHeader => {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`header line without a name: ${printable(line)}`);
    const raw = line.slice(0, colon).trim().toLowerCase();
    if (!/^[a-z0-9!%*_+`'~.-]+$/.test(raw)) throw new SipParseError(`bad header name ${printable(raw)}`);
    return { name: COMPACT[raw] ?? raw, value: line.slice(colon + 1).trim() };
  });
  const rest = text.slice(end.at + end.gap);
  const lengthText = headers.find((h) => h.name === 'content-length')?.value;
  let body = rest;
  if (lengthText !== undefined) {
    if (!/^\d{1,5}$/.test(lengthText)) throw new SipParseError(`bad Content-Length ${printable(lengthText)}`);
    const length = Number(lengthText);
    if (length > rest.length) throw new SipParseError(`Content-Length ${length} but only ${rest.length} body bytes`);
    body = rest.slice(0, length);
  } else if (!datagram) {
    throw new SipParseError('no Content-Length on a stream transport');
  }
  const response = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/.exec(start);
  if (response) return { kind: 'response', status: Number(response[1]), reason: response[2]!, headers, body };
  const request = /^([A-Za-z]{1,32}) (\S{1,4096}) SIP\/2\.0$/.exec(start);
  if (request) return { kind: 'request', method: request[1]!.toUpperCase(), uri: request[2]!, headers, body };
  throw new SipParseError(`bad start line ${printable(start)}`);
}

/**
 * Stream framing (TCP/TLS): the length of the first whole message in `buffer`, undefined if more
 * bytes are needed; throws when the header block or the message cannot fit the limit.
 */
export function frameLength(buffer: Buffer): number | undefined {
  let skip = 0;
  while (skip < buffer.length && (buffer[skip] === 13 || buffer[skip] === 10)) skip++;
  const text = buffer.subarray(skip, Math.min(buffer.length, skip + MAX_MESSAGE_BYTES)).toString('latin1');
  const end = headerEnd(text);
  if (!end) {
    if (buffer.length - skip >= MAX_MESSAGE_BYTES) throw new SipParseError(`no end of headers within ${MAX_MESSAGE_BYTES} bytes`);
    return undefined;
  }
  const match = /(?:^|\n)(?:content-length|l)[ \t]*:[ \t]*(\d{1,5})[ \t]*\r?(?:\n|$)/i.exec(text.slice(0, end.at));
  if (!match) throw new SipParseError('no Content-Length on a stream transport');
  const total = skip + end.at + end.gap + Number(match[1]);
  if (total - skip > MAX_MESSAGE_BYTES) throw new SipParseError(`message of ${total - skip} bytes is over ${MAX_MESSAGE_BYTES}`);
  return buffer.length >= total ? total : undefined;
}

/** A value short and free of control characters, for error messages and logs. */
export function printable(text: string, max = 80): string {
  const clean = text.replace(/[^ -~]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Serializes a message; Content-Length is always written (and any given one replaced). */
export function formatSipMessage(message: SipMessage): string {
  const start = message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = message.headers.filter((h) => h.name !== 'content-length').map((h) => `${displayName(h.name)}: ${h.value}`);
  return `${[start, ...lines, `Content-Length: ${Buffer.byteLength(message.body, 'latin1')}`].join('\r\n')}\r\n\r\n${message.body}`;
}

const SPECIAL: Record<string, string> = { 'call-id': 'Call-ID', cseq: 'CSeq', www: 'WWW', 'user-agent': 'User-Agent' };

function displayName(name: string): string {
  return SPECIAL[name] ?? name.split('-').map((w) => SPECIAL[w] ?? w.charAt(0).toUpperCase() + w.slice(1)).join('-');
}

export interface Via {
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: ReadonlyMap<string, string>;
}

/** `SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK…;rport=5060;received=198.51.100.7`. */
export function parseVia(value: string): Via | undefined {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[0-9A-Fa-f:.]+\]|[^\s;:]+)(?::(\d{1,5}))?\s*((?:;.*)?)$/.exec(value.trim());
  if (!m) return undefined;
  const params = new Map<string, string>();
  for (const part of m[4]!.split(';').slice(1)) {
    const [k, v] = part.split('=', 2);
    if (k) params.set(k.trim().toLowerCase(), (v ?? '').trim());
  }
  return { transport: m[1]!.toUpperCase(), host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] === undefined ? undefined : Number(m[3]), params };
}
