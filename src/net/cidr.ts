/** CIDR prefixes: parsing, formatting and collapse (merge adjacent, drop subsumed). Pure. */
import { FAMILY_BITS, formatAddress, groupsToBigInt, ipv4Value, parseAddress, unmapIPv4, type Family } from './address.js';
import { inputError } from '../errors/input.js';

export interface Prefix {
  readonly family: Family;
  /** First address of the prefix (host bits zero). */
  readonly network: bigint;
  readonly length: number;
  /**
   * Canonical text of `network`, kept from parsing so that long lists are not formatted again;
   * left out by the fast paths when `cidr` holds it (a slice per prefix less to make and collect).
   */
  readonly text?: string | undefined;
  /** The text the prefix was parsed from, when it already was `formatPrefix`'s (`192.0.2.0/24`, `2001:db8::/32`). */
  readonly cidr?: string | undefined;
}

/** HOST_MASK[family][length]: the host bits of a prefix of that length (a table: BigInt is slow). */
const HOST_MASK: Record<Family, bigint[]> = {
  4: Array.from({ length: 33 }, (_, len) => (1n << BigInt(32 - len)) - 1n),
  6: Array.from({ length: 129 }, (_, len) => (1n << BigInt(128 - len)) - 1n),
};

/** Last address covered by a prefix. */
export function lastAddress(p: Prefix): bigint {
  return p.network | HOST_MASK[p.family][p.length]!;
}

function networkText(p: Prefix): string {
  return p.text ?? (p.cidr === undefined ? formatAddress(p.family, p.network) : p.cidr.slice(0, p.cidr.indexOf('/')));
}

export function formatPrefix(p: Prefix): string {
  return p.cidr ?? `${networkText(p)}/${p.length}`;
}

/** Formats a prefix, leaving out `/32` and `/128` (how nft and most humans write hosts). */
export function formatPrefixShort(p: Prefix): string {
  const address = networkText(p);
  return p.length === FAMILY_BITS[p.family] ? address : (p.cidr ?? `${address}/${p.length}`);
}

/** `input` may be a function: naming the field costs a string per element of a long list. */
function nameOf(input: string | (() => string)): string {
  return typeof input === 'string' ? input : input();
}

/**
 * Parses `a.b.c.d/n`, `x::/n` or a bare address (a host prefix). Host bits must be zero:
 * `46.19.209.14/21` is refused with the network it probably meant, because a silently
 * widened or narrowed range is exactly the kind of mistake that opens or drops a trunk.
 */
export function parseCidr(text: string, input: string | (() => string)): Prefix {
  return parseCidrV4(text) ?? parseCidrV6(text) ?? parseCidrAny(text, input);
}

/**
 * parseCidr over a list; `name(i)` names element i, and is called only for an error. (One naming
 * function for the list, not one per element: 100,000 closures were garbage to collect.)
 */
export function parseCidrs(texts: readonly string[], name: (index: number) => string): Prefix[] {
  const prefixes: Prefix[] = [];
  let at = 0;
  const input = () => name(at);
  for (; at < texts.length; at++) prefixes.push(parseCidr(texts[at]!, input));
  return prefixes;
}

/** The length after `/` at `slash` when written as formatPrefix writes it (`/0`-`/max`, no leading zero); else -1. */
function canonicalLength(text: string, slash: number, max: number): number {
  const digits = text.length - slash - 1;
  if (digits < 1 || digits > 3 || (digits > 1 && text.charCodeAt(slash + 1) === 48)) return -1;
  let length = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    length = length * 10 + (c - 48);
  }
  return length > max ? -1 : length;
}

/** V4_HOST_BITS[length]: the host bits of an IPv4 prefix as an int32 mask (a 32-bit `&` is far cheaper than `%`). */
const V4_HOST_BITS = Int32Array.from({ length: 33 }, (_, length) => 2 ** (32 - length) - 1);

/**
 * The common case of a long feed, `a.b.c.d/n` or `a.b.c.d` as formatPrefix writes it, in one scan
 * of char codes: no trim, slice, regular expression or BigInt mask. Anything else (IPv6, spaces, a
 * host bit set, a bad length or one with a leading zero, any invalid text) is undefined and goes the general way, which gives the
 * same prefixes and every error (a property test holds the two equal).
 */
