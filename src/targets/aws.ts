/**
 * AWS security groups: EC2 API JSON (`aws ec2 authorize-security-group-ingress --ip-permissions
 * file://…`), CloudFormation (`AWS::EC2::SecurityGroupIngress`/`Egress`, one CIDR each) or
 * Terraform (`aws_vpc_security_group_ingress_rule`/`egress_rule`, one CIDR each).
 * Facts: target-formats.md §2.7 — one CIDR × one port range is one rule; 60 inbound and 60
 * outbound rules per group, counted apart for IPv4 and IPv6; rules of several groups on one
 * network interface add up (allow-only), so a long list is split across groups; 5 groups per
 * interface by default, 16 at most; no source ports, no deny.
 */
import { warning } from '../errors/warnings.js';
import { coreError } from '../errors/catalogue.js';
import type { Family } from '../net/address.js';
import { chunk, lower, remoteCidrs, type LoweredRule } from './lower.js';
import { NameBook } from './names.js';
import { headerLines } from './header.js';
import { awsDescription, hclString } from './quote.js';
import { renderTemplate } from './templates.js';
import { type BudgetLine, type OutputFile, type RenderOptions, type RenderResult, type Target, type TargetMeta } from './types.js';
import type { Direction, Policy } from '../policy/types.js';

/** Inbound or outbound rules per security group, per family (VPC quotas page). */
export const RULES_PER_GROUP = 60;
/** Security groups per network interface: 5 by default, adjustable up to 16. */
export const GROUPS_DEFAULT = 5;
export const GROUPS_MAX = 16;
/** Resources in one CloudFormation template. */
export const CFN_RESOURCES_MAX = 500;

export const meta: TargetMeta = {
  id: 'aws',
  title: 'AWS security group rules (EC2 API JSON, CloudFormation or Terraform)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['api', 'cloudformation', 'terraform'],
  modes: ['standalone'],
  capabilities: { outbound: true, sourcePorts: false, dualFamilyRule: false, statefulReturn: true },
  traits: { namedSets: false, deny: false },
  limits: {
    commentBytes: 255, lineSource: 'none: JSON and HCL parsers',
    other: [`${RULES_PER_GROUP} inbound + ${RULES_PER_GROUP} outbound rules per group, per family`, `${GROUPS_DEFAULT} groups per interface (${GROUPS_MAX} at most)`, `${CFN_RESOURCES_MAX} CloudFormation resources`],
  },
  apply: '`aws ec2 authorize-security-group-ingress --ip-permissions file://aws-ingress.json`',
  rerun: '— (authorize is additive; use terraform to converge)',
  validators: ['botocore validate_parameters (AuthorizeSecurityGroupIngress/Egress)', 'JSON + required keys (CloudFormation)', 'HCL parse (@cdktf/hcl2json)'],
  check: 'botocore',
};

/** One AWS rule: one protocol, one port range, one CIDR. */
export interface AwsRule {
  readonly name: string;
  readonly direction: Direction;
  readonly family: Family;
  readonly protocol: 'udp' | 'tcp';
  readonly from: number;
  readonly to: number;
  readonly cidr: string;
  readonly description: string;
}

function awsRules(rules: readonly LoweredRule[]): AwsRule[] {
  const out = new Map<string, AwsRule>();
  for (const rule of rules) {
    for (const r of destinationRanges(rule)) {
      for (const cidr of remoteCidrs(rule)) {
        const key = `${rule.direction} ${rule.protocol} ${r.from}-${r.to} ${cidr}`;
        // AWS refuses a duplicate rule; two providers sharing a prefix and a port need one.
        if (out.has(key)) continue;
        const family: Family = cidr.includes(':') ? 6 : 4;
        out.set(key, { name: rule.name, direction: rule.direction, family, protocol: rule.protocol, from: r.from, to: r.to, cidr, description: awsDescription(`sipwall: ${rule.description}`) });
      }
    }
  }
  return [...out.values()];
}

/** The ports of the packet's destination: the local ports inbound, the remote ports outbound; AWS has no "any". */
function destinationRanges(rule: LoweredRule): ReadonlyArray<{ from: number; to: number }> {
  const ports = rule.direction === 'in' ? rule.localPorts : rule.remotePorts;
  return ports === 'any' ? [{ from: 0, to: 65535 }] : ports;
}

/**
 * Refuses a policy that needs more than 16 groups, counting the distinct rules per direction and
 * family before any rule object is built: 100,000 prefixes are refused in milliseconds.
 */
