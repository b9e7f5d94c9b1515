/**
 * Packs port ranges into iptables matches. `-m multiport` takes at most 15 entries and a range
 * counts 2 (xt_multiport XT_MULTI_PORTS = 15; target-formats.md §1.3). Pure.
 */
import { formatPortRange, type PortRange } from '../net/ports.js';

export const MULTIPORT_SLOTS = 15;

/** Splits ranges into chunks that each fit one multiport match. */
export function packPorts(ranges: readonly PortRange[], slots = MULTIPORT_SLOTS): PortRange[][] {
  const chunks: PortRange[][] = [];
  let current: PortRange[] = [];
  let used = 0;
  for (const r of ranges) {
    const cost = r.from === r.to ? 1 : 2;
    if (used + cost > slots) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(r);
    used += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The match for one chunk: `-m udp --dport 5060`, or `-m multiport --dports 5060,5061`. */
export function portMatch(protocol: string, field: 'sport' | 'dport', chunk: readonly PortRange[]): string {
  if (chunk.length === 1) return `-m ${protocol} --${field} ${formatPortRange(chunk[0]!, ':')}`;
  return `-m multiport --${field}s ${chunk.map((r) => formatPortRange(r, ':')).join(',')}`;
}
