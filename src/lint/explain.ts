/**
 * A probe's answer said in the destination's terms (issue 18.4): what a status means at VAPI or
 * LiveKit, per ../shared/reference/flynumber-sip-forwarding.txt, and what any destination's means
 * for a forwarding. The probe is sent from this host, not from the provider's gateways: a
 * destination that takes the provider's addresses only may refuse it for that alone, and the
 * texts say so where it matters. Pure.
 */
import type { Platform } from './rules.js';

export interface Answer {
  readonly outcome: string;
  readonly status?: number;
  readonly transport: string;
}

const FROM_HERE = "(this probe comes from this host, not from the provider's gateways)";

/** One sentence: what the answer means for the forwarding to `user` at a `platform` destination. */
export function explainAnswer(platform: Platform | undefined, answer: Answer, user: string | undefined): string {
  const t = answer.transport.toUpperCase();
  if (answer.outcome === 'timeout') return `no answer over ${t}: the port is closed or filtered on the way, or the destination does not take ${t} (ElevenLabs: TLS only; Retell, Bland: TCP or TLS)`;
  if (answer.outcome === 'refused') return `the connection over ${t} was refused: nothing listens on that port; check the forwarding's port and transport`;
  if (answer.outcome === 'tls-failure') return 'the TLS handshake failed: the destination\'s certificate or TLS support is not what the provider needs';
  if (answer.outcome === 'dns-failure') return "the domain does not resolve: check the forwarding's domain";
  if (answer.outcome !== 'answered' || answer.status === undefined) return `the probe failed (${answer.outcome})`;
  const s = answer.status;
  if (platform === 'livekit' && s === 404) return `LiveKit has no inbound trunk with the number ${user ?? '(no user)'}: the username must be a DID of the trunk's numbers, in E.164; such a call never shows in the LiveKit dashboard`;
  if (platform === 'vapi' && s === 503) return `VAPI answered Service Unavailable: the credential in the domain is not a BYO SIP trunk, or the sender is not one of its gateways ${FROM_HERE}; create a BYO SIP trunk with each of the provider's gateways (sipwall render --target vapi-trunk)`;
  if (platform === 'vapi' && s === 404) return `VAPI has no phone number ${user ?? '(no user)'} on that credential: register the number as a BYO phone number of the credential`;
  if (s >= 200 && s < 300) return `the destination answers SIP over ${t}: a call forwarded this way reaches it`;
  if (s === 401 || s === 407) return 'the destination asks for a password: a forwarding does not authenticate, so the destination must take the provider\'s calls by address (a pjsip identify, an inbound ACL, an IP trunk)';
  if (s === 403) return `the destination refuses this sender ${FROM_HERE}: check that it takes the provider's addresses`;
  if (s === 404) return `the destination has no ${user ?? 'such'} user or number: check the forwarding's username`;
  if (s === 405 || s === 501) return 'the destination does not answer OPTIONS, but it is there: a call (INVITE) may still work';
  if (s >= 500) return `the destination answered ${s}: it is there but cannot take the call now`;
  return `the destination answered ${s}`;
}
