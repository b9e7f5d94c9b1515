/** IPv4 and IPv6 addresses as unsigned big integers. Pure; no I/O. */

export type Family = 4 | 6;

export const FAMILY_BITS: Record<Family, number> = { 4: 32, 6: 128 };


/** Parses a dotted-quad IPv4 address (no leading zeros: 010 could mean octal); else undefined. */
export function parseIPv4(text: string): bigint | undefined {
  const n = parseIPv4Number(text);
  return n === undefined ? undefined : BigInt(n);
}

/** The same as a plain number. */
function parseIPv4Number(text: string): number | undefined {
  const n = ipv4Value(text, text.length);
  return n < 0 ? undefined : n;
}

/**
 * The dotted quad `text[0, end)` as a number, or -1 when it is not one (no leading zeros). A char
 * scanner, because regex captures cost an array per address; cidr.ts reads a prefix's address
 * with it too.
 */
export function ipv4Value(text: string, end: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  let first = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 0) first = c;
      else if (first === 48) return -1; // leading zero
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/**
 * Parses an IPv6 address (with `::` and an optional dotted-quad tail); undefined when invalid.
 * A hand-written scanner: split/regex/BigInt-per-group cost ~7 µs an address, this ~1 µs.
 */
export function parseIPv6(text: string): bigint | undefined {
  const groups = parseIPv6Groups(text);
  return groups && groupsToBigInt(groups);
}

/** Eight 16-bit groups as one 128-bit value. */
export function groupsToBigInt(g: ArrayLike<number>): bigint {
  // Three BigInts of 48, 48 and 32 bits (exact in a double) joined by two shifts: 1.5× faster
  // than one BigInt parsed from 32 hex digits (20,000 addresses: 13 against 19 ms, warm).
  const high = (g[0]! * 65536 + g[1]!) * 65536 + g[2]!;
  const middle = (g[3]! * 65536 + g[4]!) * 65536 + g[5]!;
  const low = g[6]! * 65536 + g[7]!;
  return (BigInt(high) << 80n) | (BigInt(middle) << 32n) | BigInt(low);
}

/** The eight 16-bit groups of an IPv6 address; undefined when invalid. */
function parseIPv6Groups(text: string): number[] | undefined {
  if (text.length > 45) return undefined;
  const groups: number[] = [];
  let gap = -1; // index in `groups` where `::` stands
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  }
  while (i < text.length) {
    let value = 0;
    let digits = 0;
    const start = i;
    while (i < text.length && digits <= 4) {
      const c = text.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      value = value * 16 + d;
      digits++;
      i++;
    }
    if (i < text.length && text.charCodeAt(i) === 46) {
      // A dotted-quad tail: the rest of the text is an IPv4 address taking two groups.
      const v4 = parseIPv4(text.slice(start));
      if (v4 === undefined || groups.length > 6) return undefined;
      const n = Number(v4);
      groups.push(n >>> 16, n & 0xffff);
      i = text.length;
      break;
    }
    if (digits === 0 || digits > 4) return undefined;
    groups.push(value);
    if (i === text.length) break;
    if (text.charCodeAt(i) !== 58) return undefined;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
      if (i === text.length) break;
    } else if (i === text.length) {
      return undefined; // a trailing single colon
    }
  }
  if (gap >= 0) {
    if (groups.length > 7) return undefined;
    groups.splice(gap, 0, ...new Array<number>(8 - groups.length).fill(0));
  }
  return groups.length === 8 ? groups : undefined;
}

/** Parses an address of either family; `text` is its canonical form (RFC 5952 for IPv6). */
export function parseAddress(text: string): { family: Family; value: bigint; text: string } | undefined {
  if (text.includes(':')) {
    const groups = parseIPv6Groups(text);
    return groups && { family: 6, value: groupsToBigInt(groups), text: formatGroups(groups) };
  }
  const value = parseIPv4(text);
  // Leading zeros are refused, so a valid dotted quad is already canonical.
  return value === undefined ? undefined : { family: 4, value, text };
}

/** `::ffff:192.0.2.1` (how a dual-stack socket shows an IPv4 peer) as `192.0.2.1`; others as they are. */
export function unmapIPv4(text: string): string {
  return text.replace(/^::ffff:(?=\d+\.)/i, '');
}

/** Formats an address; IPv6 in RFC 5952 canonical form (lower case, longest zero run as `::`). */
export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) {
    const n = Number(value);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const hex32 = value.toString(16).padStart(32, '0');
  const groups: number[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(parseInt(hex32.slice(i, i + 4), 16));
  return formatGroups(groups);
}

/** Eight 16-bit groups as RFC 5952 text (also how a capture's raw IPv6 bytes are written). */
export function formatGroups(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
