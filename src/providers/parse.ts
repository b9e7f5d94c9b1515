/** Turns a raw profile (built-in data or a user's file) into a checked Provider. Pure. */
import { warning } from '../errors/warnings.js';
import { parseCidrs, type Prefix } from '../net/cidr.js';
import { inputError } from '../errors/input.js';
import { parsePort, parsePortRange } from '../net/ports.js';
import type { AddressList } from './address-list.js';
import type { AddressFileRef, RawProfile } from './schema.js';
import type { Provider, Transport } from './types.js';

/** Reads the list file a profile names for a field (`where` names that field in errors). */
export type ListReader = (ref: AddressFileRef, where: string) => AddressList;

const isFile = (list: readonly string[] | AddressFileRef): list is AddressFileRef => !Array.isArray(list);

/**
 * `where` names the origin in error messages, e.g. `profile ./my.yaml` or `built-in vapi`;
 * `readList` reads the address list files the profile names (a profile file only).
 */
export function toProvider(raw: RawProfile, where: string, readList?: ListReader): Provider {
  const field = (path: string) => `${where}: ${path}`;
  const prefixes = (list: readonly string[] | AddressFileRef, path: string): Prefix[] => {
    if (!isFile(list)) return parseCidrs(list, (i) => field(`${path}[${i}]`));
    if (!readList) throw inputError('E_LIST_FILE_NOT_HERE', { field: field(path) });
    const read = readList(list, field(path));
    return parseCidrs(read.entries, (i) => `${field(path)}: ${read.file} line ${read.lines[i]}`);
  };
  const { sip, media } = raw.roles;
  const sipAddresses = sip && prefixes(sip.addresses, 'roles.sip.addresses');
  // Media listed with the same addresses as SIP (FlyNumber), or the same list file: parse once, share the list.
  const sameAsSip = (list: readonly string[] | AddressFileRef) => {
    const theirs = sip?.addresses;
    if (theirs === undefined) return false;
    if (isFile(list) || isFile(theirs)) return isFile(list) && isFile(theirs) && list.file === theirs.file;
    return list.length === theirs.length && list.every((t, i) => t === theirs[i]);
  };
  const transports: Partial<Record<Transport, number>> = {};
  for (const [t, port] of Object.entries(sip?.transports ?? {})) {
    if (port !== undefined) transports[t as Transport] = parsePort(port, field(`roles.sip.transports.${t}`));
  }
  // A calendar date: Date.parse takes 2026-02-30 as 2 March, so the date must read back the same.
  const day = Date.parse(`${raw.retrieved}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw.retrieved) || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== raw.retrieved) {
    throw inputError('E_PROFILE_DATE', { field: field('retrieved'), value: raw.retrieved });
  }
  return {
    id: raw.id,
    name: raw.name,
    source: raw.source,
    retrieved: raw.retrieved,
    ...(raw.notes === undefined ? {} : { notes: raw.notes }),
    ...(sip === undefined
      ? {}
      : {
          sip: {
            addresses: sipAddresses!,
            gateways: prefixes(sip.gateways ?? [], 'roles.sip.gateways'),
            transports,
          },
        }),
    ...(media === undefined
      ? {}
      : {
          media: {
            addresses:
              media.addresses === 'any'
                ? 'any'
                : sameAsSip(media.addresses)
                  ? sipAddresses!
                  : prefixes(media.addresses, 'roles.media.addresses'),
            providerPorts:
              media.providerPorts === undefined || media.providerPorts === 'any'
                ? 'any'
                : [parsePortRange(media.providerPorts, field('roles.media.providerPorts'))],
            ...(media.hostPorts === undefined
              ? {}
              : { hostPorts: [parsePortRange(media.hostPorts, field('roles.media.hostPorts'))] }),
          },
        }),
  };
}

const DAY_MS = 86_400_000;

/** Age of a profile in whole days at `now`. */
export function profileAgeDays(provider: Provider, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${provider.retrieved}T00:00:00Z`)) / DAY_MS);
}

/**
 * A profile read in the future never goes stale: refused, with a day of grace for time zones.
 * `where` names the origin, as in toProvider.
 */
export function checkNotFuture(provider: Provider, now: Date, where: string): void {
  if (profileAgeDays(provider, now) < -1) {
    throw inputError('E_PROFILE_FUTURE', { field: `${where}: retrieved`, value: provider.retrieved, today: now.toISOString().slice(0, 10) });
  }
}

/** A warning when the provider's facts were read more than `maxAgeDays` ago. */
export function stalenessWarning(provider: Provider, now: Date, maxAgeDays: number): string | undefined {
  const age = profileAgeDays(provider, now);
  if (age <= maxAgeDays) return undefined;
  return warning('W_PROFILE_STALE', { id: provider.id, retrieved: provider.retrieved, age, max: maxAgeDays, source: provider.source });
}
