/** NAT behaviour (measured by src/probe/nat-probe.ts) → findings, against the PBX's keepalive. Pure. */
import type { NatBehaviour } from '../probe/nat-probe.js';
import type { Finding } from './findings.js';

/** The control idle time: no NAT forgets a mapping in 1 s, so a lost 1 s callback means the responder does not resend. */
export const CONTROL_SECONDS = 1;

export function natFindings(n: NatBehaviour, responder: string, keepalive: { seconds: number; from: string } | undefined): Finding[] {
  const findings: Finding[] = [];
  const f = (severity: Finding['severity'], title: string, evidence: string[], fix: string) => findings.push({ severity, part: 'nat', title, evidence, fix });
  const seen = n.mappings.map((m) => `responder port ${m.port} saw ${m.public ?? 'nothing (no answer)'}`);
  if (n.behindNat === undefined) {
    f('error', `the responder at ${responder} did not answer: NAT behaviour not measured`, seen, `run sipwall responder --sip udp:${n.mappings.map((m) => m.port).join(',udp:')} --callback on a host outside this NAT, and open those ports to this host`);
    return findings;
  }
  if (n.mapping === 'address-and-port-dependent') {
    f('warning', 'the NAT maps one local port to a different public port for each destination (address-and-port-dependent, "symmetric"): the port this host tells in SIP and SDP is not the one the provider\'s packets can reach', seen, 'forward SIP and the RTP range on the router to this host (then the mapping does not matter), or have the far end send to where packets come from (Asterisk rtp_symmetric=yes, force_rport=yes, rewrite_contact=yes)');
  }
  const control = n.binding.find((b) => b.idleSeconds === CONTROL_SECONDS);
  const timed = n.binding.filter((b) => b.idleSeconds !== CONTROL_SECONDS && b.alive !== undefined);
  if (control?.alive !== true) {
    f('info', 'the NAT binding timeout was not measured: the responder did not resend its answer after 1 s', [`control after ${CONTROL_SECONDS} s: ${control?.alive === undefined ? 'no first answer' : 'nothing came back'}`], 'start the responder with --callback');
    return findings;
  }
  if (!n.behindNat) return findings;
  const alive = timed.filter((b) => b.alive).map((b) => b.idleSeconds);
  const expired = timed.filter((b) => !b.alive).map((b) => b.idleSeconds);
  const lives = alive.length > 0 ? Math.max(...alive) : CONTROL_SECONDS;
  const dies = expired.length > 0 ? Math.min(...expired) : undefined;
  const measured = dies === undefined ? `the NAT kept the mapping through ${lives} s of silence (the longest tried)` : `the NAT forgets the mapping after more than ${lives} s and at most ${dies} s of silence`;
  const evidence = [...timed.map((b) => `after ${b.idleSeconds} s idle: ${b.alive ? 'the answer got back' : 'nothing got back'}`), ...(keepalive ? [`keepalive every ${keepalive.seconds} s (${keepalive.from})`] : [])];
  const safe = Math.max(5, Math.floor(lives * 0.8));
  if (dies !== undefined && (keepalive === undefined || keepalive.seconds === 0 || keepalive.seconds >= dies)) {
    const why = keepalive === undefined ? 'no keepalive is known (give --keepalive or --config-dir)' : keepalive.seconds === 0 ? 'the PBX sends no keepalive' : `the PBX's keepalive every ${keepalive.seconds} s comes too late`;
    f('warning', `${measured}; ${why}: calls to the PBX fail after quiet spells (intermittent failures)`, evidence, `send OPTIONS keepalives more often than every ${lives} s: Asterisk qualify_frequency=${safe} on the trunk's aor in pjsip.conf (FreeSWITCH: <param name="ping" value="${safe}"/> on the gateway)`);
  } else {
    f('info', `${measured}${keepalive ? `; the keepalive every ${keepalive.seconds} s keeps it` : ''}`, evidence, keepalive ? 'nothing to do' : `keep SIP keepalives under ${lives} s`);
  }
  if (n.portPreserved === false) f('info', `the NAT does not keep the local port (${n.local} leaves as ${n.mappings[0]!.public})`, seen, 'nothing to do while the mapping is endpoint-independent; forward ports on the router if the provider must reach a fixed port');
  return findings;
}
