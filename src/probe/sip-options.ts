/**
 * The OPTIONS request sipwall sends, and what its answer says about the path: NAT (RFC 3581
 * `received`/`rport`) and a rewriting SIP ALG (our responder echoes a digest of the request as
 * it arrived, and its Via and Contact). Pure: the sockets live in sip-probe.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { VERSION } from '../version.js';
import { formatSipMessage, header, headerLines, headerValues, parseCSeq, parseVia, type SipHeader, type SipMessage } from './sip-message.js';
import { requestUri, type SipTarget, type Transport } from './target.js';

/** Headers of the echo our responder returns (and the prober asks for). */
/**
 * The responder's echo: a digest of the request as it arrived, its Via and Contact, and the source
 * address and port it saw, base64url-encoded so that no SIP ALG recognises it to rewrite it.
 */
/** `X-Sipwall-Callback: N`: seconds a responder may wait to resend (diagnose nat), and how many resends may wait at once (one per source address and port). */
export const CALLBACK = { header: 'x-sipwall-callback', maxSeconds: 300, pending: 1024 } as const;

export const ECHO = { request: 'x-sipwall-echo', digest: 'x-sipwall-digest', via: 'x-sipwall-via', contact: 'x-sipwall-contact', source: 'x-sipwall-source' } as const;

/** `address:port` (IPv6 in brackets) as the responder writes it into X-Sipwall-Source. */
export function encodeSource(source: Endpoint): string {
  return Buffer.from(hostPort(source), 'utf8').toString('base64url');
}
/** Ask the responder which RTP packets it received: `X-Sipwall-Rtp: <first ssrc>-<last ssrc>`. */
export const RTP_QUERY = 'x-sipwall-rtp';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** An address as a SIP host: IPv6 in brackets. */
export const hostText = (address: string) => (address.includes(':') ? `[${address}]` : address);
export const hostPort = (e: Endpoint) => `${hostText(e.address)}:${e.port}`;

export interface OptionsRequest {
  readonly text: string;
  readonly branch: string;
  readonly callId: string;
  readonly via: string;
  readonly contact: string;
  readonly digest: string;
}

const token = (bytes: number) => randomBytes(bytes).toString('hex');

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'latin1').digest('hex');
}

/** An RFC 3261 OPTIONS from `local` to the target; `extra` adds headers (e.g. the RTP query). */
export function buildOptions(target: SipTarget, transport: Transport, local: Endpoint, extra: readonly SipHeader[] = []): OptionsRequest {
  const branch = `z9hG4bK${token(8)}`;
  const callId = `${token(12)}@sipwall`;
  const via = `SIP/2.0/${transport.toUpperCase()} ${hostPort(local)};branch=${branch};rport`;
  const contact = `<${transport === 'tls' ? 'sips' : 'sip'}:sipwall@${hostPort(local)}${transport === 'udp' || transport === 'tls' ? '' : ';transport=tcp'}>`;
  const uri = requestUri(target);
  const message: SipMessage = {
    kind: 'request',
    method: 'OPTIONS',
    uri,
    headers: [
      { name: 'via', value: via },
      { name: 'max-forwards', value: '70' },
      { name: 'from', value: `"sipwall" <sip:sipwall@${hostText(local.address)}>;tag=${token(6)}` },
      { name: 'to', value: `<${uri}>` },
      { name: 'call-id', value: callId },
      { name: 'cseq', value: '1 OPTIONS' },
      { name: 'contact', value: contact },
      { name: 'accept', value: 'application/sdp' },
      { name: 'user-agent', value: `sipwall/${VERSION}` },
      { name: ECHO.request, value: 'digest' },
      ...extra,
      // Room for the echo: a responder answers no larger than the request over UDP.
      { name: 'x-sipwall-pad', value: 'x'.repeat(240) },
    ],
    body: '',
  };
  const text = formatSipMessage(message);
  return { text, branch, callId, via, contact, digest: sha256(text) };
}

