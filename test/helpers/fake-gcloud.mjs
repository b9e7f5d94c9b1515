#!/usr/bin/env node
// A stand-in for `gcloud compute firewall-rules …` that keeps the rules in the JSON file
// $FAKE_GCP, with gcloud's own update semantics (googlecloudsdk surface/compute/firewall_rules/
// update.py, UpdateFirewall.Modify): a list flag that is not given keeps the rule's value, one
// given empty (`--target-tags=`) clears it, one given a value replaces it; the direction cannot
// change. Only the commands sipwall's gcp.sh sends are known; anything else fails.
import { fail, vendorState } from './fake-vendor.mjs';

const { state: rules, save } = vendorState('gcloud', 'FAKE_GCP', {});
const args = process.argv.slice(2);
if (args.slice(0, 2).join(' ') !== 'compute firewall-rules') fail(2, `fake gcloud: unknown command ${args.join(' ')}`);
const [op, ...rest] = args.slice(2);
const positional = rest.filter((a) => !a.startsWith('--'));
const flags = Object.fromEntries(rest.filter((a) => a.startsWith('--')).map((a) => (a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), true])));
/** An ArgList flag: undefined when not given, [] when given empty. */
const list = (name) => (flags[name] === undefined ? undefined : String(flags[name]) === '' ? [] : String(flags[name]).split(','));
const name = positional[0];

if (op === 'list') {
  const m = /^network~\/(.*)\$ AND name~\^sipwall-$/.exec(String(flags.filter));
  if (!m || flags.format !== 'value(name)') fail(2, `fake gcloud: unknown list ${rest.join(' ')}`);
  process.stdout.write(Object.values(rules).filter((r) => r.network === m[1] && r.name.startsWith('sipwall-')).map((r) => `${r.name}\n`).join(''));
} else if (op === 'describe') {
  if (!rules[name]) fail(1, `ERROR: (gcloud.compute.firewall-rules.describe) Could not fetch resource: The resource '${name}' was not found`);
  process.stdout.write(`name: ${name}\n`);
} else if (op === 'delete') {
  if (!rules[name]) fail(1, `ERROR: not found ${name}`);
  delete rules[name];
  save();
} else if (op === 'create') {
  if (rules[name]) fail(1, `ERROR: The resource '${name}' already exists`);
  if (flags.action !== 'ALLOW' || !['INGRESS', 'EGRESS'].includes(flags.direction)) fail(1, `ERROR: bad create ${rest.join(' ')}`);
  rules[name] = { name, network: flags.network, direction: flags.direction, targetTags: list('target-tags') ?? [], rules: list('rules') ?? [], sourceRanges: list('source-ranges') ?? [], destinationRanges: list('destination-ranges') ?? [], priority: Number(flags.priority ?? 1000), description: flags.description ?? '' };
  save();
} else if (op === 'update') {
  const existing = rules[name];
  if (!existing) fail(1, `ERROR: not found ${name}`);
  if (flags.direction !== undefined || flags.network !== undefined) fail(2, 'fake gcloud: update cannot change the direction or network');
  for (const [flag, field] of [['target-tags', 'targetTags'], ['rules', 'rules'], ['source-ranges', 'sourceRanges'], ['destination-ranges', 'destinationRanges']]) {
    const value = list(flag);
    if (value !== undefined) existing[field] = value;
  }
  if (flags.priority !== undefined) existing.priority = Number(flags.priority);
  if (flags.description !== undefined) existing.description = flags.description;
  save();
} else fail(2, `fake gcloud: unknown operation ${op}`);
