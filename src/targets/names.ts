/**
 * Names and tags a render derives from ids: short stable hashes, names cut to a platform's length
 * and kept unique, and the book that refuses a second owner of one name. Pure.
 */
import { coreError } from '../errors/catalogue.js';

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
      throw coreError('E_NAME_COLLISION', { target: this.target, kind: this.kind, name, first: other, second: owner });
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
