/**
 * Warnings for address lists and port ranges that open far more than a provider needs: a typo
 * (`/1` for `/21`), a mapped or NAT64 range that stands for every IPv4 address, loopback or
 * link-local space, an RTP range over every UDP port. Pure.
 */
import { warning } from '../errors/warnings.js';
import { FAMILY_BITS, type Family } from '../net/address.js';
import { formatPrefix, lastAddress, parseCidr, type Prefix } from '../net/cidr.js';
import { formatPortRange, type PortRange } from '../net/ports.js';

/** From this many addresses on a list is called broad: a /8 of IPv4, a /24 of IPv6. */
const BROAD_BITS: Record<Family, number> = { 4: 24, 6: 104 };

/** Special-purpose ranges (IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890). */
const SPECIAL: ReadonlyArray<readonly [string, string]> = [
  ['0.0.0.0/8', '"this network", never a source'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'the unspecified address'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'IPv4-mapped: every IPv4 address'],
  ['64:ff9b::/96', 'NAT64: every IPv4 address behind a NAT64 gateway'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];
let special: Array<{ prefix: Prefix; what: string }> | undefined;

/** How many addresses a list of disjoint prefixes (a collapsed list) covers. */
export function addressCount(prefixes: readonly Prefix[]): bigint {
  // Tallied per prefix length in plain numbers, then summed once: 100,000 BigInt shifts are slow.
  const perLength = new Array<number>(129).fill(0);
  for (const p of prefixes) perLength[(p.family === 4 ? 32 : 128) - p.length]!++;
  let n = 0n;
  perLength.forEach((count, hostBits) => {
    if (count > 0) n += BigInt(count) << BigInt(hostBits);
  });
  return n;
}

/** The first prefix of a sorted, disjoint list that overlaps `range`, by binary search. */
function firstOverlap(prefixes: readonly Prefix[], range: Prefix): Prefix | undefined {
  const end = lastAddress(range);
  let lo = 0;
  let hi = prefixes.length;
  // The first prefix whose last address reaches the range's start.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lastAddress(prefixes[mid]!) < range.network) lo = mid + 1;
    else hi = mid;
  }
  const p = prefixes[lo];
  return p !== undefined && p.network <= end ? p : undefined;
}

/**
 * True when a collapsed list covers every address of `family`: collapse merges any such cover
 * (two /1, four /2, …) into the one /0, so nothing is counted (that was a second pass over a
 * 100,000-prefix list).
 */
export function coversEveryAddress(prefixes: readonly Prefix[], family: Family): boolean {
  return prefixes.length === 1 && prefixes[0]!.length === 0 && prefixes[0]!.family === family;
}

/** What is wrong with a collapsed (sorted, disjoint) address list of one family, as warnings about `label`. */
export function addressWarnings(label: string, prefixes: readonly Prefix[], family: Family): string[] {
  const out: string[] = [];
  const count = addressCount(prefixes);
  const bits = FAMILY_BITS[family];
  if (count >= 1n << BigInt(BROAD_BITS[family])) {
    const like = bits - (count.toString(2).length - 1);
    out.push(warning('W_ADDRESSES_BROAD', { label, count, family, like }));
  }
  special ??= SPECIAL.map(([cidr, what]) => ({ prefix: parseCidr(cidr, 'special range'), what }));
  // A collapsed list is sorted and disjoint: one binary search per special range.
  for (const s of special) {
    if (s.prefix.family !== family) continue;
    const p = firstOverlap(prefixes, s.prefix);
    if (p) out.push(warning('W_ADDRESS_SPECIAL', { label, prefix: formatPrefix(p), inside: p.length > s.prefix.length, special: formatPrefix(s.prefix), what: s.what }));
  }
  return out;
}

/** UDP ports an RTP range should never hold, and the size past which a range is not a PBX's. */
const RTP_MAX_PORTS = 32_768;

/** What is wrong with the RTP range the policy opens. `from` says to whom it is open. */
export function rtpWarnings(rtp: readonly PortRange[], sipPorts: readonly number[], from: string): string[] {
  const out: string[] = [];
  const text = rtp.map((r) => formatPortRange(r, '-')).join(',');
  const size = rtp.reduce((n, r) => n + r.to - r.from + 1, 0);
  if (size > RTP_MAX_PORTS) out.push(warning('W_RTP_BROAD', { range: text, size, from, max: RTP_MAX_PORTS }));
  if (rtp.some((r) => r.from < 1024)) out.push(warning('W_RTP_LOW_PORTS', { range: text, from }));
  const sip = sipPorts.filter((p) => rtp.some((r) => p >= r.from && p <= r.to));
  if (sip.length > 0) out.push(warning('W_RTP_HOLDS_SIP', { range: text, ports: [...new Set(sip)], from }));
  return out;
}
