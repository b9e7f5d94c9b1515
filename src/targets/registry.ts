/** The table of targets: id → module. `sipwall render --target list` prints it. */
import { InputError } from '../net/errors.js';
import { iptables } from './iptables.js';
import { nftables } from './nftables.js';
import { ufw } from './ufw.js';
import { firewalld } from './firewalld.js';
import { opnsense, pfsense } from './pfsense.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { gcp } from './gcp.js';
import { routeros } from './routeros.js';
import { windows } from './windows.js';
import { withLineCheck } from './line-limit.js';
import type { Target } from './types.js';

/** Every target as the CLI and the tests use it: its render, then the line check of its meta. */
export const TARGETS: readonly Target[] = [nftables, iptables, ufw, firewalld, pfsense, opnsense, aws, gcp, azure, routeros, windows].map(withLineCheck);

export function findTarget(id: string): Target {
  const target = TARGETS.find((t) => t.meta.id === id);
  if (!target) {
    throw new InputError('--target', `unknown target "${id}"`, `use one of ${TARGETS.map((t) => t.meta.id).join(', ')} (or --target list)`);
  }
  return target;
}
