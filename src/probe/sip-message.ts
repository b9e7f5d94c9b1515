/**
 * SIP messages (RFC 3261 §7): a parser that takes any bytes a network can deliver and either
 * returns a message or throws SipParseError, never hangs and never holds more than the limits
 * below; and a serializer. Pure.
 */

/** Largest message accepted (RFC 3261 §18.1.1 allows UDP up to 65,535; TCP is framed the same). */
export const MAX_MESSAGE_BYTES = 65_535;
const MAX_HEADERS = 128;

/**
 * Why bytes are not a message. `partial`: the request as far as it could be read (start line and
 * headers), when only its framing or its request line is wrong; a server answers it 400 over UDP
 * (RFC 4475 §3.1.2.2, §3.3.9), never a response (RFC 3261 §18.1.2 drops those).
 */
export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  constructor(
    message: string,
    readonly partial?: SipMessage,
  ) {
    super(message);
  }
}

/** Compact header forms (RFC 3261 §7.3.3 and the registry), mapped to their long names. */
const COMPACT: Record<string, string> = {
  v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type',
  k: 'supported', s: 'subject', e: 'content-encoding', o: 'event', r: 'refer-to', u: 'allow-events',
};

/** RFC 3261 §25.1 `token`. */
export const TOKEN = "[A-Za-z0-9.!%*_+`'~-]+";
const TOKEN_ONLY = new RegExp(`^${TOKEN}$`);
export const isToken = (text: string) => TOKEN_ONLY.test(text);

export interface SipHeader {
  /** Lower-case long form (`v` becomes `via`). */
  readonly name: string;
  readonly value: string;
}

export interface SipMessage {
  readonly kind: 'request' | 'response';
  /** Requests: the method as sent (methods are case-sensitive, RFC 3261 §7.1). */
  readonly method?: string;
  readonly uri?: string;
  /** Requests: the SIP version of the request line (`2.0`; a server answers others 505). */
  readonly version?: string;
  /** Responses. */
  readonly status?: number;
  /** Responses: the reason phrase, decoded as UTF-8 (RFC 3261 §25.1 Reason-Phrase). */
  readonly reason?: string;
  readonly headers: readonly SipHeader[];
  readonly body: string;
}

/** The first value of a header, or undefined. */
export function header(message: SipMessage, name: string): string | undefined {
  return message.headers.find((h) => h.name === name)?.value;
}

/** Every header line of one name. */
export function headerLines(message: SipMessage, name: string): SipHeader[] {
  return message.headers.filter((h) => h.name === name);
}

/**
 * Every value of a header: repeated headers and comma lists (outside quotes and <…>) count
 * alike, so `Via: a, b` and two Via lines both give [a, b]. Empty list elements are left out.
 */
export function headerValues(message: SipMessage, name: string): string[] {
  return headerLines(message, name).flatMap((h) => splitOutside(h.value, ',').map((p) => p.text.trim()).filter((v) => v !== ''));
}

/**
 * Splits at `separator` outside quoted strings (with their backslash escapes, RFC 3261 §25.1
 * quoted-pair) and outside <…>; each part with its offset in `value`, empty parts kept.
 */
export function splitOutside(value: string, separator: ',' | ';'): Array<{ text: string; at: number }> {
  const out: Array<{ text: string; at: number }> = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === separator) {
      out.push({ text: value.slice(start, i), at: start });
      start = i + 1;
    }
  }
  out.push({ text: value.slice(start), at: start });
  return out;
}

/** Where the header block ends (index of the empty line's CRLFCRLF or LFLF), or -1. */
function headerEnd(text: string): { at: number; gap: number } | undefined {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  if (lf < 0 || (crlf >= 0 && crlf < lf)) return { at: crlf, gap: 4 };
  return { at: lf, gap: 2 };
}

/** Header lines with folding undone (RFC 3261 §7.3.1: a line starting with white space continues the last). */
function unfold(lines: readonly string[]): string[] {
  const unfolded: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (unfolded.length === 0) throw new SipParseError('continuation line before any header');
      unfolded[unfolded.length - 1] += ` ${line.trim()}`;
    } else {
      unfolded.push(line);
    }
  }
  if (unfolded.length > MAX_HEADERS) throw new SipParseError(`${unfolded.length} headers, over ${MAX_HEADERS}`);
  return unfolded;
}

/** `name HCOLON value` (RFC 3261 §25.1: white space before the colon is allowed). */
function splitHeader(line: string): { name: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const raw = line.slice(0, colon).trim().toLowerCase();
  return { name: COMPACT[raw] ?? raw, value: line.slice(colon + 1).trim() };
}

