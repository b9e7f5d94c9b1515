/**
 * Issue 17.1: any sequence of runs (providers added, removed, reordered, another --priority)
 * applies cleanly over the previous run's rules, against a model of an NSG that enforces Azure's
 * constraints: the shell form through a fake `az` (test/helpers/fake-az.mjs) that refuses a second
 * rule at a priority and direction, and the Terraform form through a plan of the change applied in
 * the worst order Terraform may choose.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const RUNS: readonly string[][] = [
  ['-p', 'vapi', '--pbx', 'asterisk'],
  ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'],
  ['-p', 'vapi', '--pbx', 'asterisk'],
  ['-p', 'vapi', '-p', 'flynumber', '--pbx', 'asterisk'],
  ['-p', 'flynumber', '--pbx', 'asterisk'],
  ['--profile', 'test-trunk.yaml', '-p', 'vapi', '-p', 'flynumber', '--rtp-ports', '20000-20100'],
  ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--direction', 'both'],
  ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--priority', '103'],
  ['-p', 'vapi', '--pbx', 'asterisk'],
];

interface Rule {
  name: string;
  priority: number;
  direction: string;
}

const work = mkdtempSync(join(tmpdir(), 'sipwall-azure-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
symlinkSync(join(import.meta.dirname, '..', 'helpers', 'fake-az.mjs'), join(work, 'az'));

async function render(args: readonly string[], form: 'shell' | 'terraform'): Promise<string> {
  const run = await runCli(['render', '--target', 'azure', '--form', form, ...args]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** The rules a script creates, as the NSG should hold them after it ran. */
function created(script: string): Rule[] {
  return [...script.matchAll(/^az network nsg rule create .* -n (\S+) --priority (\d+) --direction (\w+) /gm)].map((m) => ({ name: m[1]!, priority: Number(m[2]), direction: m[3]! }));
}

const byName = (rules: readonly Rule[]) => [...rules].sort((a, b) => a.name.localeCompare(b.name));

describe('azure shell: run after run through an NSG that refuses conflicts', () => {
  const state = join(work, 'nsg.json');
  const own = [
    // The user's own rules: one outbound at a priority sipwall takes inbound (allowed), one far below.
    { name: 'allow-https-out', priority: 102, direction: 'Outbound', description: '' },
    { name: 'deny-all-in', priority: 4000, direction: 'Inbound', description: '' },
  ];
  const apply = (script: string) => {
    writeFileSync(join(work, 'azure.sh'), script);
    return spawnSync('sh', [join(work, 'azure.sh')], { encoding: 'utf8', env: { PATH: `${work}:${process.env.PATH}`, RESOURCE_GROUP: 'rg', NSG: 'nsg', FAKE_NSG: state }, timeout: 60_000 });
  };
  const rules = (): Rule[] => (JSON.parse(readFileSync(state, 'utf8')) as { rules: Rule[] }).rules.map(({ name, priority, direction }) => ({ name, priority, direction }));

  it('every run applies, and leaves exactly its rules beside the user\'s own', async () => {
    writeFileSync(state, JSON.stringify({ rules: own }));
    for (const [i, args] of RUNS.entries()) {
      const script = await render(args, 'shell');
      const run = apply(script);
      expect([i, run.status, run.stderr]).toEqual([i, 0, '']);
      expect(byName(rules())).toEqual(byName([...own.map(({ name, priority, direction }) => ({ name, priority, direction })), ...created(script)]));
    }
  }, 120_000);

  it('a rule of the user at a priority it needs stops the script before anything changes', async () => {
    const before = JSON.stringify({ rules: [...own, { name: 'mine', priority: 101, direction: 'Inbound', description: '' }, { name: 'sipwall-100-old-rule', priority: 100, direction: 'Inbound', description: '' }] });
    writeFileSync(state, before);
    const run = apply(await render(RUNS[1]!, 'shell'));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('sipwall: priority 101 (Inbound) is held by your rule mine: nothing was changed; render again with another --priority\n');
    expect(readFileSync(state, 'utf8')).toBe(before);
  });
});

type Resource = Rule & { address: string };

async function resources(tf: string): Promise<Map<string, Resource>> {
  const json = (await parseHcl('azure.tf', tf)) as { resource: { azurerm_network_security_rule: Record<string, Array<Record<string, unknown>>> } };
  return new Map(
    Object.entries(json.resource.azurerm_network_security_rule).map(([address, [r]]) => [address, { address, name: String(r!.name), priority: Number(r!.priority), direction: String(r!.direction) }]),
  );
}

/**
 * Terraform's change from `before` to `after`, applied in the worst order it may take: it orders
 * nothing between resources without dependencies, so every create and update goes first, each
 * replacement (a new name: destroy, then create) next, the destroys last. Each step is checked
 * against the NSG's constraints; returns the conflicts.
 */
function applyPlan(nsg: Map<string, Rule>, before: Map<string, Resource>, after: Map<string, Resource>): string[] {
  const conflicts: string[] = [];
  const put = (r: Rule) => {
    const clash = [...nsg.values()].find((x) => x.name !== r.name && x.priority === r.priority && x.direction === r.direction);
    if (clash) conflicts.push(`${r.name} at ${r.priority} ${r.direction} conflicts with ${clash.name}`);
    nsg.set(r.name, { name: r.name, priority: r.priority, direction: r.direction });
  };
  for (const [address, r] of after) if (before.get(address)?.name === r.name || !before.has(address)) put(r);
  for (const [address, r] of after) {
    const old = before.get(address);
    if (old && old.name !== r.name) {
      nsg.delete(old.name);
      put(r);
    }
  }
  for (const [address, old] of before) if (!after.has(address)) nsg.delete(old.name);
  return conflicts;
}

describe('azure terraform: run after run, in the worst order terraform may apply a change', () => {
  it('no step of any run conflicts, and the NSG ends with exactly the run\'s rules', async () => {
    const nsg = new Map<string, Rule>([['allow-https-out', { name: 'allow-https-out', priority: 102, direction: 'Outbound' }]]);
    let before = new Map<string, Resource>();
    for (const [i, args] of RUNS.entries()) {
      const after = await resources(await render(args, 'terraform'));
      expect([i, applyPlan(nsg, before, after)]).toEqual([i, []]);
      expect(byName([...nsg.values()].filter((r) => r.name.startsWith('sipwall-')))).toEqual(byName([...after.values()].map(({ name, priority, direction }) => ({ name, priority, direction }))));
      before = after;
    }
  });
});
