/**
 * A captured call, read: SIP dialogs (INVITE, responses, ACK, BYE by Call-ID) with the SDP offer
 * and answer, the RTP streams seen each way, and the cause when audio is one-way or the call never
 * connects. Pure: it reads decoded packets (pcap.ts), not files.
 */
import { header, parseSipMessage, frameLength, parseCSeq, type SipMessage } from '../probe/sip-message.js';
import { isPrivate } from './pbx-config.js';
import type { Finding } from './findings.js';
import type { Capture, Packet } from './pcap.js';

export interface Sdp {
  readonly address: string;
  readonly port: number;
  readonly codecs: string[];
}

export interface Seen {
  readonly time: number;
  readonly from: string;
  readonly to: string;
}

export interface Dialog {
  readonly callId: string;
  readonly to: string;
  readonly invite: Seen & { readonly sends: number };
  /** The final response to the INVITE (the last one seen), and every status in order. */
  readonly final?: Seen & { readonly status: number; readonly reason: string };
  readonly statuses: number[];
  readonly offer?: Sdp & { readonly by: string };
  readonly answer?: Sdp & { readonly by: string };
  readonly ack: boolean;
  readonly bye: boolean;
}

export interface Stream {
  readonly source: string;
  readonly sourcePort: number;
  readonly destination: string;
  readonly destinationPort: number;
  readonly ssrc: number;
  readonly packets: number;
  /** Expected from the sequence numbers minus received (never below 0). */
  readonly lost: number;
  readonly first: number;
  readonly last: number;
}

/** A flow the capture saw arrive without the answer it should have had: the firewall replay's input. */
export interface Suspect {
  /** Index of the finding it belongs to. */
  readonly finding: number;
  readonly protocol: 'udp' | 'tcp';
  readonly family: 4 | 6;
  readonly source: string;
  readonly sourcePort: number;
  readonly destination: string;
  readonly destinationPort: number;
  readonly role: 'sip' | 'media';
}

export interface CallReport {
  readonly dialogs: Dialog[];
  readonly suspects: Suspect[];
  readonly streams: Stream[];
  /** TLS on a SIP port: signalling that cannot be read from a capture. */
  readonly tls: string[];
  readonly findings: Finding[];
}

const SIP_START = /^(?:SIP\/2\.0 \d{3} |[A-Z]+ sips?:)/;

function sipMessages(p: Packet): SipMessage[] {
  // A start line begins with an upper-case letter (after keep-alive CRLFs): RTP (0x80…) never does.
  const b0 = p.payload[0];
  if (b0 === undefined || ((b0 < 0x41 || b0 > 0x5a) && b0 !== 0x0d && b0 !== 0x0a)) return [];
  const text = Buffer.from(p.payload.buffer, p.payload.byteOffset, Math.min(p.payload.length, 16)).toString('latin1').replace(/^[\r\n]+/, '');
  if (!SIP_START.test(text)) return [];
  if (p.protocol === 'udp') {
    try {
      return [parseSipMessage(p.payload, true)];
    } catch {
      return [];
    }
  }
  // TCP: the whole messages in this segment (a message split over segments is not joined).
  const out: SipMessage[] = [];
  let buffer = Buffer.from(p.payload);
  for (let n = 0; n < 64 && buffer.length > 0; n++) {
    try {
      const length = frameLength(buffer);
      if (length === undefined) break;
      out.push(parseSipMessage(buffer.subarray(0, length), false));
      buffer = buffer.subarray(length);
    } catch {
      break;
    }
  }
  return out;
}

/** The first audio stream of an SDP body (media-level c= over session-level), or undefined. */
export function parseSdp(body: string): Sdp | undefined {
  let session: string | undefined;
  let media: { port: number; formats: string[]; address?: string } | undefined;
  const names = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const c = /^c=IN IP[46] ([^\s/]+)/.exec(line);
    if (c) {
      if (media) media.address ??= c[1]!;
      else session = c[1]!;
    }
    const m = /^m=(\S+) (\d+)(?:\/\d+)? \S+ ?(.*)$/.exec(line);
    if (m) {
      if (media) break; // the first audio stream only
      if (m[1] === 'audio') media = { port: Number(m[2]), formats: m[3]!.trim().split(/\s+/).filter(Boolean) };
    }
    const r = /^a=rtpmap:(\d+) ([^/\s]+)/.exec(line);
    if (r) names.set(r[1]!, r[2]!);
  }
  const address = media?.address ?? session;
  if (!media || address === undefined) return undefined;
  const STATIC: Record<string, string> = { '0': 'PCMU', '3': 'GSM', '4': 'G723', '8': 'PCMA', '9': 'G722', '18': 'G729' };
  return { address, port: media.port, codecs: media.formats.map((f) => names.get(f) ?? STATIC[f] ?? f) };
}