/**
 * The body length the headers declare: undefined without Content-Length, else one value of
 * digits; two Content-Lengths (RFC 4475 §3.3.9) or a negative one (§3.1.2.3) are framing errors.
 */
function declaredLength(values: readonly string[]): number | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new SipParseError(`${values.length} Content-Length headers`);
  if (!/^\d{1,5}$/.test(values[0]!)) throw new SipParseError(`bad Content-Length ${printable(values[0]!)}`);
  return Number(values[0]);
}

const REQUEST_LINE = new RegExp(`^(${TOKEN}) (\\S{1,4096}) SIP/(\\d{1,3}\\.\\d{1,3})$`);
/** A line that starts like a request but breaks its grammar (RFC 4475 §3.1.2.7-10): answered 400. */
const LOOSE_REQUEST_LINE = new RegExp(`^(${TOKEN})[ \t]+(.{0,4096}?)[ \t]*SIP/(\\d{1,3}\\.\\d{1,3})[ \t]*$`);
/** Exactly three digits and a space (RFC 3261 §25.1 Status-Line); the reason may be empty. */
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d) (.*)$/;

/**
 * Parses one message. `datagram`: the bytes are the whole message (UDP), so a body shorter than
 * Content-Length is an error and a missing Content-Length means "the rest" (RFC 3261 §18.3).
 */
export function parseSipMessage(bytes: Uint8Array, datagram = true): SipMessage {
  if (bytes.length > MAX_MESSAGE_BYTES) throw new SipParseError(`message of ${bytes.length} bytes is over ${MAX_MESSAGE_BYTES}`);
  // latin1 keeps one character per byte, so lengths stay byte counts and a reply copies bytes as they came.
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives on TCP).
  text = text.replace(/^(\r?\n)+/, '');
  const end = headerEnd(text);
  if (!end) throw new SipParseError('no empty line after the headers');
  const lines = text.slice(0, end.at).split(/\r?\n/);
  const start = lines.shift() ?? '';
  const headers = unfold(lines).map((line): SipHeader => {
    const h = splitHeader(line);
    if (!h) throw new SipParseError(`header line without a name: ${printable(line)}`);
    if (!isToken(h.name)) throw new SipParseError(`bad header name ${printable(h.name)}`);
    return h;
  });
  const status = STATUS_LINE.exec(start);
  const request = status ? undefined : REQUEST_LINE.exec(start);
  const loose = status || request ? undefined : LOOSE_REQUEST_LINE.exec(start);
  const head: SipMessage | undefined = status
    ? { kind: 'response', status: Number(status[1]), reason: Buffer.from(status[2]!, 'latin1').toString('utf8'), headers, body: '' }
    : request || loose
      ? { kind: 'request', method: (request ?? loose)![1]!, uri: (request ?? loose)![2]!, version: (request ?? loose)![3]!, headers, body: '' }
      : undefined;
  if (!head) throw new SipParseError(`bad start line ${printable(start)}`);
  // A request is kept as far as it was read, for a 400; a response is only dropped.
  const fail = (reason: string): never => {
    throw new SipParseError(reason, head.kind === 'request' ? head : undefined);
  };
  if (loose) fail(`bad request line ${printable(start)}`);
  const rest = text.slice(end.at + end.gap);
  let length: number | undefined;
  try {
    length = declaredLength(headers.filter((h) => h.name === 'content-length').map((h) => h.value));
  } catch (error) {
    fail((error as Error).message);
  }
  if (length === undefined && !datagram) fail('no Content-Length on a stream transport');
  if (length !== undefined && length > rest.length) fail(`Content-Length ${length} but only ${rest.length} body bytes`);
  return { ...head, body: length === undefined ? rest : rest.slice(0, length) };
}

/**
 * Stream framing (TCP/TLS): the length of the first whole message in `buffer`, undefined if more
 * bytes are needed; throws when the header block or the message cannot fit the limit, or when
 * the Content-Length is missing, repeated or not a number (the stream cannot be framed again:
 * the connection must close, RFC 4475 §3.1.2.3).
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
  const lengths = unfold(text.slice(0, end.at).split(/\r?\n/).slice(1))
    .map(splitHeader)
    .filter((h) => h?.name === 'content-length')
    .map((h) => h!.value);
  const length = declaredLength(lengths);
  if (length === undefined) throw new SipParseError('no Content-Length on a stream transport');
  const total = skip + end.at + end.gap + length;
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
  // The reason phrase is UTF-8 on the wire; everything else is carried byte for byte (latin1).
  const reason = Buffer.from(message.reason ?? '', 'utf8').toString('latin1');
  const start = message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${reason}`;
  const lines = message.headers.filter((h) => h.name !== 'content-length').map((h) => `${displayName(h.name)}: ${h.value}`);
  return `${[start, ...lines, `Content-Length: ${Buffer.byteLength(message.body, 'latin1')}`].join('\r\n')}\r\n\r\n${message.body}`;
}

const SPECIAL: Record<string, string> = { 'call-id': 'Call-ID', cseq: 'CSeq', www: 'WWW', 'user-agent': 'User-Agent' };

function displayName(name: string): string {
  return SPECIAL[name] ?? name.split('-').map((w) => SPECIAL[w] ?? w.charAt(0).toUpperCase() + w.slice(1)).join('-');
}

const QUOTED = String.raw`"(?:[^"\\\r\n]|\\[^\r\n])*"`;
/** A generic-param value (RFC 3261 §25.1 gen-value: token, host or quoted-string). */
const PARAM = new RegExp(String.raw`^\s*(${TOKEN})\s*(?:=\s*(${TOKEN}|\[?[0-9A-Fa-f:.]+\]?|${QUOTED})\s*)?$`);

