/** Stage 3 of the policy: the header notes about prefixes that another prefix already covers. Pure. */
import { formatPrefix } from '../net/cidr.js';
import type { Policy } from './types.js';

/** Prefixes a note names before it says "and N more", and notes before one line sums up the rest. */
export const SUBSUMED_SHOWN = 8;

/**
 * One note per covering prefix, grouped by the prefix that holds them; linear in the number
 * subsumed (a feed may repeat one prefix a million times), and only the prefixes shown are
 * written out. A header note stays short: the full list is in --json (subsumed).
 */
export function subsumedNotes(subsumed: Policy['subsumed']): string[] {
  const groups = new Map<string, Array<Policy['subsumed'][number]>>();
  for (const s of subsumed) {
    // formatPrefix is canonical, and mostly the text the prefix was read from (no BigInt to text).
    const key = `${s.set} ${formatPrefix(s.by)}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  const notes: string[] = [];
  let more = 0;
  for (const inside of groups.values()) {
    if (notes.length >= SUBSUMED_SHOWN) {
      more += inside.length;
      continue;
    }
    const shown = inside.slice(0, SUBSUMED_SHOWN).map((s) => formatPrefix(s.prefix));
    if (inside.length > SUBSUMED_SHOWN) shown.push(`and ${inside.length - SUBSUMED_SHOWN} more`);
    notes.push(`${shown.join(', ')} ${inside.length === 1 ? 'lies' : 'lie'} inside ${formatPrefix(inside[0]!.by)} (${inside[0]!.set}): no rules of their own.`);
  }
  if (more > 0) notes.push(`${more} more ${more === 1 ? 'prefix lies' : 'prefixes lie'} inside ${groups.size - SUBSUMED_SHOWN} other ${groups.size - SUBSUMED_SHOWN === 1 ? 'prefix' : 'prefixes'} of the lists: no rules of their own (--json lists them).`);
  return notes;
}
