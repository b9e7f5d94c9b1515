/**
 * What a profile's text fields may hold: one definition for the schema (schema.ts, which words
 * the refusals) and for the check that accepts a profile without loading zod (profile-check.ts).
 * Pure, no dependency.
 */

/**
 * No control characters (newlines, tabs, escapes): such a string could break out of a comment.
 * No noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, …) and no lone surrogates either: XML 1.0
 * has no place for them (pfSense, OPNsense and firewalld files would not parse).
 */
export const TEXT = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Noncharacter_Code_Point}\u2028\u2029]*$/u;
/** The longest `source` and `notes`. */
export const TEXT_MAX = 500;

/** Names reach rule comments in every target language: no quotes, `$`, backticks or `;`. */
export const PROVIDER_NAME = /^[\p{L}\p{N} ._+/,()&-]+$/u;
export const NAME_MAX = 60;

/** `retrieved`: a date written YYYY-MM-DD (parse.ts checks that it is a day of the calendar). */
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