/**
 * `;name=value;name` parameters (SWS around `;` and `=`, RFC 3261 §25.1 SEMI, EQUAL), names
 * lower-cased; undefined when one is empty or not of the grammar (RFC 4475 §3.1.2.1).
 */
export function parseParams(text: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  if (text.trim() === '') return params;
  const parts = splitOutside(text, ';');
  if (parts[0]!.text.trim() !== '') return undefined;
  for (const { text: part } of parts.slice(1)) {
    const m = PARAM.exec(part);
    if (!m) return undefined;
    params.set(m[1]!.toLowerCase(), m[2] ?? '');
  }
  return params;
}

/** `scheme:rest` without white space, quotes or angle brackets (RFC 3261 §19.1, RFC 3986 §3.1). */
export const isUri = (text: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/.test(text);

export interface NameAddr {
  readonly uri: string;
  /** Header parameters (after `>`, or after the URI in the addr-spec form). */
  readonly params: ReadonlyMap<string, string>;
}

/**
 * From, To and Contact values (RFC 3261 §20.10, §20.20, §20.39): `"display" <uri>;params`,
 * `tokens <uri>;params` or `uri;params`; undefined when malformed: an unbalanced quote (RFC 4475
 * §3.1.2.6), white space inside <…> (§3.1.2.14), a display name neither quoted nor tokens
 * (§3.1.2.15).
 */
export function parseNameAddr(value: string): NameAddr | undefined {
  const text = value.trim();
  const quoted = new RegExp(`^${QUOTED}\\s*<`).exec(text);
  const open = quoted ? quoted[0].length - 1 : text.indexOf('<');
  if (open < 0) {
    const semi = text.indexOf(';');
    const uri = (semi < 0 ? text : text.slice(0, semi)).trim();
    // A bare URI with `?` or `,` must be in <…> (RFC 3261 §20: the name-addr form).
    const params = parseParams(semi < 0 ? '' : text.slice(semi));
    return isUri(uri) && !/[?,]/.test(uri) && params ? { uri, params } : undefined;
  }
  const display = text.slice(0, open).trim();
  if (!quoted && display !== '' && !new RegExp(`^${TOKEN}(?:\\s+${TOKEN})*$`).test(display)) return undefined;
  const close = text.indexOf('>', open);
  if (close < 0) return undefined;
  const uri = text.slice(open + 1, close);
  const params = parseParams(text.slice(close + 1));
  return isUri(uri) && params ? { uri, params } : undefined;
}

/** CSeq (RFC 3261 §8.1.1.5, §20.16): a number below 2**31 and a method. */
export function parseCSeq(value: string): { seq: number; method: string } | undefined {
  const m = new RegExp(`^(\\d{1,10})\\s+(${TOKEN})$`).exec(value.trim());
  if (!m || Number(m[1]) > 2 ** 31 - 1) return undefined;
  return { seq: Number(m[1]), method: m[2]! };
}

export interface Via {
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: ReadonlyMap<string, string>;
}

/** The sent-protocol and sent-by of a Via value, LWS allowed around `/` (RFC 3261 §20.42). */
const VIA_HEAD = new RegExp(String.raw`^SIP\s*/\s*2\.0\s*/\s*(${TOKEN})\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?:\s*:\s*(\d{1,5}))?`);

/** One Via value, `SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK…;rport`, or undefined when malformed. */
export function parseVia(value: string): Via | undefined {
  const text = value.trim();
  const m = VIA_HEAD.exec(text);
  if (!m) return undefined;
  const params = parseParams(text.slice(m[0].length));
  if (!params) return undefined;
  return { transport: m[1]!.toUpperCase(), host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] === undefined ? undefined : Number(m[3]), params };
}
