/**
 * The schema of a user provider profile (YAML or JSON). Structural checks live here; addresses
 * and ports are checked by src/net when the raw profile is turned into a Provider.
 */
import { DATE, NAME_MAX, PROVIDER_NAME, TEXT, TEXT_MAX } from './fields.js';
import { PROVIDER_ID } from './id.js';
import { z } from 'zod/mini';

const text = (max: number) =>
  z.string().check(
    z.maxLength(max, `at most ${max} characters`),
    z.regex(TEXT, 'control characters (newlines, tabs, escapes), noncharacters (U+FFFE, U+FFFF) and lone surrogates are not allowed'),
  );

const portValue = z.union([z.number(), z.string()]);
/** A list written in the profile, or a list file named by it (relative to the profile). */
const addressFile = z.strictObject({ file: z.string().check(z.minLength(1, 'name the list file')) });
const LIST_OR_FILE = 'give a list of addresses or prefixes, or { file: NAME } naming an address list file';
const addressList = z.union([z.array(z.string()).check(z.minLength(1, 'list at least one address or prefix')), addressFile], { error: LIST_OR_FILE });
export type AddressFileRef = z.infer<typeof addressFile>;

/**
 * What a profile may hold, and the words of every refusal. A profile that passes is accepted by
 * profile-check.ts without this schema (zod's load and run were 5-6 ms of a 150 ms
 * `render --profile`); this one is loaded to say what is wrong. test/providers/profile-check
 * holds the two to the same verdict. zod/mini, not zod: smaller.
 */
export const rawProfileSchema = z.strictObject({
  id: z.string().check(z.regex(PROVIDER_ID, 'lower-case letters, digits and "-", starting with a letter, at most 31 characters')),
  name: z.string().check(z.minLength(1), z.maxLength(NAME_MAX, `at most ${NAME_MAX} characters`), z.regex(PROVIDER_NAME, 'letters, digits, spaces and . _ - + / , ( ) & only')),
  source: text(TEXT_MAX).check(z.minLength(1)),
  retrieved: z.string().check(z.regex(DATE, 'a date written YYYY-MM-DD')),
  notes: z.optional(text(TEXT_MAX)),
  roles: z
    .strictObject({
      sip: z.optional(
        z.strictObject({
          addresses: addressList,
          gateways: z.optional(z.union([z.array(z.string()), addressFile], { error: LIST_OR_FILE })),
          transports: z
            .strictObject({ udp: z.optional(portValue), tcp: z.optional(portValue), tls: z.optional(portValue) })
            .check(z.refine((t) => Object.keys(t).length > 0, 'name at least one of udp, tcp, tls')),
        }),
      ),
      media: z.optional(
        z.strictObject({
          addresses: z.union([z.literal('any'), addressList]),
          providerPorts: z.optional(z.union([z.literal('any'), portValue])),
          hostPorts: z.optional(portValue),
        }),
      ),
    })
    .check(z.refine((r) => r.sip !== undefined || r.media !== undefined, 'give a sip role, a media role or both')),
});

export type RawProfile = z.infer<typeof rawProfileSchema>;

export { PROVIDER_ID };
