/** Looks up built-in providers and PBX presets by id. Pure. */
import { inputError } from '../errors/input.js';
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
    throw inputError('E_PROVIDER_WITHOUT_RANGES', { name: platform.name, source: platform.source, retrieved: platform.retrieved });
  }
  if (!raw) {
    throw inputError('E_UNKNOWN_PROVIDER', { id, known: BUILTIN_PROFILES.map((p) => p.id) });
  }
  return toProvider(raw, `built-in ${raw.id}`);
}

export function findPbxPreset(id: string): HostProfile {
  const preset = PBX_PRESETS[id];
  if (!preset) {
    throw inputError('E_UNKNOWN_PBX', { id, known: Object.keys(PBX_PRESETS) });
  }
  return preset;
}
