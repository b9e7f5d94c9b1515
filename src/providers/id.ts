/** A provider's id: kebab-case, no "_" (set names split back at "_"), at most 31 characters. Pure, no dependency. */
export const PROVIDER_ID = /^[a-z][a-z0-9-]{0,30}$/;
