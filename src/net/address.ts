/** IPv4 and IPv6 addresses as unsigned big integers. Pure; no I/O. */
import { InputError } from './errors.js';

export type Family = 4 | 6;

export const FAMILY_BITS: Record<Family, number> = { 4: 32, 6: 128 };

const V4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Parses a dotted-quad IPv4 address; returns undefined when it is not one. */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!V4_PART.test(part)) return undefined;
    value = value * 256 + Number(part);
  }
  return BigInt(value);
}

/** Parses an IPv6 address (with `::` and an optional dotted-quad tail); undefined when invalid. */
export function parseIPv6(text: string): bigint | undefined {
  if (text.length > 45) return undefined;
  const lastColon = text.lastIndexOf(':');
  let groups: bigint[] | undefined;
  if (text.includes('.', lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    // Replace the dotted tail by two placeholder groups so `::` is handled in one place.
    groups = parseGroups(`${text.slice(0, lastColon + 1)}0:0`);
    if (!groups) return undefined;
    groups[6] = v4 >> 16n;
    groups[7] = v4 & 0xffffn;
  } else {
    groups = parseGroups(text);
  }
  return groups?.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseGroups(text: string): bigint[] | undefined {
  const want = 8;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): bigint[] | undefined => {
    if (s === '') return [];
    const out: bigint[] = [];
    for (const g of s.split(':')) {
      if (!V6_GROUP.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const left = toGroups(halves[0]!);
  if (!left) return undefined;
  if (halves.length === 1) return left.length === want ? left : undefined;
  const right = toGroups(halves[1]!);
  if (!right) return undefined;
  const missing = want - left.length - right.length;
  if (missing < 1) return undefined;
  return [...left, ...new Array<bigint>(missing).fill(0n), ...right];
}

/** Parses an address of either family. */
export function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  if (text.includes(':')) {
    const value = parseIPv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIPv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** Formats an address; IPv6 in RFC 5952 canonical form (lower case, longest zero run as `::`). */
export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) {
    const n = Number(value);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
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

/** Throws an InputError unless `text` is an address. */
export function requireAddress(text: string, input: string): { family: Family; value: bigint } {
  const parsed = parseAddress(text);
  if (!parsed) {
    throw new InputError(input, `"${text}" is not an IPv4 or IPv6 address`, 'write e.g. 203.0.113.7 or 2001:db8::7');
  }
  return parsed;
}
