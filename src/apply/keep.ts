/**
 * The management access an apply must keep: the SSH session it runs in (OpenSSH's
 * SSH_CONNECTION: "client-address client-port server-address server-port", sshd.c) and the
 * ports `--keep` names. Each becomes a new connection the rehearsal sends: a ruleset that
 * refuses one would lock the admin out. Pure.
 */
import { parseAddress, unmapIPv4, type Family } from '../net/address.js';
import { commandError } from '../errors/commands.js';
import type { Flow } from '../diagnose/flows.js';

export interface Access {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  /** Whose access: the SSH client's address, else a documentation address standing for anyone. */
  readonly from?: string;
  /** `your SSH session (SSH_CONNECTION)`, `--keep tcp/443`. */
  readonly label: string;
}

const KEEP = /^(tcp|udp)\/(\d{1,5})(?:@(.+))?$/;

/** `--keep tcp/443`, `--keep tcp/22@198.51.100.7`. */
export function parseKeep(values: readonly string[]): Access[] {
  return values.flatMap((v) => v.split(',')).map((raw) => {
    const value = raw.trim();
    const m = KEEP.exec(value);
    const port = Number(m?.[2]);
    const from = m?.[3] === undefined ? undefined : parseAddress(m[3]);
    if (!m || port < 1 || port > 65535 || (m[3] !== undefined && !from)) throw commandError('E_APPLY_KEEP', { value: value.slice(0, 60) });
    return { protocol: m[1] as 'tcp' | 'udp', port, ...(from ? { from: from.text } : {}), label: `--keep ${value}` };
  });
}

/** The SSH session this runs in, unless it comes over loopback (which no ruleset here closes). */
export function sshSession(value: string | undefined): Access | undefined {
  const [client, , , port] = (value ?? '').trim().split(/\s+/);
  const from = parseAddress(unmapIPv4(client ?? ''));
  const p = Number(port);
  if (!from || !Number.isInteger(p) || p < 1 || p > 65535) return undefined;
  if (/^(127\.|::1$)/.test(from.text)) return undefined;
  return { protocol: 'tcp', port: p, from: from.text, label: `your SSH session from ${from.text} (SSH_CONNECTION)` };
}

const ANYONE: Record<Family, string> = { 4: '192.0.2.200', 6: '2001:db8:c8::200' };

/** New connections for each access, numbered after the provider flows. */
export function accessFlows(access: readonly Access[], families: readonly Family[], firstId: number): Flow[] {
  const flows: Flow[] = [];
  for (const a of access) {
    const from = a.from === undefined ? undefined : parseAddress(a.from);
    for (const family of from ? [from.family] : families) {
      flows.push({ id: firstId + flows.length, family, protocol: a.protocol, source: from?.text ?? ANYONE[family], sourcePort: 40_000 + flows.length, destinationPort: a.port, expect: 'accept', provider: a.label, role: 'management', label: `${a.label}: ${a.protocol}/${a.port}` });
    }
  }
  return flows;
}
