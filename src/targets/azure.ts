/**
 * Azure network security group rules: a re-runnable az script or Terraform
 * `azurerm_network_security_rule`. Facts: target-formats.md §2.9 — priorities 100–4096, unique,
 * assigned top-down; 1,000 rules per NSG; 4,000 source and 4,000 destination prefixes per NSG in
 * total; names ≤ 80; descriptions ≤ 140; hyphen ranges; source ports allowed. The NSGs of a subnet
 * and of a NIC must both allow a packet, so an NSG over its limits cannot be split: that fails.
 *
 * Re-runs (issue 17.1): Azure refuses a second rule at a priority one of the same direction holds
 * (SecurityRuleConflict; azure-cli `nsg rule create --priority`: "Must be unique for each rule in
 * the collection"; Azure's own default rules share 65000 between AllowVnetInBound and
 * AllowVnetOutBound, so the collection is per direction). Priorities are handed out in order
 * from --priority, so adding a provider moves later rules. No rule is therefore ever moved: a
 * rule's priority is part of its name (`sipwall-101-vapi-sip-udp-in-v4`) and, in Terraform, the
 * priority alone is its resource address (`sipwall_101`). A rule whose priority changed is a new
 * name: the script deletes the old name before it creates any rule, and Terraform replaces the
 * resource (destroy, then create) with no other resource at that priority. test/targets/azure-rerun.test.ts
 * replays runs against a model of an NSG that enforces these constraints.
 */
import { coreError } from '../errors/catalogue.js';
import type { Policy, Ports } from '../policy/types.js';
import { lower, remoteCidrs, formatPorts, type LoweredRule } from './lower.js';
import { fitName, NameBook } from './names.js';
import { headerLines } from './header.js';
import { hclString, shellWord } from './quote.js';
import { shellOrTerraform } from './templates.js';
import { type BudgetLine, type RenderOptions, type RenderResult, type Target, type TargetMeta } from './types.js';

export const AZURE_LIMITS = { rules: 1000, prefixes: 4000, priorityMin: 100, priorityMax: 4096, nameMax: 80, descriptionMax: 140 } as const;

export const meta: TargetMeta = {
  id: 'azure',
  title: 'Azure network security group rules (az script or Terraform)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['shell', 'terraform'],
  modes: ['standalone'],
  capabilities: { outbound: true, sourcePorts: true, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: false, deny: true },
  limits: { commentBytes: AZURE_LIMITS.descriptionMax, lineSource: 'none: sh with az arguments, or HCL', other: [`${AZURE_LIMITS.rules} rules per NSG`, `${AZURE_LIMITS.prefixes} source and ${AZURE_LIMITS.prefixes} destination prefixes per NSG`, 'priorities 100-4096'] },
  flags: { priority: 'first rule priority (default 100)' },
  apply: '`RESOURCE_GROUP=… NSG=… sh azure.sh`',
  rerun: 'names carry their priority: stale `sipwall-*` deleted, then create/update; stops before any change if a rule of yours holds one of its priorities',
  validators: ['HCL parse (@cdktf/hcl2json) + priority and limit assertions (tests)'],
};

const portList = (ports: Ports) => (ports === 'any' ? ['*'] : ports.map((r) => formatPorts([r], '-')));

function sides(rule: LoweredRule) {
  const remote = rule.remote === 'any' ? ['*'] : remoteCidrs(rule);
  const inbound = rule.direction === 'in';
  return {
    sourceAddresses: inbound ? remote : ['*'],
    destinationAddresses: inbound ? ['*'] : remote,
    sourcePorts: portList(inbound ? rule.remotePorts : rule.localPorts),
    destinationPorts: portList(inbound ? rule.localPorts : rule.remotePorts),
  };
}

/**
 * One side's values for the Terraform template, which writes `source_address_prefix = "*"` for
 * one value and `source_address_prefixes = [...]` for a list. CIDRs, ports and `*` hold no quote
 * or backslash: they are HCL strings as they are.
 */
const hclValues = (values: readonly string[]) => ({ many: values.length > 1, values });