function checkGroupCount(rules: readonly LoweredRule[]): void {
  const cidrsOf = new Map<string, Set<string>>();
  for (const rule of rules) {
    for (const r of destinationRanges(rule)) {
      const key = `${rule.direction} ${rule.family} ${rule.protocol} ${r.from}-${r.to}`;
      const cidrs = cidrsOf.get(key) ?? new Set<string>();
      for (const cidr of remoteCidrs(rule)) cidrs.add(cidr);
      cidrsOf.set(key, cidrs);
    }
  }
  const perList = new Map<string, number>();
  for (const [key, cidrs] of cidrsOf) {
    const list = key.split(' ', 2).join(' ');
    perList.set(list, (perList.get(list) ?? 0) + cidrs.size);
  }
  const [worst, size] = [...perList].reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  if (size > GROUPS_MAX * RULES_PER_GROUP) {
    const [d, f] = worst.split(' ');
    throw coreError('E_AWS_GROUPS', { size, direction: d!, family: f!, perGroup: RULES_PER_GROUP, groupsMax: GROUPS_MAX });
  }
}

/** Splits rules into groups of at most 60 per direction and family (checkGroupCount ran first). */
function splitGroups(rules: readonly AwsRule[], directions: readonly Direction[]): { groups: AwsRule[][]; budget: BudgetLine[]; warnings: string[] } {
  const lists = directions.flatMap((d) => ([4, 6] as const).map((f) => ({ d, f, rules: rules.filter((r) => r.direction === d && r.family === f) })));
  const count = Math.max(1, ...lists.map((l) => Math.ceil(l.rules.length / RULES_PER_GROUP)));
  const groups = Array.from({ length: count }, () => [] as AwsRule[]);
  for (const l of lists) chunk(l.rules, RULES_PER_GROUP).forEach((part, i) => groups[i]!.push(...part));
  const budget = groups.flatMap((g, i) =>
    lists
      .map((l) => ({ what: `${l.d === 'in' ? 'inbound' : 'outbound'} IPv${l.f} rules in security group ${i + 1}`, used: g.filter((r) => r.direction === l.d && r.family === l.f).length, limit: RULES_PER_GROUP }))
      .filter((b) => b.used > 0),
  );
  budget.push({ what: 'security groups per network interface', used: count, limit: GROUPS_DEFAULT });
  const warnings =
    count > GROUPS_DEFAULT
      ? [warning('W_AWS_GROUPS', { count, limit: GROUPS_DEFAULT, max: GROUPS_MAX })]
      : [];
  return { groups, budget, warnings };
}

const suffix = (i: number) => (i === 0 ? '' : `-${i + 1}`);

/** EC2 IpPermissions: rules with the same protocol and ports share one permission. */
export function ipPermissions(rules: readonly AwsRule[]): object[] {
  const byPorts = new Map<string, { IpProtocol: string; FromPort: number; ToPort: number; IpRanges: object[]; Ipv6Ranges: object[] }>();
  for (const r of rules) {
    const key = `${r.protocol} ${r.from} ${r.to}`;
    const p = byPorts.get(key) ?? { IpProtocol: r.protocol, FromPort: r.from, ToPort: r.to, IpRanges: [], Ipv6Ranges: [] };
    if (r.family === 4) p.IpRanges.push({ CidrIp: r.cidr, Description: r.description });
    else p.Ipv6Ranges.push({ CidrIpv6: r.cidr, Description: r.description });
    byPorts.set(key, p);
  }
  return [...byPorts.values()].map(({ IpRanges, Ipv6Ranges, ...p }) => ({
    ...p,
    ...(IpRanges.length > 0 ? { IpRanges } : {}),
    ...(Ipv6Ranges.length > 0 ? { Ipv6Ranges } : {}),
  }));
}

/**
 * A CloudFormation logical id (A-Z a-z 0-9 only) from a kebab-case name, injective so that no two
 * rules share an id (a JSON object keeps the last of two equal keys: a rule would vanish).
 * Read as if the name began with "-": "-" + a letter is that letter upper-cased, except x, which
 * is "Xx"; "-" + a digit is "X" + the digit; a "-" before another "-" or at the end is "X".
 * Lower-case letters and digits stand for themselves, so decoding is unambiguous:
 * `flynumber-sip-udp-in-1` → `FlynumberSipUdpInX1`, `a-1` → `AX1`, `a1` → `A1`.
 */
export function logicalId(name: string): string {
  let out = '';
  let hyphen = true;
  for (const ch of name) {
    if (ch === '-') {
      if (hyphen) out += 'X';
      hyphen = true;
    } else if (hyphen) {
      out += /[a-wyz]/.test(ch) ? ch.toUpperCase() : ch === 'x' ? 'Xx' : `X${ch}`;
      hyphen = false;
    } else out += ch;
  }
  return hyphen ? `${out}X` : out;
}
const snake = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** Stable per-rule names: the term's name plus a counter within the term. */
function numbered<T extends AwsRule>(rules: readonly T[]): Array<T & { index: number }> {
  const seen = new Map<string, number>();
  return rules.map((r) => {
    const index = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, index);
    return { ...r, index };
  });
}

