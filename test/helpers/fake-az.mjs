#!/usr/bin/env node
// A stand-in for `az network nsg rule …` that keeps one NSG in the JSON file $FAKE_NSG and
// enforces what Azure enforces on its rules (issue 17.1): a priority from 100 to 4096, unique
// among the rules of one direction (SecurityRuleConflict otherwise; Azure's own default rules
// share 65000 between AllowVnetInBound and AllowVnetOutBound, so the check is per direction); a
// name unique in the NSG (a create of an existing name updates it, as the PUT behind `az network
// nsg rule create` does); a name of at most 80 and a description of at most 140 characters.
// Only the commands and queries that sipwall's azure.sh sends are known; anything else fails.
import { appendFileSync } from 'node:fs';
import { fail, vendorState } from './fake-vendor.mjs';

const { file, state, save } = vendorState('az', 'FAKE_NSG', { rules: [] });
const args = process.argv.slice(2);
if (args.slice(0, 3).join(' ') !== 'network nsg rule') fail(2, `fake az: unknown command ${args.join(' ')}`);
const op = args[3];
/** Flag values: a flag takes the words up to the next flag. */
const flags = {};
for (let i = 4; i < args.length; i++) {
  const flag = args[i];
  if (!flag.startsWith('-')) fail(2, `fake az: stray word ${flag}`);
  const values = [];
  while (i + 1 < args.length && !/^--?[a-z]/.test(args[i + 1])) values.push(args[++i]);
  flags[flag] = values;
}
const one = (flag) => flags[flag]?.[0];
appendFileSync(`${file}.log`, `${op} ${one('-n') ?? ''} ${one('--priority') ?? ''}\n`);

if (op === 'list') {
  const query = one('--query');
  if (query === "[?starts_with(name, 'sipwall-')].name") {
    process.stdout.write(state.rules.filter((r) => r.name.startsWith('sipwall-')).map((r) => `${r.name}\n`).join(''));
  } else if (query === "[?!starts_with(name, 'sipwall-')].[name, priority, direction]") {
    process.stdout.write(state.rules.filter((r) => !r.name.startsWith('sipwall-')).map((r) => `${r.name}\t${r.priority}\t${r.direction}\n`).join(''));
  } else fail(2, `fake az: unknown query ${query}`);
  process.exit(0);
}
const name = one('-n');
if (!name) fail(2, 'fake az: no -n');
if (op === 'delete') {
  state.rules = state.rules.filter((r) => r.name !== name);
} else if (op === 'create') {
  const priority = Number(one('--priority'));
  const direction = one('--direction');
  const description = one('--description') ?? '';
  if (!Number.isInteger(priority) || priority < 100 || priority > 4096) fail(1, `(SecurityRulePriorityOutOfRange) ${priority}`);
  if (!['Inbound', 'Outbound'].includes(direction)) fail(1, `(InvalidDirection) ${direction}`);
  if (name.length > 80) fail(1, `(InvalidResourceName) ${name}`);
  if (description.length > 140) fail(1, `(SecurityRuleDescriptionTooLong) ${name}`);
  const clash = state.rules.find((r) => r.name !== name && r.priority === priority && r.direction === direction);
  if (clash) fail(1, `(SecurityRuleConflict) Security rule ${name} conflicts with rule ${clash.name}. Rules cannot have the same Priority and Direction.`);
  const rule = { name, priority, direction, access: one('--access'), protocol: one('--protocol'), sources: flags['--source-address-prefixes'], sourcePorts: flags['--source-port-ranges'], destinations: flags['--destination-address-prefixes'], destinationPorts: flags['--destination-port-ranges'], description };
  state.rules = [...state.rules.filter((r) => r.name !== name), rule];
} else fail(2, `fake az: unknown operation ${op}`);
save();
