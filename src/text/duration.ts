/** Durations as users write them: `500ms`, `20s`, `5m`, `24h`, `30d`; a bare number is milliseconds. */
import { inputError } from '../errors/input.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds; `name` says where the text came from in the error. At most 10 years. */
export function parseDuration(text: string, name: string): number {
  const m = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(String(text).trim());
  const ms = m ? Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS] : NaN;
  if (!Number.isSafeInteger(ms) || ms > 10 * 365 * UNIT_MS.d) throw inputError('E_DURATION', { input: name, text: String(text).slice(0, 20) });
  return ms;
}
