/**
 * The policy lowered for targets that think in "remote side / local side" rules without address
 * sets of their own (ufw, cloud security groups, firewalld, RouterOS, Windows, pfSense). Pure.
 *
 * Two shared mechanisms live here so that no target does them on its own:
 * - widening: a target without source-port matching renders a term without it only when the user
 *   has not asked for --strict, and every widened term is reported (note + warning);
 * - family split: a term that applies to both families becomes one rule per family where the
 *   platform needs one family per rule.
 */
import type { Family } from '../net/address.js';
import { formatPrefix } from '../net/cidr.js';
import { formatPortRange, type PortRange } from '../net/ports.js';
import type { AddressSet, Direction, Policy, Ports, Term } from '../policy/types.js';
import { TargetError, type TargetMeta } from './types.js';

export interface FlatRule {
  /** Unique, kebab-case: the term's name, with `-v4`/`-v6` added when a term was split. */
  readonly name: string;
  readonly term: Term;
  readonly family: Family | 'both';
  readonly direction: Direction;
  readonly protocol: 'udp' | 'tcp';
  /** The far side's addresses: the provider's set, or any address (of `family`). */
  readonly remote: AddressSet | 'any';
  readonly remotePorts: Ports;
  readonly localPorts: Ports;
  readonly description: string;
}

export interface Lowered {
  readonly rules: FlatRule[];
  /** One line per widened term, for the header notes and the warnings. */
  readonly widened: string[];
}

/**
 * Lowers the policy's terms. `splitFamilies`: a rule must hold one family (AWS, GCP); otherwise
 * an any-address term that applies to both families stays one rule.
 */
export function lower(policy: Policy, meta: TargetMeta, options: { strict?: boolean | undefined; splitFamilies: boolean }): Lowered {
  if (!meta.capabilities.outbound && policy.directions.includes('out')) {
    throw new TargetError(
      'E_DIRECTION_UNSUPPORTED',
      '--direction',
      `${meta.id} filters inbound traffic only: it cannot hold the outbound rules of --direction ${policy.directions.length === 2 ? 'both' : 'out'}`,
      'drop --direction (inbound is the default), or use a target that filters outbound (nftables, iptables, aws, gcp, azure, ufw, routeros, windows)',
    );
  }
  const widened: string[] = [];
  const rules: FlatRule[] = [];
  for (const original of policy.terms) {
    const term = meta.capabilities.sourcePorts ? original : widen(original, meta, options.strict === true, widened);
    const inbound = term.direction === 'in';
    const remote = inbound ? term.sources : term.destinations;
    const families: Array<Family | 'both'> = term.family === 'both' && options.splitFamilies ? [...policy.families] : [term.family];
    for (const family of families) {
      rules.push({
        name: families.length > 1 ? `${term.name}-v${family}` : term.name,
        term,
        family,
        direction: term.direction,
        protocol: term.protocol,
        remote: remote.kind === 'set' ? remote.set : 'any',
        remotePorts: inbound ? term.sourcePorts : term.destinationPorts,
        localPorts: inbound ? term.destinationPorts : term.sourcePorts,
        description: term.description,
      });
    }
  }
  return { rules, widened };
}

/** A term without its source-port match, or a named error under --strict. */
function widen(term: Term, meta: TargetMeta, strict: boolean, widened: string[]): Term {
  if (term.sourcePorts === 'any') return term;
  const ports = formatPorts(term.sourcePorts, '-');
  if (strict) {
    throw new TargetError(
      'E_SOURCE_PORTS_UNSUPPORTED',
      '--strict',
      `${meta.id} cannot match source ports, which term ${term.name} needs (${term.protocol} source ports ${ports})`,
      'drop --strict to accept any source port on that rule, or use a target that matches source ports (nftables, iptables, ufw, azure, routeros, windows, pfsense)',
    );
  }
  widened.push(`${term.name}: ${meta.id} cannot match source ports; this rule accepts any ${term.protocol} source port, not only ${ports}.`);
  return { ...term, sourcePorts: 'any' };
}

/** CIDR texts per address set: the terms of one role share a set, so it is formatted once. */
const cidrTexts = new WeakMap<AddressSet, readonly string[]>();

/** A set's prefixes as CIDR texts, formatted once however many terms and targets use the set. */
export function setCidrs(set: AddressSet): readonly string[] {
  let texts = cidrTexts.get(set);
  if (!texts) {
    texts = set.prefixes.map(formatPrefix);
    cidrTexts.set(set, texts);
  }
  return texts;
}

/** The remote side as CIDR texts: the set's prefixes, or the whole family. */
export function remoteCidrs(rule: FlatRule): readonly string[] {
  if (rule.remote !== 'any') return setCidrs(rule.remote);
  if (rule.family === 'both') return ['0.0.0.0/0', '::/0'];
  return [rule.family === 4 ? '0.0.0.0/0' : '::/0'];
}

export function formatPorts(ports: readonly PortRange[], separator: '-' | ':'): string {
  return ports.map((r) => formatPortRange(r, separator)).join(',');
}

/** Splits a list into chunks of at most `size` items (at least one chunk, possibly empty). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length <= size) return [items.slice()];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** FNV-1a, 32 bit, of a text. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const hex32 = (h: number) => (h >>> 0).toString(16).padStart(8, '0');

/** A short stable hash (FNV-1a, 32 bit, hex) of a text: tags a run's rules for re-run clean-up. */
export function shortHash(text: string): string {
  return hex32(fnv1a(text));
}

/** Two 32-bit hashes mixed into one (murmur3's finaliser over a ^ b·φ), for hashes of parts. */
export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A short hash of a multiset of 32-bit hashes, whatever their order (their sum mod 2^32): the
 * same rules give the same tag without sorting them.
 */
export function unorderedHash(hashes: readonly number[]): string {
  let sum = 0;
  for (const h of hashes) sum = (sum + h) >>> 0;
  return hex32(sum);
}

/**
 * The names one render derives from ids (sets, aliases, rules, resources): a second owner of a
 * name is a named error, never a merge of two providers' addresses or ports. The encodings make
 * this unreachable but for a 32-bit hash collision of two cut names; the check keeps it so.
 */
export class NameBook {
  private readonly owners = new Map<string, string>();
  constructor(private readonly target: string, private readonly kind: string) {}

  /** `name` for `owner`; the same owner may claim its name again. */
  claim(name: string, owner: string): string {
    const other = this.owners.get(name);
    if (other !== undefined && other !== owner) {
      throw new TargetError('E_NAME_COLLISION', `${this.target} ${this.kind} ${name}`, `derived from both ${other} and ${owner}`, 'rename one of the providers (profile id)');
    }
    this.owners.set(name, owner);
    return name;
  }
}

/** A name cut to `max` characters, keeping it unique with a hash of the whole when cut. */
export function fitName(name: string, max: number, joiner = '-'): string {
  if (name.length <= max) return name;
  const tail = `${joiner}${shortHash(name)}`;
  return `${name.slice(0, max - tail.length).replace(/[-_]+$/, '')}${tail}`;
}
