/**
 * GCP VPC firewall rules: a re-runnable gcloud script or Terraform `google_compute_firewall`.
 * Facts: target-formats.md §2.8 — one family per rule (`-v4`/`-v6` names), names
 * `[a-z]([-a-z0-9]*[a-z0-9])?` of at most 63, priority 0–65535, hyphen ranges, no source ports.
 */
import { coreError } from '../errors/catalogue.js';
import type { Policy } from '../policy/types.js';
import { chunk, formatPorts, lower, remoteCidrs } from './lower.js';
import { fitName, NameBook } from './names.js';
import { headerLines } from './header.js';
import { hclString, shellWord } from './quote.js';
import { shellOrTerraform } from './templates.js';
import { type RenderOptions, type RenderResult, type Target, type TargetMeta } from './types.js';

/**
 * Per-rule caps as data. The 256 figures are those Capirca/Aerleon enforce (aerleon/lib/gce.py,
 * citing cloud.google.com/vpc/docs/quota); a newer quota page is quoted with 5,000 source ranges.
 * sipwall keeps the lower figure until cloud.google.com/firewall/docs/quotas is re-checked: a rule
 * within it is accepted under either.
 */
export const GCP_LIMITS = { rangesPerRule: 256, portsPerRule: 256, nameMax: 63, source: 'aerleon/lib/gce.py (2024); cloud.google.com/firewall/docs/quotas not re-checked' } as const;

export const meta: TargetMeta = {
  id: 'gcp',
  title: 'GCP VPC firewall rules (gcloud script or Terraform)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['shell', 'terraform'],
  modes: ['standalone'],
  capabilities: { outbound: true, sourcePorts: false, dualFamilyRule: false, statefulReturn: true },
  traits: { namedSets: false, deny: true },
  limits: { portsPerRule: GCP_LIMITS.portsPerRule, commentBytes: 2048, lineSource: 'none: sh with gcloud arguments, or HCL', other: [`${GCP_LIMITS.rangesPerRule} address ranges per rule (longer lists are split)`, 'names ≤ 63 of a-z 0-9 -'] },
  flags: { priority: 'rule priority (default 1000)' },
  apply: '`NETWORK=… TARGET_TAGS=… sh gcp.sh`',
  rerun: 'update or create, delete `sipwall-*` it no longer has',
  validators: ['HCL parse (@cdktf/hcl2json) + name and limit assertions (tests)'],
};

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const priority = options.priority ?? 1000;
  if (priority < 0 || priority > 65535) {
    throw coreError('E_GCP_PRIORITY', { priority });
  }
  const rules = lower(policy, meta, options.form);
  const terraform = options.form === 'terraform';
  const names = new NameBook('gcp', 'rule');
  const out = rules.flatMap((rule) => {
    const ports = rule.direction === 'in' ? rule.localPorts : rule.remotePorts;
    const portList = ports === 'any' ? [] : ports.map((r) => formatPorts([r], '-'));
    if (portList.length > GCP_LIMITS.portsPerRule) {
      throw coreError('E_GCP_PORTS', { rule: rule.name, entries: portList.length, max: GCP_LIMITS.portsPerRule });
    }
    const parts = chunk(remoteCidrs(rule), GCP_LIMITS.rangesPerRule);
    return parts.map((ranges, i) => {
      const name = names.claim(fitName(`sipwall-${rule.name}${parts.length > 1 ? `-${i + 1}` : ''}`, GCP_LIMITS.nameMax), `${rule.name} part ${i + 1}`);
      const description = `sipwall: ${rule.description}`;
      return {
        name,
        resource: name.replaceAll('-', '_'),
        direction: rule.direction === 'in' ? 'INGRESS' : 'EGRESS',
        priority,
        protocol: rule.protocol,
        rules: portList.length === 0 ? rule.protocol : `${rule.protocol}:${portList.join(`,${rule.protocol}:`)}`,
        count: ranges.length,
        ...(terraform
          ? {
              inbound: rule.direction === 'in',
              // CIDR texts and port ranges hold no quote or backslash: they are HCL strings as they
              // are. Joined here, not by {{#each}} in the template: at 100,000 prefixes the loop
              // took the render from 9 ms to 160 ms (docs/templates.md).
              hclRanges: ranges.length === 0 ? '' : `"${ranges.join('", "')}"`,
              hclPorts: portList.map((p) => `"${p}"`).join(', '),
              hclDescription: hclString(description),
            }
          : {
              rangesFlag: rule.direction === 'in' ? 'source-ranges' : 'destination-ranges',
              ranges: ranges.join(','),
              description: shellWord(description),
            }),
      };
    });
  });
  const budget = [{ what: 'address ranges in the largest rule', used: Math.max(0, ...out.map((r) => r.count)), limit: GCP_LIMITS.rangesPerRule }];
  const how =
    options.form === 'terraform'
      ? ['Apply: terraform apply (variables network, target_tags).']
      : ['Apply: NETWORK=default TARGET_TAGS=pbx sh gcp.sh. Re-running updates the rules and deletes sipwall-* rules this run no longer has.'];
  return { files: [shellOrTerraform('gcp', options.form, { headerLines: headerLines(policy, options, how), rules: out }, options.templates)], warnings: [], budget };
}

export const gcp: Target = { meta, render };