/**
 * Azure's limits, counted before any text is built (100,000 prefixes are refused at once): the
 * priorities from `first` on, rules and prefixes per NSG. Returns the budget.
 */
function checkLimits(first: number, all: ReadonlyArray<ReturnType<typeof sides>>): { budget: BudgetLine[] } {
  const last = first + all.length - 1;
  if (first < AZURE_LIMITS.priorityMin || last > AZURE_LIMITS.priorityMax) {
    throw coreError('E_AZURE_PRIORITY', { rules: all.length, first, min: AZURE_LIMITS.priorityMin, max: AZURE_LIMITS.priorityMax });
  }
  const count = (list: readonly string[]) => list.filter((a) => a !== '*').length;
  const sources = all.reduce((n, s) => n + count(s.sourceAddresses), 0);
  const destinations = all.reduce((n, s) => n + count(s.destinationAddresses), 0);
  const over = (used: number, limit: number, what: string) => {
    if (used > limit) {
      throw coreError('E_AZURE_LIMIT', { used, limit, what });
    }
  };
  over(all.length, AZURE_LIMITS.rules, 'rules');
  over(sources, AZURE_LIMITS.prefixes, 'source prefixes');
  over(destinations, AZURE_LIMITS.prefixes, 'destination prefixes');
  const budget = [
    { what: 'rules per NSG', used: all.length, limit: AZURE_LIMITS.rules },
    { what: 'source prefixes per NSG', used: sources, limit: AZURE_LIMITS.prefixes },
    { what: 'destination prefixes per NSG', used: destinations, limit: AZURE_LIMITS.prefixes },
    { what: `priorities used (${first}-${last})`, used: last, limit: AZURE_LIMITS.priorityMax },
  ];
  return { budget };
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const first = options.priority ?? AZURE_LIMITS.priorityMin;
  const rules = lower(policy, meta, options.form);
  const all = rules.map(sides);
  const { budget } = checkLimits(first, all);
  const terraform = options.form === 'terraform';
  const names = new NameBook('azure', 'rule');
  const out = rules.map((rule, i) => {
    const s = all[i]!;
    const priority = first + i;
    const name = names.claim(fitName(`sipwall-${priority}-${rule.name}`, AZURE_LIMITS.nameMax), rule.name);
    const description = `sipwall: ${rule.description}`.slice(0, AZURE_LIMITS.descriptionMax);
    return {
      name,
      resource: `sipwall_${priority}`,
      priority,
      direction: rule.direction === 'in' ? 'Inbound' : 'Outbound',
      protocol: rule.protocol === 'udp' ? 'Udp' : 'Tcp',
      ...(terraform
        ? {
            sourceAddresses: hclValues(s.sourceAddresses),
            destinationAddresses: hclValues(s.destinationAddresses),
            sourcePorts: hclValues(s.sourcePorts),
            destinationPorts: hclValues(s.destinationPorts),
            hclDescription: hclString(description),
          }
        : {
            sourceAddresses: s.sourceAddresses.map(shellWord).join(' '),
            destinationAddresses: s.destinationAddresses.map(shellWord).join(' '),
            sourcePorts: s.sourcePorts.map(shellWord).join(' '),
            destinationPorts: s.destinationPorts.map(shellWord).join(' '),
            description: shellWord(description),
          }),
    };
  });
  const how =
    options.form === 'terraform'
      ? ['Apply: terraform apply (variables resource_group_name, network_security_group_name). Do not mix with inline security_rule blocks on the same NSG.']
      : ['Apply: RESOURCE_GROUP=rg NSG=nsg sh azure.sh. Re-running deletes the sipwall-* rules this run no longer has, then creates or updates its own; it stops first, changing nothing, if a rule of yours holds one of its priorities.'];
  const view = { headerLines: headerLines(policy, options, how), rules: out, used: out.map((r) => `${r.priority}:${r.direction}`).join(' ') };
  return { files: [shellOrTerraform('azure', options.form, view, options.templates)], warnings: [], budget };
}

export const azure: Target = { meta, render };
