/**
 * The schema of a user provider profile (YAML or JSON). Structural checks live here; addresses
 * and ports are checked by src/net when the raw profile is turned into a Provider.
 */
import { z } from 'zod';

/**
 * No control characters (newlines, tabs, escapes): such a string could break out of a comment.
 * No noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, …) and no lone surrogates either: XML 1.0
 * has no place for them (pfSense, OPNsense and firewalld files would not parse).
 */
const TEXT = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Noncharacter_Code_Point}\u2028\u2029]*$/u;
const text = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .regex(TEXT, 'control characters (newlines, tabs, escapes), noncharacters (U+FFFE, U+FFFF) and lone surrogates are not allowed');

export const PROVIDER_ID = /^[a-z][a-z0-9-]{0,30}$/;
/** Names reach rule comments in every target language: no quotes, `$`, backticks or `;`. */
export const PROVIDER_NAME = /^[\p{L}\p{N} ._+/,()&-]+$/u;

const portValue = z.union([z.number(), z.string()]);
const addressList = z.array(z.string()).min(1, 'list at least one address or prefix');

export const rawProfileSchema = z
  .object({
    id: z
      .string()
      .regex(PROVIDER_ID, 'lower-case letters, digits and "-", starting with a letter, at most 31 characters'),
    name: z
      .string()
      .min(1)
      .max(60, 'at most 60 characters')
      .regex(PROVIDER_NAME, 'letters, digits, spaces and . _ - + / , ( ) & only'),
    source: text(500).min(1),
    retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD'),
    notes: text(500).optional(),
    roles: z
      .object({
        sip: z
          .object({
            addresses: addressList,
            gateways: z.array(z.string()).optional(),
            transports: z
              .object({ udp: portValue.optional(), tcp: portValue.optional(), tls: portValue.optional() })
              .strict()
              .refine((t) => Object.keys(t).length > 0, 'name at least one of udp, tcp, tls'),
          })
          .strict()
          .optional(),
        media: z
          .object({
            addresses: z.union([z.literal('any'), addressList]),
            providerPorts: z.union([z.literal('any'), portValue]).optional(),
            hostPorts: portValue.optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .refine((r) => r.sip !== undefined || r.media !== undefined, 'give a sip role, a media role or both'),
  })
  .strict();

export type RawProfile = z.infer<typeof rawProfileSchema>;