/** What every form renders from: the rules in their groups, the budget and the notes. */
interface Grouped {
  readonly groups: AwsRule[][];
  /** Numbered across all groups: a term split over two groups must not give two resources one name. */
  readonly numbered: Array<AwsRule & { group: number; index: number }>;
  readonly notes: string[];
  readonly result: Omit<RenderResult, 'files'> & { budget: BudgetLine[] };
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const rules = lower(policy, meta, options.form);
  checkGroupCount(rules);
  const { groups, budget, warnings } = splitGroups(awsRules(rules), policy.directions);
  const notes = policy.directions.includes('out') ? [warning('W_AWS_OUTBOUND', {})] : [];
  // A JSON object or a Terraform file keeps one of two equal names, and a rule would vanish.
  const numberedRules = numbered(groups.flatMap((g, i) => g.map((r) => ({ ...r, group: i }))));
  const grouped: Grouped = { groups, numbered: numberedRules, notes, result: { warnings: [...warnings, ...notes], budget } };
  if (options.form === 'api') return { ...grouped.result, files: apiFiles(grouped, policy.directions) };
  if (options.form === 'cloudformation') return cloudFormation(grouped, policy, options);
  return terraform(grouped, policy, options);
}

/** One EC2 API JSON per group and direction (aws ec2 authorize-security-group-ingress). */
function apiFiles({ groups }: Grouped, directions: readonly Direction[]): OutputFile[] {
  return groups.flatMap((g, i) =>
    directions.flatMap((d) => {
      const own = g.filter((r) => r.direction === d);
      if (own.length === 0) return [];
      const name = `aws-${d === 'in' ? 'ingress' : 'egress'}${suffix(i)}.json`;
      return [{ name, content: `${JSON.stringify(ipPermissions(own), null, 2)}\n`, mode: 0o644 }];
    }),
  );
}

function cloudFormation({ groups, numbered: rules, notes, result }: Grouped, policy: Policy, options: RenderOptions): RenderResult {
  if (rules.length > CFN_RESOURCES_MAX) {
    throw coreError('E_CFN_RESOURCES', { size: rules.length, max: CFN_RESOURCES_MAX });
  }
  const budget = [...result.budget, { what: 'CloudFormation resources', used: rules.length, limit: CFN_RESOURCES_MAX }];
  const parameters = Object.fromEntries(
    groups.map((_, i) => [`SecurityGroupId${i === 0 ? '' : i + 1}`, { Type: 'AWS::EC2::SecurityGroup::Id', Description: `Security group ${i + 1} that receives the sipwall rules` }]),
  );
  const cfnIds = new NameBook('aws', 'logical id');
  const resources = Object.fromEntries(
    rules.map((r) => [
      cfnIds.claim(`Sipwall${logicalId(`${r.name}-${r.index}`)}`, `${r.name} ${r.index}`),
      {
        Type: r.direction === 'in' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress',
        Properties: {
          GroupId: { Ref: `SecurityGroupId${r.group === 0 ? '' : r.group + 1}` },
          IpProtocol: r.protocol,
          FromPort: r.from,
          ToPort: r.to,
          [r.family === 4 ? 'CidrIp' : 'CidrIpv6']: r.cidr,
          Description: r.description,
        },
      },
    ]),
  );
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `sipwall ${options.header.version}: ${policy.providers.map((p) => `${p.name} (retrieved ${p.retrieved})`).join(', ')}`.slice(0, 1024),
    Metadata: { sipwall: { command: options.header.command, notes: [...policy.notes, ...notes] } },
    Parameters: parameters,
    Resources: resources,
  };
  return { files: [{ name: 'aws-cloudformation.json', content: `${JSON.stringify(template, null, 2)}\n`, mode: 0o644 }], warnings: result.warnings, budget };
}

function terraform({ groups, numbered: rules, notes, result }: Grouped, policy: Policy, options: RenderOptions): RenderResult {
  const how = ['Apply: terraform apply, with security_group_id set to the group that receives the rules.', 'Do not mix with inline ingress/egress blocks or aws_security_group_rule on the same group.'];
  const tfNames = new NameBook('aws', 'resource');
  const view = {
    headerLines: headerLines(policy, options, how, notes),
    variables: groups.map((_, i) => ({ name: `security_group_id${i === 0 ? '' : `_${i + 1}`}`, description: hclString(`Security group ${i + 1} that receives the sipwall rules`) })),
    resources: rules.map((r) => ({
      type: r.direction === 'in' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule',
      name: tfNames.claim(`sipwall_${snake(r.name)}_${r.index}`, `${r.name} ${r.index}`),
      variable: `security_group_id${r.group === 0 ? '' : `_${r.group + 1}`}`,
      protocol: r.protocol,
      from: r.from,
      to: r.to,
      cidrKey: r.family === 4 ? 'cidr_ipv4        ' : 'cidr_ipv6        ',
      cidr: r.cidr,
      description: hclString(r.description),
      tag: r.name,
    })),
  };
  return { ...result, files: [{ name: 'aws.tf', content: renderTemplate('aws-terraform', view, options.templates), mode: 0o644 }] };
}

export const aws: Target = { meta, render };