interface Building {
  callId: string;
  to: string;
  invite?: Seen & { sends: number; cseq: number };
  final?: Seen & { status: number; reason: string };
  statuses: number[];
  offer?: Sdp & { by: string };
  answer?: Sdp & { by: string };
  ack: boolean;
  bye: boolean;
}

function isRtp(p: Packet): boolean {
  const b = p.payload;
  return p.protocol === 'udp' && b.length >= 12 && b[0]! >> 6 === 2 && !((b[1]! & 0x7f) >= 72 && (b[1]! & 0x7f) <= 76);
}

/** A capture's packets, one at a time; it returns the counts (scanCapture, or a kept list). */
export type PacketSource = (visit: (p: Packet) => void) => { readonly packets: number };

export function readCall(source: Capture | PacketSource): CallReport {
  const scan: PacketSource = typeof source === 'function' ? source : (visit) => (source.packets.forEach(visit), { packets: source.packets.length });
  const dialogs = new Map<string, Building>();
  const tls = new Set<string>();
  const streams = new Streams();
  const invites = new Map<string, Packet>();
  const { packets } = scan((p) => {
    // A TLS record (handshake or application data) on a TCP port: SIP over TLS.
    if (p.protocol === 'tcp' && p.payload.length >= 3 && (p.payload[0] === 0x16 || p.payload[0] === 0x17) && p.payload[1] === 3) {
      // Named by the server's side: the lower port.
      tls.add(p.sourcePort < p.destinationPort ? `${p.source}:${p.sourcePort}` : `${p.destination}:${p.destinationPort}`);
      return;
    }
    const messages = sipMessages(p);
    if (messages.length === 0) {
      if (isRtp(p)) streams.add(p);
      return;
    }
    for (const m of messages) {
      record(dialogs, m, p);
      if (m.kind === 'request' && m.method === 'INVITE') invites.set(`${p.source}|${p.destination}`, p);
    }
  });
  const list: Dialog[] = [...dialogs.values()]
    .filter((d) => d.invite)
    .map((d) => ({ callId: d.callId, to: d.to, invite: { time: d.invite!.time, from: d.invite!.from, to: d.invite!.to, sends: d.invite!.sends }, ...(d.final ? { final: d.final } : {}), statuses: d.statuses, ...(d.offer ? { offer: d.offer } : {}), ...(d.answer ? { answer: d.answer } : {}), ack: d.ack, bye: d.bye }));
  const suspects: Suspect[] = [];
  const all = streams.list();
  return { dialogs: list, streams: all, suspects, tls: [...tls], findings: causes(list, all, [...tls], packets, suspects, invites) };
}

function record(dialogs: Map<string, Building>, m: SipMessage, p: Packet): void {
  const callId = header(m, 'call-id');
  const cseq = parseCSeq(header(m, 'cseq') ?? '');
  if (!callId || !cseq) return;
  let d = dialogs.get(callId);
  if (!d) dialogs.set(callId, (d = { callId, to: header(m, 'to') ?? '', statuses: [], ack: false, bye: false }));
  const seen = { time: p.time, from: p.source, to: p.destination };
  const sdp = /application\/sdp/i.test(header(m, 'content-type') ?? '') ? parseSdp(m.body) : undefined;
  if (m.kind === 'request') {
    if (m.method === 'INVITE') {
      // A re-INVITE (a higher CSeq) starts a new offer/answer; a retransmission counts a send.
      if (d.invite && d.invite.cseq === cseq.seq) d.invite.sends++;
      else d.invite = { ...seen, sends: 1, cseq: cseq.seq };
      if (sdp) d.offer = { ...sdp, by: p.source };
    } else if (m.method === 'ACK') {
      d.ack = true;
      if (sdp && !d.answer && d.offer === undefined) d.offer = { ...sdp, by: p.source };
      else if (sdp && !d.answer) d.answer = { ...sdp, by: p.source };
    } else if (m.method === 'BYE') d.bye = true;
    return;
  }
  if (cseq.method !== 'INVITE' || !d.invite || cseq.seq !== d.invite.cseq) return;
  d.statuses.push(m.status!);
  if (sdp && m.status! < 300) {
    // Late offer: the 200 carries the offer and the ACK the answer.
    if (!d.offer) d.offer = { ...sdp, by: p.source };
    else if (!d.answer || m.status! >= 200) d.answer = { ...sdp, by: p.source };
  }
  if (m.status! >= 200) d.final = { ...seen, status: m.status!, reason: m.reason ?? '' };
}

