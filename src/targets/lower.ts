/**
 * The one lowering from the policy to what targets render: each term as a rule seen from the host
 * (the remote side and the local side), for every target without address sets of its own syntax
 * (ufw, firewalld, pfSense, OPNsense, AWS, GCP, Azure, RouterOS, Windows). nftables and iptables
 * render the terms themselves. Pure.
 *
 * The contract check (contract.ts) has already run: the terms are the ones the target can express.
 * The one thing left to lowering is the family split: a term that applies to both families becomes
 * one rule per family where the target's rules cannot cover both (capability `dualFamilyRule`).
 */
import type { Family } from '../net/address.js';
import { formatPrefix } from '../net/cidr.js';
import { formatPortRange, type PortRange } from '../net/ports.js';
import type { AddressSet, Direction, Policy, Ports, Term } from '../policy/types.js';
import { capabilitiesOf } from './contract.js';
import type { Form, TargetMeta } from './types.js';

export interface LoweredRule {
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

/** The policy's terms as rules, split by family where `form` of the target needs one family per rule. */
export function lower(policy: Policy, meta: TargetMeta, form: Form): LoweredRule[] {
  const split = !capabilitiesOf(meta, form).dualFamilyRule;
  const rules: LoweredRule[] = [];
  for (const term of policy.terms) {
    const inbound = term.direction === 'in';
    const remote = inbound ? term.sources : term.destinations;
    const families: Array<Family | 'both'> = term.family === 'both' && split ? [...policy.families] : [term.family];
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
  return rules;
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
export function remoteCidrs(rule: LoweredRule): readonly string[] {
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