/**
 * Whether a message is the answer to our request: a response with exactly one Via (RFC 3261
 * §18.1.2: a client discards a response with more), our branch in it, our Call-ID, and our CSeq
 * (§17.1.3 matches the CSeq method too: a 200 for an INVITE is no answer to our OPTIONS), each
 * header once.
 */
export function answers(request: OptionsRequest, message: SipMessage): boolean {
  if (message.kind !== 'response') return false;
  const vias = headerValues(message, 'via');
  const callIds = headerLines(message, 'call-id');
  const cseqs = headerLines(message, 'cseq');
  if (vias.length !== 1 || callIds.length !== 1 || cseqs.length !== 1) return false;
  const cseq = parseCSeq(cseqs[0]!.value);
  return parseVia(vias[0]!)?.params.get('branch') === request.branch && callIds[0]!.value === request.callId && cseq?.seq === 1 && cseq.method === 'OPTIONS';
}

export interface NatReport {
  readonly behindNat: boolean;
  readonly local: string;
  /** The address and port the server saw, when it said. */
  readonly public: string | undefined;
  /**
   * What it was judged from: `echo`, the source a sipwall responder reports in a form no SIP ALG
   * rewrites; `via`, the Via received/rport of the reply (RFC 3581), which a SIP ALG on the way
   * back rewrites to the private address; `none`, the server said neither.
   */
  readonly evidence: 'echo' | 'via' | 'none';
}

/** The source the far end saw: its echo when it is a sipwall responder, else the reply's Via. */
export function natOf(response: SipMessage, local: Endpoint): NatReport {
  const echoed = decodeSource(header(response, ECHO.source));
  if (echoed) {
    return { behindNat: echoed.address !== local.address || echoed.port !== local.port, local: hostPort(local), public: hostPort(echoed), evidence: 'echo' };
  }
  const via = parseVia(headerValues(response, 'via')[0] ?? '');
  const received = via?.params.get('received') || undefined;
  const rport = Number(via?.params.get('rport') || NaN);
  const seen = { address: received ?? local.address, port: Number.isInteger(rport) && rport > 0 ? rport : local.port };
  const said = received !== undefined || Number.isInteger(rport);
  return {
    behindNat: said && (seen.address !== local.address || seen.port !== local.port),
    local: hostPort(local),
    public: said ? hostPort(seen) : undefined,
    evidence: said ? 'via' : 'none',
  };
}

function decodeSource(value: string | undefined): Endpoint | undefined {
  if (value === undefined || !/^[A-Za-z0-9_-]{1,80}$/.test(value)) return undefined;
  const m = /^\[?([0-9A-Fa-f:.]+)\]?:(\d{1,5})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  return m ? { address: m[1]!, port: Number(m[2]) } : undefined;
}

export interface AlgReport {
  /** False when the far end is not a sipwall responder (it sent no echo). */
  readonly checked: boolean;
  readonly suspected: boolean;
  /** What changed on the way, `sent → received`, header by header. */
  readonly diff: string[];
}

/** Compares what our responder says it received with what we sent. */
export function algOf(request: OptionsRequest, response: SipMessage): AlgReport {
  const digest = header(response, ECHO.digest);
  if (digest === undefined) return { checked: false, suspected: false, diff: [] };
  const diff: string[] = [];
  const via = header(response, ECHO.via);
  const contact = header(response, ECHO.contact);
  if (via !== undefined && via !== request.via) diff.push(`Via: ${request.via} → ${via}`);
  if (contact !== undefined && contact !== request.contact) diff.push(`Contact: ${request.contact} → ${contact}`);
  const rewritten = digest !== `sha256=${request.digest}`;
  if (rewritten && diff.length === 0) diff.push('the request changed on the way (digest differs), outside Via and Contact');
  return { checked: true, suspected: rewritten, diff };
}
