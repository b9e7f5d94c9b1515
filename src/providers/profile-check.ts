/**
 * Accepts a profile that schema.ts accepts, without loading zod: zod's load, schema build and
 * run were 5-6 ms of a ~150 ms `render --profile` (issue 15, BENCHMARKS.md). It only answers
 * yes or no; a no loads schema.ts, whose refusal names the field and the fix. The two are held
 * to the same verdict by test/providers/profile-check.test.ts, over generated documents: a
 * field added to one must be added to the other. Pure, no dependency.
 */
import { DATE, NAME_MAX, PROVIDER_NAME, TEXT, TEXT_MAX } from './fields.js';
import { PROVIDER_ID } from './id.js';
import type { RawProfile } from './schema.js';

type Check = (value: unknown) => boolean;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with these fields and no other (zod's strictObject); `optional` ones may be absent. */
function shape(fields: Record<string, Check>, optional: readonly string[] = []): (value: unknown) => value is Record<string, unknown> {
  const names = Object.keys(fields);
  return (value): value is Record<string, unknown> => {
    if (!isRecord(value)) return false;
    for (const key of Object.keys(value)) if (!Object.hasOwn(fields, key)) return false;
    return names.every((name) => (value[name] === undefined ? optional.includes(name) : fields[name]!(value[name])));
  };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const text = (value: unknown) => isString(value) && value.length <= TEXT_MAX && TEXT.test(value);
const strings = (value: unknown) => Array.isArray(value) && value.every(isString);
// zod's number: finite (YAML's .inf and .nan are refused).
const port = (value: unknown) => (typeof value === 'number' && Number.isFinite(value)) || isString(value);
const file = shape({ file: (value) => isString(value) && value.length > 0 });
const addresses = (value: unknown) => (strings(value) && (value as unknown[]).length > 0) || file(value);
const transports = shape({ udp: port, tcp: port, tls: port }, ['udp', 'tcp', 'tls']);
const sip = shape(
  { addresses, gateways: (value) => strings(value) || file(value), transports: (value) => transports(value) && Object.keys(value).length > 0 },
  ['gateways'],
);
// providerPorts: 'any' is a string, which a port may be (parse.ts reads it).
const media = shape({ addresses: (value) => value === 'any' || addresses(value), providerPorts: port, hostPorts: port }, ['providerPorts', 'hostPorts']);
const roles = shape({ sip, media }, ['sip', 'media']);
const profile = shape(
  {
    id: (value) => isString(value) && PROVIDER_ID.test(value),
    name: (value) => isString(value) && value.length >= 1 && value.length <= NAME_MAX && PROVIDER_NAME.test(value),
    source: (value) => text(value) && (value as string).length >= 1,
    retrieved: (value) => isString(value) && DATE.test(value),
    notes: text,
    roles: (value) => roles(value) && (value.sip !== undefined || value.media !== undefined),
  },
  ['notes'],
);

/** Whether schema.ts's rawProfileSchema accepts `data` as it is (its output is then `data`). */
export function isRawProfile(data: unknown): data is RawProfile {
  return profile(data);
}