function parseCidrV4(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  const value = ipv4Value(text, end);
  if (value < 0) return undefined;
  // A length written otherwise (`/08`) goes the general way too.
  const length = slash < 0 ? 32 : canonicalLength(text, slash, 32);
  if (length < 0 || (value & V4_HOST_BITS[length]!) !== 0) return undefined;
  return { family: 4, network: BigInt(value), length, text: slash < 0 ? text : undefined, cidr: slash < 0 ? undefined : text };
}

/** The written groups of parseCidrV6 (one parse at a time: nothing in it is re-entered). */
const written = new Uint16Array(8);
const groups = new Uint16Array(8);

/**
 * IPv6 as formatPrefix writes it (RFC 5952: lower case, no leading zeros, `::` for the first
 * longest run of two or more zero groups; `/n` without a leading zero), in one scan of char codes
 * with no BigInt but the value: the general way parsed, formatted again and compared, ~5 µs an
 * address. Anything else (upper case, a dotted-quad tail, a host bit set, any invalid text) is
 * undefined and goes the general way, which gives the same prefixes and every error (a property
 * test holds the two equal).
 */
export function parseCidrV6(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  let n = 0;
  let gap = -1; // where `::` stands among the written groups
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return undefined;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    const first = i;
    let value = 0;
    for (; i < end && i - first < 4; i++) {
      const c = text.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) break;
      value = value * 16 + d;
    }
    const digits = i - first;
    // (A fifth digit is then not a `:` below: refused there.)
    if (digits === 0 || (digits > 1 && text.charCodeAt(first) === 48) || n === 8) return undefined;
    written[n++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return undefined;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined;
      gap = n;
      i++;
    } else if (i === end) {
      return undefined;
    }
  }
  // `::` stands for two or more zero groups, none of them written beside it, and it is the first
  // longest run of zeros; without it, no two zero groups stand together.
  const zeros = gap < 0 ? 0 : 8 - n;
  if (gap < 0 ? n !== 8 : zeros < 2 || (gap > 0 && written[gap - 1] === 0) || (gap < n && written[gap] === 0)) return undefined;
  for (let k = 0, run = 0; k < n; k++) {
    run = written[k] === 0 ? run + 1 : 0;
    if (run >= 2 && (gap < 0 || (k < gap ? run >= zeros : run > zeros))) return undefined;
  }
  const length = slash < 0 ? 128 : canonicalLength(text, slash, 128);
  if (length < 0) return undefined;
  for (let k = 0; k < 8; k++) {
    const group = k < gap || gap < 0 ? written[k]! : k < gap + zeros ? 0 : written[k - zeros]!;
    // The bits of this group past the length must be zero.
    const hostBits = Math.min(16, Math.max(0, 16 * (k + 1) - length));
    if ((group & ((1 << hostBits) - 1)) !== 0) return undefined;
    groups[k] = group;
  }
  return { family: 6, network: groupsToBigInt(groups), length, text: slash < 0 ? text : undefined, cidr: slash < 0 ? undefined : text };
}

function parseCidrAny(text: string, input: string | (() => string)): Prefix {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const lengthText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  const address = parseAddress(addressText);
  if (!address) {
    throw inputError('E_CIDR', { input: nameOf(input), text });
  }
  const bits = FAMILY_BITS[address.family];
  let length = bits;
  if (lengthText !== undefined) {
    if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > bits) {
      throw inputError('E_CIDR_LENGTH', { input: nameOf(input), text, bits });
    }
    length = Number(lengthText);
  }
  const hostMask = HOST_MASK[address.family][length]!;
  if ((address.value & hostMask) !== 0n) {
    const network = formatPrefix({ family: address.family, network: address.value & ~hostMask, length });
    throw inputError('E_CIDR_HOST_BITS', { input: nameOf(input), text, network });
  }
  const cidr = trimmed === text && address.text === addressText && lengthText === String(length) ? text : undefined;
  return { family: address.family, network: address.value, length, text: address.text, cidr };
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
  if (input.length === 0) return { prefixes: [], subsumed: [] };
  return input[0]!.family === 4 && input.every((p) => p.family === 4) ? collapseV4(input) : collapseBig(input);
}

/**
 * IPv4 in plain numbers: every BigInt operation allocates, and on a small machine allocation is
 * most of the cost of 100,000 prefixes (BENCHMARKS.md).
 */
