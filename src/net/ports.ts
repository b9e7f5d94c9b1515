/** TCP/UDP port intervals: parsing and true interval union. Pure. */
import { inputError } from '../errors/input.js';

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Parses one port (1..65535) given as a number or a decimal string. */
export function parsePort(value: unknown, input: string): number {
  const text = String(value).trim();
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw inputError('E_PORT', { input, value: String(value) });
  }
  return Number(text);
}

/** Parses `5060`, `10000-20000` (or `10000:20000`) into a range; a reversed range is an error. */
export function parsePortRange(value: unknown, input: string): PortRange {
  const text = String(value).trim();
  const match = /^(\S+?)\s*[-:]\s*(\S+)$/.exec(text);
  if (!match) {
    const port = parsePort(text, input);
    return { from: port, to: port };
  }
  const from = parsePort(match[1], input);
  const to = parsePort(match[2], input);
  if (from > to) {
    throw inputError('E_PORT_RANGE_REVERSED', { input, text, from, to });
  }
  return { from, to };
}

/** Parses a comma-separated list of ports and ranges. */
export function parsePortList(value: string, input: string): PortRange[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) {
    throw inputError('E_PORT_LIST_EMPTY_ENTRY', { input, value });
  }
  return unionPorts(parts.map((p) => parsePortRange(p, input)));
}

/** True interval union: sorted, overlapping and touching ranges merged (10-20 + 21-30 → 10-30). */
export function unionPorts(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Array<{ from: number; to: number }> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ from: r.from, to: r.to });
  }
  return out;
}

/** Formats with the target's range separator (`-` for nft, `:` for iptables). */
export function formatPortRange(r: PortRange, separator: '-' | ':'): string {
  return r.from === r.to ? String(r.from) : `${r.from}${separator}${r.to}`;
}
