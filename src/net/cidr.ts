/** CIDR prefixes: parsing, formatting and collapse (merge adjacent, drop subsumed). Pure. */
import { FAMILY_BITS, formatAddress, parseAddress, type Family } from './address.js';
import { InputError } from './errors.js';

export interface Prefix {
  readonly family: Family;
  /** First address of the prefix (host bits zero). */
  readonly network: bigint;
  readonly length: number;
}

/** Last address covered by a prefix. */
export function lastAddress(p: Prefix): bigint {
  return p.network | ((1n << BigInt(FAMILY_BITS[p.family] - p.length)) - 1n);
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddress(p.family, p.network)}/${p.length}`;
}

/** Formats a prefix, leaving out `/32` and `/128` (how nft and most humans write hosts). */
export function formatPrefixShort(p: Prefix): string {
  return p.length === FAMILY_BITS[p.family] ? formatAddress(p.family, p.network) : formatPrefix(p);
}

/**
 * Parses `a.b.c.d/n`, `x::/n` or a bare address (a host prefix). Host bits must be zero:
 * `46.19.209.14/21` is refused with the network it probably meant, because a silently
 * widened or narrowed range is exactly the kind of mistake that opens or drops a trunk.
 */
export function parseCidr(text: string, input: string): Prefix {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const lengthText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  const address = parseAddress(addressText);
  if (!address) {
    throw new InputError(input, `"${text}" is not a CIDR prefix`, 'write e.g. 203.0.113.0/24 or 2001:db8::/32');
  }
  const bits = FAMILY_BITS[address.family];
  let length = bits;
  if (lengthText !== undefined) {
    if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > bits) {
      throw new InputError(input, `"${text}" has a prefix length outside 0..${bits}`, `use a length from 0 to ${bits}`);
    }
    length = Number(lengthText);
  }
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  if ((address.value & hostMask) !== 0n) {
    const network = formatPrefix({ family: address.family, network: address.value & ~hostMask, length });
    throw new InputError(input, `"${text}" has host bits set`, `write the network ${network} (or the host address alone)`);
  }
  return { family: address.family, network: address.value, length };
}

/** One input prefix that another input prefix already covers. */
export interface Subsumed {
  readonly prefix: Prefix;
  readonly by: Prefix;
}

export interface Collapsed {
  /** The smallest list of prefixes covering exactly the union of the inputs, sorted. */
  readonly prefixes: Prefix[];
  /** Inputs that lay inside another input (duplicates count as subsumed by their twin). */
  readonly subsumed: Subsumed[];
}

/** Collapses prefixes of one family: drops subsumed ones (reporting them) and merges neighbours. */
export function collapse(input: readonly Prefix[]): Collapsed {
  const sorted = [...input].sort((a, b) =>
    a.network < b.network ? -1 : a.network > b.network ? 1 : a.length - b.length,
  );
  const subsumed: Subsumed[] = [];
  const intervals: Array<[bigint, bigint]> = [];
  let top: Prefix | undefined;
  let topEnd = -1n;
  for (const p of sorted) {
    if (top && p.network <= topEnd) {
      // Prefixes either nest or are disjoint, so starting inside `top` means lying inside it.
      subsumed.push({ prefix: p, by: top });
      continue;
    }
    top = p;
    topEnd = lastAddress(p);
    const last = intervals[intervals.length - 1];
    if (last && last[1] + 1n === p.network) last[1] = topEnd;
    else intervals.push([p.network, topEnd]);
  }
  const family = input[0]?.family ?? 4;
  const prefixes = intervals.flatMap(([start, end]) => rangeToPrefixes(family, start, end));
  return { prefixes, subsumed };
}

/** The minimal list of prefixes covering the address range start..end (inclusive). */
export function rangeToPrefixes(family: Family, start: bigint, end: bigint): Prefix[] {
  const bits = FAMILY_BITS[family];
  const out: Prefix[] = [];
  let cursor = start;
  while (cursor <= end) {
    let size = bits;
    // Grow the block while it stays aligned and inside the range.
    while (size > 0) {
      const span = 1n << BigInt(bits - size + 1);
      if ((cursor & (span - 1n)) !== 0n || cursor + span - 1n > end) break;
      size--;
    }
    out.push({ family, network: cursor, length: size });
    cursor += 1n << BigInt(bits - size);
  }
  return out;
}

/** True when the prefix covers every address of its family (`0.0.0.0/0`, `::/0`). */
export function isWholeFamily(p: Prefix): boolean {
  return p.length === 0;
}
