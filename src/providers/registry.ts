/** Looks up built-in providers and PBX presets by id. Pure. */
import { InputError } from '../net/errors.js';
import { BUILTIN_PROFILES, PLATFORMS_WITHOUT_RANGES } from './builtin.js';
import { toProvider } from './parse.js';
import { PBX_PRESETS } from './pbx.js';
import type { HostProfile, Provider } from './types.js';

export function builtinProviders(): Provider[] {
  return BUILTIN_PROFILES.map((raw) => toProvider(raw, `built-in ${raw.id}`));
}

export function findBuiltinProvider(id: string): Provider {
  const raw = BUILTIN_PROFILES.find((p) => p.id === id);
  const platform = PLATFORMS_WITHOUT_RANGES.find((p) => p.id === id);
  if (platform) {
    throw new InputError(
      '--provider',
      `${platform.name} publishes no IP ranges for its SIP or media (${platform.source}, read ${platform.retrieved}), and sipwall does not invent them`,
      `ask ${platform.name} for the addresses it sends from and write them in a profile (--profile FILE, docs/profiles.md); sipwall providers shows what is known`,
    );
  }
  if (!raw) {
    const known = BUILTIN_PROFILES.map((p) => p.id).join(', ');
    throw new InputError('--provider', `unknown provider "${id}"`, `use one of ${known}, or --profile FILE`);
  }
  return toProvider(raw, `built-in ${raw.id}`);
}

export function findPbxPreset(id: string): HostProfile {
  const preset = PBX_PRESETS[id];
  if (!preset) {
    throw new InputError('--pbx', `unknown PBX preset "${id}"`, `use one of ${Object.keys(PBX_PRESETS).join(', ')}`);
  }
  return preset;
}
