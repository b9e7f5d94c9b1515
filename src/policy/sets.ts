/**
 * Stage 1 of the policy: the address sets of each provider, per role and family, collapsed, and
 * shared by SIP and media when both roles collapse to the same prefixes (FlyNumber: the gateways
 * lie inside the /21). Pure.
 */
import { warning } from '../errors/warnings.js';
import type { Family } from '../net/address.js';
import { collapse, formatPrefix, type Collapsed, type Prefix } from '../net/cidr.js';
import type { Provider } from '../providers/types.js';
import { addressWarnings, coversEveryAddress } from './breadth.js';
import { ANY_ADDRESS, type Addresses, type AddressSet, type Policy } from './types.js';

export type Role = 'sip' | 'media';

export interface ProviderSets {
  /** Every set, in provider order, then family, then role. */
  readonly sets: AddressSet[];
  /** What each provider's role matches in each family; absent where the role has no address of it. */
  readonly addresses: ReadonlyMap<string, ReadonlyMap<`${Role}:${Family}`, Addresses>>;
  /** Inputs another input already covered, with the set that holds them. */
  readonly subsumed: Array<Policy['subsumed'][number]>;
  /** Lists that cover every address or are broad (breadth.ts). */
  readonly warnings: string[];
}

export function providerSets(providers: readonly Provider[], families: readonly Family[]): ProviderSets {
  const out: ProviderSets = { sets: [], addresses: new Map(), subsumed: [], warnings: [] };
  for (const provider of providers) {
    const roles = new Map<`${Role}:${Family}`, Addresses>();
    for (const family of families) {
      for (const { roles: named, list } of collapsedLists(provider, family)) {
        const addresses = addressesOf(provider, named, family, list, out);
        for (const role of named) roles.set(`${role}:${family}`, addresses);
      }
    }
    (out.addresses as Map<string, typeof roles>).set(provider.id, roles);
  }
  return out;
}

/** The collapsed lists of one provider in one family, each with the roles that use it. */
function collapsedLists(provider: Provider, family: Family): Array<{ roles: Role[]; list: Collapsed }> {
  const ofFamily = (list: readonly Prefix[]) => list.filter((p) => p.family === family);
  const sipBase = provider.sip && collapse(ofFamily(provider.sip.addresses));
  const sip = provider.sip && withGateways(sipBase!, ofFamily(provider.sip.gateways));
  const mediaList = provider.media?.addresses;
  // The parser shares one list when media and SIP name the same addresses: collapse it once.
  const media = mediaList === undefined || mediaList === 'any' ? undefined : mediaList === provider.sip?.addresses ? sipBase : collapse(ofFamily(mediaList));
  if (sip && media && sip.prefixes.length > 0 && samePrefixes(sip.prefixes, media.prefixes)) {
    // media === sipBase when both roles name one list: its subsumed prefixes are in sip's already.
    return [{ roles: ['sip', 'media'], list: { prefixes: sip.prefixes, subsumed: media === sipBase ? sip.subsumed : [...sip.subsumed, ...media.subsumed] } }];
  }
  const lists: Array<{ roles: Role[]; list: Collapsed }> = [];
  if (sip && sip.prefixes.length > 0) lists.push({ roles: ['sip'], list: sip });
  if (media && media.prefixes.length > 0) lists.push({ roles: ['media'], list: media });
  return lists;
}

/** One list as a named set, or as any address when it covers every address of its family. */
function addressesOf(provider: Provider, roles: readonly Role[], family: Family, list: Collapsed, out: ProviderSets): Addresses {
  // Injective: ids hold no "_", so the name splits back at its last two "_" into id, roles and
  // family (`acme` sip and `acme-sip` sip+media are acme_sip_v4 and acme_sip_sipmedia_v4).
  const name = `${provider.id.replaceAll('-', '_')}_${roles.join('')}_v${family}`;
  // A loop, not push(...): a spread of a million arguments overflows the stack.
  for (const x of list.subsumed) out.subsumed.push({ ...x, set: name });
  const what = roles.map((r) => (r === 'sip' ? 'SIP' : 'media')).join(' and ');
  if (coversEveryAddress(list.prefixes, family)) {
    out.warnings.push(warning('W_ADDRESSES_EVERY', { label: `${provider.id} ${what}`, prefixes: list.prefixes.map(formatPrefix) }));
    return ANY_ADDRESS;
  }
  out.warnings.push(...addressWarnings(`${provider.id} ${what}`, list.prefixes, family));
  const set: AddressSet = { name, family, prefixes: list.prefixes, description: `${provider.name} ${what} IPv${family}` };
  out.sets.push(set);
  return { kind: 'set', set };
}

/** SIP addresses with the (usually few) gateways merged in, in a second pass. */
function withGateways(base: Collapsed, gateways: readonly Prefix[]): Collapsed {
  if (gateways.length === 0) return base;
  const merged = collapse([...base.prefixes, ...gateways]);
  return { prefixes: merged.prefixes, subsumed: [...base.subsumed, ...merged.subsumed] };
}

function samePrefixes(a: readonly Prefix[], b: readonly Prefix[]): boolean {
  return a === b || (a.length === b.length && a.every((p, i) => p.network === b[i]!.network && p.length === b[i]!.length));
}
