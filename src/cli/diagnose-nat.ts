/** `sipwall diagnose nat`: the flags, and the measure against a responder (src/probe/nat-probe.ts). */
import { lookup } from 'node:dns/promises';
import { parseAddress } from '../net/address.js';
import { InputError } from '../net/errors.js';
import { CONTROL_SECONDS, natFindings } from '../diagnose/nat.js';
import type { Finding } from '../diagnose/findings.js';
import { natBehaviour, type NatBehaviour } from '../probe/nat-probe.js';
import { CALLBACK } from '../probe/sip-options.js';
import { parseDuration } from '../text/duration.js';

export type NatArgs = ReturnType<typeof parseNatArgs>;

/** `HOST`, `HOST:P1,P2`, `[IPv6]:P1,P2`; idle times (each 2 s to 5 min, at most 8); the keepalive. */
export function parseNatArgs(responder: string, idle: string | undefined, keepalive: string | undefined) {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+)(?::(\d{1,5}),(\d{1,5}))?$/.exec(responder);
  const ports = m?.[2] ? ([Number(m[2]), Number(m[3])] as const) : ([5060, 5062] as const);
  if (!m || !ports.every((p) => p >= 1 && p <= 65_535) || ports[0] === ports[1]) throw new InputError('--responder', `"${responder.slice(0, 60)}" is not HOST or HOST:PORT,PORT`, 'write e.g. --responder 203.0.113.7 or --responder 203.0.113.7:5060,5062 (two different UDP ports)');
  const times = (idle ?? '15s,30s,60s,120s').split(',').map((t) => parseDuration(t.trim(), '--idle') / 1000);
  if (times.length > 8 || times.some((t) => !Number.isInteger(t) || t < 2 || t > CALLBACK.maxSeconds)) throw new InputError('--idle', `"${(idle ?? '').slice(0, 60)}" is not a list of up to 8 whole seconds from 2s to ${CALLBACK.maxSeconds}s`, 'write e.g. --idle 15s,30s,60s,120s');
  const every = keepalive === undefined ? undefined : parseDuration(keepalive, '--keepalive') / 1000;
  if (every !== undefined && !Number.isInteger(every)) throw new InputError('--keepalive', `"${keepalive}" is not whole seconds`, 'write e.g. --keepalive 60s, or 0 for none');
  return { host: m[1]!.replace(/^\[|\]$/g, ''), ports, idle: [...new Set(times)], keepalive: every };
}

async function resolveResponder(host: string): Promise<string> {
  if (parseAddress(host)) return host;
  try {
    return (await lookup(host)).address;
  } catch (error) {
    throw new InputError('--responder', `"${host.slice(0, 60)}" does not resolve (${(error as NodeJS.ErrnoException).code ?? 'no address'})`, 'give the responder\'s IP address or a name that resolves');
  }
}

export async function natPart(natArgs: NatArgs, configured: { seconds: number; from: string } | undefined): Promise<{ nat: NatBehaviour; findings: Finding[]; summary: string }> {
  const address = await resolveResponder(natArgs.host);
  const nat = await natBehaviour(address, natArgs.ports, [CONTROL_SECONDS, ...natArgs.idle]);
  const keepalive = natArgs.keepalive !== undefined ? { seconds: natArgs.keepalive, from: '--keepalive' } : configured;
  const b = nat.binding.filter((x) => x.idleSeconds !== CONTROL_SECONDS);
  const summary = `responder ${address} ports ${natArgs.ports.join(' and ')}: ${nat.behindNat === undefined ? 'no answer' : `${nat.behindNat ? `behind NAT (${nat.local} leaves as ${nat.mappings[0]!.public})` : 'no NAT'}, mapping ${nat.mapping}; after ${b.map((x) => `${x.idleSeconds} s ${x.alive ? 'alive' : x.alive === false ? 'gone' : '?'}`).join(', ')}`}`;
  return { nat, findings: natFindings(nat, `${address}:${natArgs.ports.join(',')}`, keepalive), summary };
}