/** RTP streams by 5-tuple and SSRC, accumulated packet by packet. */
class Streams {
  private readonly streams = new Map<string, { s: Omit<Stream, 'packets' | 'lost' | 'last'>; packets: number; last: number; low: number; high: number; prev: number }>();

  add(p: Packet): void {
    const b = p.payload;
    const ssrc = ((b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!) >>> 0;
    const seq = (b[2]! << 8) | b[3]!;
    const key = `${p.source}|${p.sourcePort}|${p.destination}|${p.destinationPort}|${ssrc}`;
    const s = this.streams.get(key);
    if (!s) {
      this.streams.set(key, { s: { source: p.source, sourcePort: p.sourcePort, destination: p.destination, destinationPort: p.destinationPort, ssrc, first: p.time }, packets: 1, last: p.time, low: seq, high: seq, prev: seq });
      return;
    }
    s.packets++;
    s.last = p.time;
    // Extended sequence numbers across the 16-bit wrap (RFC 3550 A.1, simplified).
    let ext = seq + (s.prev & ~0xffff);
    if (ext < s.prev - 0x8000) ext += 0x10000;
    else if (ext > s.prev + 0x8000) ext -= 0x10000;
    s.prev = ext;
    s.low = Math.min(s.low, ext);
    s.high = Math.max(s.high, ext);
  }

  list(): Stream[] {
    return [...this.streams.values()].map(({ s, packets: n, last, low, high }) => ({ ...s, packets: n, lost: Math.max(0, high - low + 1 - n), last }));
  }
}

const count = (n: number) => n.toLocaleString('en-US');

function causes(dialogs: readonly Dialog[], streams: readonly Stream[], tls: readonly string[], packets: number, suspects: Suspect[], invites: ReadonlyMap<string, Packet>): Finding[] {
  const findings: Finding[] = [];
  const f = (severity: Finding['severity'], title: string, evidence: string[], fix: string) => findings.push({ severity, part: 'call', title, evidence, fix });
  const suspect = (x: Omit<Suspect, 'finding' | 'family'>) => suspects.push({ ...x, family: x.source.includes(':') ? 6 : 4, finding: findings.length - 1 });
  if (dialogs.length === 0) {
    if (tls.length > 0) f('warning', 'the signalling is SIP over TLS, which cannot be read from a capture', [`TLS on ${tls.slice(0, 3).join(', ')}`], 'place the test call over UDP or TCP (or give sngrep the TLS keys) to see the dialog; RTP is still read');
    else f('warning', `no SIP call in the capture (${count(packets)} UDP/TCP packets)`, ['no INVITE was seen'], 'capture on the PBX while the call is placed, on every interface: tcpdump -i any -w call.pcap port 5060 or portrange 10000-60000');
  }
  for (const d of dialogs) {
    const who = `call ${d.callId.slice(0, 40)}`;
    if (!d.final) {
      const sends = d.invite.sends > 1 ? `; sent ${d.invite.sends} times` : '';
      if (d.statuses.length === 0) {
        f('error', `${who}: the INVITE from ${d.invite.from} to ${d.invite.to} was never answered`, [`no response at all${sends}`], `signalling does not get through: open SIP from ${d.invite.from} in the firewall (sipwall diagnose firewall names the rule) and check that nothing else listens or drops on the way`);
        const p = invites.get(`${d.invite.from}|${d.invite.to}`);
        if (p) suspect({ protocol: p.protocol, source: p.source, sourcePort: p.sourcePort, destination: p.destination, destinationPort: p.destinationPort, role: 'sip' });
      }
      else f('warning', `${who}: no final response to the INVITE`, [`responses seen: ${d.statuses.join(', ')}`], 'capture for the whole call, until it is answered or hung up');
      continue;
    }
    const status = d.final.status;
    if (status >= 300) {
      const why: Record<number, string> = {
        404: `the called user (To: ${d.to.slice(0, 80)}) is not a number or extension the far end knows: put the DID in E.164 (e.g. +17185301799) in the username, and make sure the destination exists (a LiveKit trunk matches the To user against its numbers)`,
        403: 'the far end refuses this caller: check the IP allow-list (the provider\'s addresses) and the trunk\'s credentials',
        401: 'the far end wants authentication the caller did not give: set the trunk\'s username and password',
        407: 'the proxy wants authentication the caller did not give: set the trunk\'s username and password',
        408: 'the far end timed out: its next hop did not answer',
        480: 'the callee is unavailable (not registered, or no dispatch rule routes the call)',
        486: 'the callee is busy',
        488: 'no codec in common: offer PCMU or PCMA, which every provider takes',
        415: 'no codec or body the far end accepts: offer PCMU or PCMA',
        503: 'the far end is unavailable or has no route for the number: check the trunk and routing there',
      };
      f(status === 486 ? 'info' : 'error', `${who}: the INVITE was answered ${status} ${d.final.reason.slice(0, 60)}`, [`from ${d.final.from}, ${d.statuses.join(' → ')}`], why[status] ?? 'read the reason phrase and the far end\'s logs for this status');
      continue;
    }
    if (!d.offer || !d.answer) {
      f('warning', `${who}: answered, but no SDP ${d.offer ? 'answer' : 'offer'} seen`, ['the media addresses are unknown'], 'capture the whole call; SDP in a multipart body is not read');
      continue;
    }
    // Side A made the offer, side B the answer; each tells the other where to send its RTP.
    const sides = [
      { name: 'the answering side', sdp: d.answer, sip: d.answer.by, peer: d.offer.by },
      { name: 'the offering side', sdp: d.offer, sip: d.offer.by, peer: d.answer.by },
    ];
    const toward = (sdp: Sdp, sip: string) => streams.filter((s) => s.destinationPort === sdp.port && (s.destination === sdp.address || s.destination === sip));
    const from = (sdp: Sdp, sip: string) => streams.filter((s) => s.sourcePort === sdp.port || s.source === sdp.address || s.source === sip);
    for (const side of sides) {
      const other = sides.find((x) => x !== side)!;
      const sent = from(side.sdp, side.sip).filter((s) => toward(other.sdp, other.sip).includes(s));
      const received = toward(side.sdp, side.sip);
      if (isPrivate(side.sdp.address) && !isPrivate(side.sip)) {
        const source = sent[0]?.source ?? side.sip;
        f('error', `${who}: ${side.name}'s SDP advertises ${side.sdp.address} (private) while its packets leave as ${source}: the other side sends RTP where it cannot arrive`, [`SDP c=${side.sdp.address} m=audio ${side.sdp.port}; SIP from ${side.sip}`, `RTP toward it: ${received.reduce((n, s) => n + s.packets, 0)} packets`], `advertise the public address: Asterisk external_media_address=${source} (and external_signaling_address) in pjsip.conf; FreeSWITCH ext-rtp-ip=${source}`);
      } else if (sent.length > 0 && !isPrivate(side.sdp.address) && sent.every((s) => s.source !== side.sdp.address)) {
        f('warning', `${who}: SDP rewritten in transit, or a NAT the SDP does not know: ${side.name}'s c= line says ${side.sdp.address}, its RTP comes from ${sent[0]!.source}`, [`SDP c=${side.sdp.address} m=audio ${side.sdp.port}; RTP from ${sent[0]!.source}:${sent[0]!.sourcePort}`], 'a SIP ALG on a router rewrites SDP: disable it (SIP ALG / SIP helper / nf_nat_sip), and advertise the public address from the PBX itself');
      }
    }
    const toB = toward(d.answer, d.answer.by);
    const toA = toward(d.offer, d.offer.by);
    const n = (list: Stream[]) => list.reduce((k, s) => k + s.packets, 0);
    const describe = (s: Stream) => `RTP from ${s.source}:${s.sourcePort} to ${s.destination}:${s.destinationPort}: ${count(s.packets)} packets${s.lost > 0 ? `, ${count(s.lost)} lost` : ''}, ${(s.last - s.first).toFixed(1)} s`;
    const suspectAll = (list: Stream[]) => {
      for (const s of list) suspect({ protocol: 'udp', source: s.source, sourcePort: s.sourcePort, destination: s.destination, destinationPort: s.destinationPort, role: 'media' });
    };
    if (n(toB) > 0 && n(toA) === 0) {
      f('error', `${who}: one-way audio: RTP reaches ${d.answer.address}:${d.answer.port} (the answering side); none goes back to ${d.offer.address}:${d.offer.port}`, [...toB.slice(0, 2).map(describe), `none toward the offer's c=${d.offer.address} m=audio ${d.offer.port}`], 'see the other findings for why; if none: the answering side\'s RTP is blocked on its way out, or its firewall drops the RTP it receives before the PBX reads it (sipwall diagnose firewall)');
      suspectAll(toB);
    } else if (n(toA) > 0 && n(toB) === 0) {
      f('error', `${who}: one-way audio: RTP reaches ${d.offer.address}:${d.offer.port} (the offering side); none goes to ${d.answer.address}:${d.answer.port}`, [...toA.slice(0, 2).map(describe), `none toward the answer's c=${d.answer.address} m=audio ${d.answer.port}`], 'see the other findings for why; if none: the offering side\'s RTP is blocked on its way out, or dropped by the firewall in front of the answering side (sipwall diagnose firewall)');
      suspectAll(toA);
    } else if (n(toA) === 0 && n(toB) === 0) {
      f('error', `${who}: no audio either way`, [`offer ${d.offer.address}:${d.offer.port}, answer ${d.answer.address}:${d.answer.port}; ${streams.length} RTP streams elsewhere`], 'capture where both sides\' RTP passes (tcpdump -i any), and check the RTP range in the firewall (sipwall diagnose firewall)');
    }
    for (const s of [...toA, ...toB]) {
      if (s.packets >= 50 && s.lost / (s.packets + s.lost) > 0.05) f('warning', `${who}: ${((100 * s.lost) / (s.packets + s.lost)).toFixed(0)} % of RTP lost from ${s.source}:${s.sourcePort}`, [describe(s)], 'choppy audio: check the link\'s capacity and loss between the two sides');
    }
  }
  return findings;
}

/**
 * Two captures of the same call at two points (the PBX, and outside its router): an SDP that
 * changed between them was rewritten in transit, which is what a SIP ALG does.
 */
export function rewrites(a: { name: string; report: CallReport }, b: { name: string; report: CallReport }): Finding[] {
  const findings: Finding[] = [];
  for (const d of a.report.dialogs) {
    const e = b.report.dialogs.find((x) => x.callId === d.callId);
    if (!e) continue;
    for (const [which, x, y] of [['offer', d.offer, e.offer], ['answer', d.answer, e.answer]] as const) {
      if (!x || !y || (x.address === y.address && x.port === y.port)) continue;
      findings.push({
        severity: 'warning',
        part: 'call',
        title: `call ${d.callId.slice(0, 40)}: SDP rewritten in transit: the ${which} says c=${x.address} m=audio ${x.port} in ${a.name} and c=${y.address} m=audio ${y.port} in ${b.name}`,
        evidence: [`${a.name}: ${which} from ${x.by}, c=${x.address} port ${x.port}`, `${b.name}: ${which} from ${y.by}, c=${y.address} port ${y.port}`],
        fix: 'a SIP ALG (SIP helper, nf_nat_sip, "SIP ALG" on a router) rewrites SIP between the two points: turn it off, and have the PBX advertise its public address itself (Asterisk external_media_address, FreeSWITCH ext-rtp-ip); ALGs break TCP, TLS and re-INVITEs',
      });
    }
  }
  return findings;
}
