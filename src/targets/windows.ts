/**
 * Windows Defender Firewall (3CX on Windows): a PowerShell script of New-NetFirewallRule calls.
 * Facts: target-formats.md §2.11 — `-LocalPort`/`-RemotePort`/`-RemoteAddress` take arrays,
 * hyphen ranges; re-runs remove the rules of group sipwall first.
 */
import type { Policy, Ports } from '../policy/types.js';
import { chunk, formatPorts, lower, remoteCidrs } from './lower.js';
import { NameBook } from './names.js';
import { headerLines } from './header.js';
import { psComment, psString } from './quote.js';
import { renderTemplate } from './templates.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

/** Addresses per rule: sipwall keeps each call short; longer lists become numbered rules. */
export const ADDRESSES_PER_RULE = 1000;

export const meta: TargetMeta = {
  id: 'windows',
  title: 'Windows Firewall (PowerShell New-NetFirewallRule script)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['ps1'],
  modes: ['standalone'],
  capabilities: { outbound: true, sourcePorts: true, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: false, deny: true },
  limits: { commentBytes: 1024, lineSource: 'none: PowerShell reads the whole script', other: [`${ADDRESSES_PER_RULE} remote addresses per rule (longer lists are split)`] },
  apply: 'elevated PowerShell',
  rerun: 'removes group `sipwall`, re-creates',
  validators: ['golden files + PowerShell token assertions (tests)'],
};

const array = (items: readonly string[]) => `@(${items.map(psString).join(', ')})`;
/** CIDR texts hold no quote of any kind: they go between '…' as they are (a long list is hot). */
const cidrArray = (cidrs: readonly string[]) => `@('${cidrs.join("', '")}')`;
/** A port list as a PowerShell array, or '' for any port (the template then leaves the parameter out). */
const portArray = (p: Ports) => (p === 'any' ? '' : array(p.map((r) => formatPorts([r], '-'))));

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const rules = lower(policy, meta, options.form);
  const names = new NameBook('windows', 'rule');
  const out = rules.flatMap((rule) => {
    const parts = rule.remote === 'any' ? [undefined] : chunk(remoteCidrs(rule), ADDRESSES_PER_RULE);
    return parts.map((addresses, i) => {
      const name = names.claim(`sipwall-${rule.name}${parts.length > 1 ? `-${i + 1}` : ''}`, `${rule.name} part ${i + 1}`);
      // Every address of one family, as the address ranges -RemoteAddress accepts.
      const everyAddress = rule.family === 4 ? '0.0.0.0-255.255.255.255' : '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
      const remote = addresses ? cidrArray(addresses) : rule.family === 'both' ? 'Any' : array([everyAddress]);
      return {
        name: psString(name),
        displayName: psString(`sipwall ${rule.description}`),
        description: psString(`sipwall: ${rule.description}`),
        direction: rule.direction === 'in' ? 'Inbound' : 'Outbound',
        protocol: rule.protocol.toUpperCase(),
        localPorts: portArray(rule.localPorts),
        remotePorts: portArray(rule.remotePorts),
        remote,
      };
    });
  });
  const how = ['Apply: in an elevated PowerShell, .\\windows.ps1 (re-running replaces every rule of group sipwall).'];
  const view = { headerLines: headerLines(policy, options, how, [], psComment), rules: out };
  return { files: [{ name: 'windows.ps1', content: renderTemplate('windows', view, options.templates), mode: 0o644 }], warnings: [] };
}

export const windows: Target = { meta, render };
