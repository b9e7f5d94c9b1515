/** `sipwall diagnose nat`: the flags, and the measure against a responder (src/probe/nat-probe.ts). */
import { commandError } from '../errors/commands.js';
import { lookup } from 'node:dns/promises';
import { parseAddress } from '../net/address.js';
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
  if (!m || !ports.every((p) => p >= 1 && p <= 65_535) || ports[0] === ports[1]) throw commandError('E_NAT_RESPONDER', { value: responder.slice(0, 60) });
  const times = (idle ?? '15s,30s,60s,120s').split(',').map((t) => parseDuration(t.trim(), '--idle') / 1000);
  if (times.length > 8 || times.some((t) => !Number.isInteger(t) || t < 2 || t > CALLBACK.maxSeconds)) throw commandError('E_NAT_IDLE', { value: (idle ?? '').slice(0, 60), max: CALLBACK.maxSeconds });
  const every = keepalive === undefined ? undefined : parseDuration(keepalive, '--keepalive') / 1000;
  if (every !== undefined && !Number.isInteger(every)) throw commandError('E_NAT_KEEPALIVE', { value: keepalive ?? '' });
  return { host: m[1]!.replace(/^\[|\]$/g, ''), ports, idle: [...new Set(times)], keepalive: every };
}

async function resolveResponder(host: string): Promise<string> {
  if (parseAddress(host)) return host;
  try {
    return (await lookup(host)).address;
  } catch (error) {
    throw commandError('E_NAT_RESPONDER_DNS', { host: host.slice(0, 60), code: (error as NodeJS.ErrnoException).code ?? 'no address' });
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