function collapseV4(input: readonly Prefix[]): Collapsed {
  const starts = new Uint32Array(input.length);
  const lengths = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) {
    starts[i] = Number(input[i]!.network);
    lengths[i] = input[i]!.length;
  }
  const order = orderV4(starts, lengths);
  const subsumed: Subsumed[] = [];
  const prefixes: Prefix[] = [];
  // The current run of touching prefixes: kept as it is when it holds one, re-covered otherwise.
  // (Plain locals, no closure over them: a closure would keep them in a heap context, which the
  // loop below then reads and writes 100,000 times.)
  let top: Prefix | undefined;
  let topEnd = -1;
  let runStart = 0;
  let runLength = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const p = input[i]!;
    const start = starts[i]!;
    if (top !== undefined && start <= topEnd) {
      // Prefixes either nest or are disjoint, so starting inside `top` means lying inside it.
      subsumed.push({ prefix: p, by: top });
      continue;
    }
    if (top !== undefined && start === topEnd + 1) {
      runLength++;
    } else {
      if (top !== undefined) closeRunV4(prefixes, top, runStart, runLength, topEnd);
      runStart = start;
      runLength = 1;
    }
    top = p;
    topEnd = start + V4_SIZE[lengths[i]!]! - 1;
  }
  if (top !== undefined) closeRunV4(prefixes, top, runStart, runLength, topEnd);
  return { prefixes, subsumed };
}

/** V4_SIZE[length]: the addresses in an IPv4 prefix of that length. */
const V4_SIZE = Float64Array.from({ length: 33 }, (_, length) => 2 ** (32 - length));

/** A run of touching prefixes ending at `end`: its one prefix as it is, or re-covered. */
function closeRunV4(prefixes: Prefix[], last: Prefix, start: number, count: number, end: number): void {
  if (count > 1) prefixes.push(...rangeToPrefixes(4, BigInt(start), BigInt(end)));
  else prefixes.push(last);
}

/** From this many prefixes on, orderV4 sorts by radix. */
export const RADIX_FROM = 4096;

/**
 * The indices of the prefixes by network, then shorter first: a radix sort (by length, then the
 * low and the high 16 bits of the network, each pass stable) instead of a comparator sort, which
 * was the largest part of collapsing 100,000 prefixes in a fresh process (BENCHMARKS.md).
 */
function orderV4(starts: Uint32Array, lengths: Uint8Array): Uint32Array {
  const n = starts.length;
  // Two passes over 65,536 buckets cost more than they save on a short list (and, run cold at
  // start-up, 11 ms for a provider of a few prefixes): a comparator sort there.
  if (n < RADIX_FROM) return Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => starts[a]! - starts[b]! || lengths[a]! - lengths[b]!);
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  const byLength = new Uint32Array(34);
  for (let i = 0; i < n; i++) byLength[lengths[i]! + 1]!++;
  for (let b = 1; b < 34; b++) byLength[b]! += byLength[b - 1]!;
  for (let i = 0; i < n; i++) order[byLength[lengths[i]!]!++] = i;
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let j = 0; j < n; j++) counts[((starts[order[j]!]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 1; b < 65537; b++) counts[b]! += counts[b - 1]!;
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      next[counts[(starts[i]! >>> shift) & 0xffff]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

function collapseBig(input: readonly Prefix[]): Collapsed {
  const sorted = sortPrefixes(input);
  const subsumed: Subsumed[] = [];
  // Runs of touching prefixes; a run of one prefix is already minimal and is kept as it is.
  const runs: Array<{ first: Prefix; start: bigint; end: bigint; count: number }> = [];
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
    const last = runs[runs.length - 1];
    if (last && last.end + 1n === p.network) {
      last.end = topEnd;
      last.count++;
    } else {
      runs.push({ first: p, start: p.network, end: topEnd, count: 1 });
    }
  }
  // A loop, not flatMap: an array per run of one was 10 ms of 20,000 IPv6 prefixes.
  const prefixes: Prefix[] = [];
  for (const r of runs) {
    if (r.count === 1) prefixes.push(r.first);
    else prefixes.push(...rangeToPrefixes(r.first.family, r.start, r.end));
  }
  return { prefixes, subsumed };
}

/** Sorts by network, then shorter prefix first. */
function sortPrefixes(input: readonly Prefix[]): Prefix[] {
  return [...input].sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : a.length - b.length));
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

/** Whether any prefix holds the address text (an IPv4-mapped IPv6 address counts as IPv4). */
export function prefixesContain(prefixes: readonly Prefix[], addressText: string): boolean {
  const address = parseAddress(unmapIPv4(addressText));
  if (!address) return false;
  return prefixes.some((p) => p.family === address.family && address.value >= p.network && address.value <= lastAddress(p));
}
