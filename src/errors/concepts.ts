/**
 * The options errors and warnings talk about. The core names these concepts; the CLI's flags
 * are named after them, and `flag` shows one as the CLI spells it (a test checks every flag a
 * catalogued text names is one the CLI has). Pure.
 */
export type Concept =
  | 'provider' | 'profile' | 'family' | 'sip-ports' | 'rtp-ports' | 'pbx' | 'direction' | 'strict' | 'form' | 'into' | 'into-output'
  | 'priority' | 'templates' | 'pfsense-config' | 'pfsense-after' | 'pbx-address' | 'routeros-chain' | 'target' | 'ipset' | 'interface'
  | 'ssh-from' | 'max-age' | 'out' | 'endpoint' | 'number' | 'vapi-credential' | 'lock-addresses' | 'room-prefix';

/** A concept as the CLI spells it. */
export const flag = (concept: Concept): string => `--${concept}`;

/** `a, b, c`. */
export const list = (items: readonly string[]): string => items.join(', ');
