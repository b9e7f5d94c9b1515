/**
 * Reads `nft -a monitor trace` (nftables 1.0): which rule decided each traced packet. Pure.
 *
 *   trace id 41395936 inet filter input packet: iif "eth0" … ip saddr 198.51.100.7 … udp sport 40002 udp dport 15000 …
 *   trace id 41395936 inet filter input rule jump sub # handle 8 (verdict jump sub)
 *   trace id 41395936 inet filter sub rule udp dport 10000-20000 counter packets 0 bytes 0 accept # handle 9 (verdict accept)
 *   trace id 2810b22d inet filter input policy drop
 *
 * One trace id follows one packet through every hook; rules restored by iptables-nft trace the same
 * way (their tables are nftables tables).
 */

/** A step of a packet's path: a rule that gave a verdict, or a base chain's policy. */
export interface Step {
  readonly family: string;
  readonly table: string;
  readonly chain: string;
  /** The rule's text as nft prints it; undefined for a chain's policy. */
  readonly rule?: string;
  readonly handle?: number;
  /** accept, drop, continue, jump X, goto X, return, queue … */
  readonly verdict: string;
}

export interface Traced {
  /** From the first `packet:` line: the fields the replay tells flows apart by. */
  readonly source?: string;
  readonly protocol?: 'udp' | 'tcp';
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly steps: Step[];
}

const LINE = /^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (packet: (.*)|rule (.*?)(?: # handle (\d+))? \(verdict ([^)]*)\)|policy (\S+)|verdict (\S+.*?))\s*$/;

export function parseTrace(text: string): Map<string, Traced> {
  const packets = new Map<string, { source?: string; protocol?: 'udp' | 'tcp'; sourcePort?: number; destinationPort?: number; steps: Step[] }>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, id, family, table, chain, , packet, rule, handle, ruleVerdict, policy, verdict] = m;
    let p = packets.get(id!);
    if (!p) packets.set(id!, (p = { steps: [] }));
    if (packet !== undefined) {
      if (p.source === undefined) {
        const saddr = /\bip6? saddr (\S+)/.exec(packet);
        const l4 = /\b(udp|tcp) sport (\d+) \1 dport (\d+)/.exec(packet);
        if (saddr) p.source = saddr[1]!;
        if (l4) Object.assign(p, { protocol: l4[1] as 'udp' | 'tcp', sourcePort: Number(l4[2]), destinationPort: Number(l4[3]) });
      }
    } else if (rule !== undefined) {
      p.steps.push({ family: family!, table: table!, chain: chain!, rule, ...(handle ? { handle: Number(handle) } : {}), verdict: ruleVerdict! });
    } else {
      p.steps.push({ family: family!, table: table!, chain: chain!, verdict: (policy ?? verdict)! });
    }
  }
  return packets;
}

export interface Decision {
  readonly verdict: 'accept' | 'drop' | 'reject';
  /** The step that decided: the first drop, or the last accept on the packet's way in. */
  readonly by?: Step;
}

/** A step's text says reject: nft's `reject`, or iptables' REJECT through iptables-nft. */
function rejects(step: Step): boolean {
  return step.rule !== undefined && /\breject\b|\bREJECT\b/.test(step.rule);
}

export function decide(steps: readonly Step[]): Decision {
  const drop = steps.find((s) => s.verdict === 'drop');
  if (drop) return { verdict: rejects(drop) ? 'reject' : 'drop', by: drop };
  const accepts = steps.filter((s) => s.verdict === 'accept');
  return accepts.length > 0 ? { verdict: 'accept', by: accepts.at(-1)! } : { verdict: 'accept' };
}
