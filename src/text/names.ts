/** Patterns for what users write as names and numbers, shared by the targets, lint and the probe. Pure. */

/** A phone number in E.164 (ITU-T): +, a country code not starting with 0, at most 15 digits. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** A UUID as VAPI writes credential ids (8-4-4-4-12 hex), the body without anchors. */
export const UUID_TEXT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const UUID = new RegExp(`^${UUID_TEXT}$`, 'i');

/** RFC 1123 host name: labels of letters, digits and inner hyphens, at most 63 each, 253 in all. */
export const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
