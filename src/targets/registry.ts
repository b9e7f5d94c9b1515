/**
 * The table of targets: one line per target module. Everything else about a target (the contract
 * check, `--target list`, flag help, docs/targets.md, the checker plan, the tests) is read from
 * its `meta` through this table.
 */
import { asterisk } from './asterisk.js';
import { freeswitch } from './freeswitch.js';
import { livekitTrunk } from './livekit-trunk.js';
import { vapiTrunk } from './vapi-trunk.js';
import { coreError } from '../errors/catalogue.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { enforced } from './contract.js';
import { firewalld } from './firewalld.js';
import { gcp } from './gcp.js';
import { iptables } from './iptables.js';
import { nftables } from './nftables.js';
import { opnsense } from './opnsense.js';
import { pfsense } from './pfsense.js';
import { routeros } from './routeros.js';
import type { Target } from './types.js';
import { ufw } from './ufw.js';
import { windows } from './windows.js';

/** The modules, in the order `--target list` and `--target all` use. */
export const MODULES: readonly Target[] = [nftables, iptables, ufw, firewalld, pfsense, opnsense, aws, gcp, azure, routeros, windows, asterisk, freeswitch, vapiTrunk, livekitTrunk];

/** Every target as the CLI and the tests use it: contract check, render, line check. */
export const TARGETS: readonly Target[] = registered(MODULES);

/** Targets as the registry hands them out (exported for the test that registers one more). */
export function registered(modules: readonly Target[]): Target[] {
  const metas = modules.map((t) => t.meta);
  return modules.map((t) => enforced(t, metas));
}

export function findTarget(id: string, targets: readonly Target[] = TARGETS): Target {
  const target = targets.find((t) => t.meta.id === id);
  if (!target) {
    throw coreError('E_UNKNOWN_TARGET', { id, known: targets.map((t) => t.meta.id) });
  }
  return target;
}
