/** `sipwall render`: providers + host → policy → one target's files. */
import { E164, UUID } from '../text/names.js';
import { PROVIDER_ID } from '../providers/id.js';
import { dirname, isAbsolute, join } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../net/errors.js';
import { cliError } from '../errors/cli.js';
import { parseAddress } from '../net/address.js';
import { formatPrefix } from '../net/cidr.js';
import { buildPolicy } from '../policy/build.js';
import { checkNotFuture, stalenessWarning } from '../providers/parse.js';
import { findBuiltinProvider } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { readInput, type Context } from './context.js';
import { loadTemplates, unusedTemplates } from './templates.js';
import { hostFor, parseFamilies, parseRtpPorts, parseSipPorts, parseSsh, parseWhole } from './options.js';
import { checkOptions, targetsWith } from '../targets/contract.js';
import { listText } from '../targets/describe.js';
import { byteLength, renamed } from '../targets/pieces.js';
import { findTarget, TARGETS } from '../targets/registry.js';
import type { Form, RenderOptions, RenderResult, Target, TargetFlag } from '../targets/types.js';
import type { Policy } from '../policy/types.js';
import { VERSION } from '../version.js';

/** Every target's declaration: the flag help, --target list and its JSON read it. */
const METAS = TARGETS.map((t) => t.meta);

export interface RenderArgs {
  provider?: string[];
  profile?: string[];
  target: string;
  pbx?: string;
  rtpPorts?: string;
  sipPorts?: string;
  direction: 'in' | 'out' | 'both';
  family: string;
  into?: string;
  intoOutput?: string;
  form?: Form;
  ipset: boolean;
  strict: boolean;
  priority?: number;
  interface?: string;
  pfsenseConfig?: string;
  pfsenseAfter?: string;
  routerosChain?: 'input' | 'forward';
  pbxAddress?: string;
  endpoint?: string;
  number?: string;
  vapiCredential?: string;
  lockAddresses: boolean;
  roomPrefix?: string;
  ssh: boolean;
  sshPort: number;
  sshFrom?: string[];
  out?: string;
  json: boolean;
  maxAge: number;
  maxProfileMib: number;
  check: boolean;
  templates?: string;
}

/**
 * The flags that say what the policy is and where it hooks in: render's, and apply's (which
 * puts the same rules on this host).
 */
export function policyOptions(y: Argv): Argv {
  return y
    .option('provider', { alias: 'p', type: 'string', array: true, describe: 'Built-in provider id (repeatable): flynumber, vapi' })
    .option('profile', { type: 'string', array: true, describe: 'Your own provider profile, YAML or JSON (repeatable); see docs/profiles.md' })
    .option('pbx', { type: 'string', describe: 'PBX preset: asterisk, freepbx (RTP 10000-20000), freeswitch (16384-32768), 3cx (9000-10999)' })
    .option('rtp-ports', { type: 'string', describe: "The PBX's RTP range, e.g. 10000-20000 (overrides --pbx)" })
    .option('sip-ports', { type: 'string', describe: 'What the PBX listens on, e.g. udp:5060,tcp:5060,tls:5061 (overrides --pbx)' })
    .option('direction', { choices: ['in', 'out', 'both'] as const, default: 'in' as const, describe: 'Filter inbound, outbound or both' })
    .option('family', { choices: ['ipv4', 'ipv6', 'dual'], default: 'dual', describe: 'Address families to write rules for' })
    .option('into', { type: 'string', describe: `Hook into your own firewall instead of a standalone one: ${intoHelp('input')}` })
    .option('into-output', { type: 'string', describe: `With --into and --direction out|both, the output chain to hook into: ${intoHelp('output')}` })
    .option('ipset', { type: 'boolean', default: false, describe: flagHelp('ipset') })
    .option('ssh', { type: 'boolean', default: true, describe: 'Standalone: keep SSH open (--no-ssh to close it)' })
    .option('ssh-port', { type: 'number', default: 22, describe: 'Standalone: SSH port kept open' })
    .option('ssh-from', { type: 'string', array: true, describe: 'Standalone: only these CIDRs may reach SSH (default: any)' })
    .option('strict', { type: 'boolean', default: false, describe: `Fail instead of widening a rule the target cannot narrow (source ports on ${targetsWith(METAS, 'sourcePorts', false)})` })
    .option('max-profile-mib', { type: 'number', default: 64, describe: 'Largest profile file read, in MiB (a regular file only)' })
    .option('max-age', { type: 'number', default: 180, describe: 'Warn when a profile was retrieved more than this many days ago' })
    .option('templates', { type: 'string', describe: 'A folder of your own NAME.hbs templates, each in place of the built-in one of that name (docs/templates.md)' });
}

export function renderOptions(y: Argv): Argv<RenderArgs> {
  return policyOptions(
    y
      .option('target', { alias: 't', type: 'string', demandOption: true, describe: 'Output format; "all" writes every firewall target, "list" prints every target with its limits' })
      .option('form', { type: 'string', describe: `Which artifact: ${formsHelp()} (default: the target's first)` }),
  )
    .option('priority', { type: 'number', describe: flagHelp('priority') })
    .option('interface', { type: 'string', describe: flagHelp('interface') })
    .option('pfsense-config', { type: 'string', describe: flagHelp('pfsenseConfig') })
    .option('routeros-chain', { choices: ['input', 'forward'] as const, describe: flagHelp('routerosChain') })
    .option('pbx-address', { type: 'string', describe: flagHelp('pbxAddress') })
    .option('endpoint', { type: 'string', describe: flagHelp('endpoint') })
    .option('number', { type: 'string', describe: flagHelp('number') })
    .option('vapi-credential', { type: 'string', describe: flagHelp('vapiCredential') })
    .option('lock-addresses', { type: 'boolean', default: false, describe: flagHelp('lockAddresses') })
    .option('room-prefix', { type: 'string', describe: flagHelp('roomPrefix') })
    .option('pfsense-after', { type: 'string', describe: flagHelp('pfsenseAfter') })
    .option('out', { alias: 'o', type: 'string', describe: 'Write the files into this folder instead of printing them' })
    .option('json', { type: 'boolean', default: false, describe: 'Print a JSON report (with file contents unless --out)' })
    .option('check', { type: 'boolean', default: false, describe: 'Run the real parser (nft -c, iptables-restore --test) on the output in a throw-away network namespace before writing' })
    .example('$0 render --provider flynumber --provider vapi --target nftables > sipwall.nft', 'standalone host firewall for FlyNumber + VAPI')
    .example('$0 render --provider flynumber --target iptables --pbx asterisk --out ./fw/', 'iptables-restore files for an Asterisk host')
    .example('$0 render -p flynumber --target nftables --into inet/filter/input --form shell', 'a script that adds one sipwall chain to your own nftables ruleset')
    .example('$0 render --profile ./my-trunk.yaml --pbx asterisk --target iptables --ipset --form shell', 'your own provider profile, large lists through ipset')
    .example('$0 render -p flynumber -p vapi --target aws --form terraform > sipwall.tf', 'AWS security group rules as Terraform')
    .example('$0 render -p flynumber --target pfsense --pfsense-config config.xml --out ./pf/', 'an exported pfSense config with the aliases and rules merged in')
    .example('$0 render -p flynumber --pbx asterisk --target routeros --routeros-chain forward --pbx-address 192.168.88.10 --family ipv4', 'a PBX behind a MikroTik: dst-nat restricted to the provider, forward accepts')
    .example('$0 render -p flynumber -p vapi --pbx asterisk --target all --out ./fw/', 'every firewall target, one folder each')
    .example('$0 render -p flynumber --pbx asterisk --target asterisk --endpoint flynumber-trunk --out ./asterisk/', "the PBX's side: pjsip identify, a named ACL, the RTP range")
    .example('$0 render -p flynumber --target nftables --templates ./my-templates/ --check', 'your own nftables.hbs layout, checked by nft -c before it is printed')
    .example('$0 render --target list', 'every target with its capabilities and limits') as unknown as Argv<RenderArgs>;
}

/** A target flag's help from the metas that declare it: `azure: …; gcp: …`, equal texts grouped. */
function flagHelp(flag: TargetFlag): string {
  const byText = new Map<string, string[]>();
  for (const m of METAS) {
    const text = m.flags?.[flag];
    if (text !== undefined) byText.set(text, [...(byText.get(text) ?? []), m.id]);
  }
  return [...byText].map(([text, ids]) => `${ids.join(', ')}: ${text}`).join('; ');
}

/** `nftables FAMILY/TABLE/CHAIN, …; iptables CHAIN …` for every target with mode `into` (meta.into). */
function intoHelp(side: 'input' | 'output'): string {
  return METAS.filter((m) => m.into !== undefined).map((m) => `${m.id} ${m.into![side]}`).join('; ');
}

/** `nftables restore|shell; ...` for every target with more than one form. */
function formsHelp(): string {
  return METAS.filter((m) => m.forms.length > 1).map((m) => `${m.id} ${m.forms.join('|')}`).join('; ');
}

export async function runRender(args: RenderArgs, ctx: Context): Promise<number> {
  if (args.target === 'list') {
    const metas = ctx.targets.map((t) => t.meta);
    ctx.io.stdout(args.json ? `${JSON.stringify(metas, null, 2)}\n` : listText(metas));
    return 0;
  }
  const { all, templates, providers, staleness, policy, rendered } = await renderPlan(args, ctx);
  if (args.check) {
    // Loaded only here: it starts processes, and nothing else needs it.
    const { checkTarget, intoSetup } = await import('../validate/checks.js');
    for (const { target, result } of rendered) {
      const failed = checkTarget(target.meta.id, result.files, intoSetup(target.meta.id, args.into, args.intoOutput)).find((c) => !c.ok);
      if (failed) {
        ctx.io.stderr(`sipwall: ${failed.command} refused the ${target.meta.id} output (nothing written): ${failed.output.split('\n')[0]}\n`);
        return 1;
      }
    }
  }
  const single = rendered[0]!;
  if (!all && args.out === undefined && single.result.files.length > 1 && !args.json) {
    const names = single.result.files.map((f) => f.name).join(', ');
    throw cliError('E_OUT_NEEDED', { target: single.target.meta.id, count: single.result.files.length, names, shell: single.target.meta.forms.includes('shell') });
  }
  const warnings = [...new Set([...staleness, ...policy.warnings, ...rendered.flatMap((r) => r.result.warnings), ...unusedTemplates(templates)])];
  // One write for the whole run (every target of --target all): all files or none.
  const paths = args.out === undefined ? [] : ctx.io.writeFiles(args.out, rendered.flatMap(({ target, result }) => result.files.map((f) => (all ? renamed(f, `${target.meta.id}/${f.name}`) : f))));
  let next = 0;
  const outputs = rendered.map(({ target, result }) => ({
    target,
    result,
    written: args.out === undefined ? [] : result.files.map(() => paths[next++]!),
  }));
  if (args.json) {
    const report = {
      sipwall: VERSION,
      ...(all ? {} : { target: single.target.meta.id }),
      providers: providers.map((p) => ({ id: p.id, name: p.name, source: p.source, retrieved: p.retrieved })),
      terms: policy.terms.length,
      subsumed: policy.subsumed.map((s) => ({ set: s.set, prefix: formatPrefix(s.prefix), by: formatPrefix(s.by) })),
      notes: policy.notes,
      warnings,
      ...(all ? { targets: outputs.map(targetReport) } : targetReport(outputs[0]!)),
    };
    ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  for (const w of warnings) ctx.note(`warning: ${w}`);
  for (const { target, result, written } of outputs) {
    for (const b of result.budget ?? []) ctx.note(`budget: ${all ? `${target.meta.id}: ` : ''}${b.what}: ${b.used} of ${b.limit}`);
    if (args.out === undefined) ctx.io.stdout(result.files[0]!.content);
    else for (const path of written) ctx.note(`wrote ${path}`);
  }
  return 0;

  function targetReport(o: (typeof outputs)[number]) {
    return {
      ...(all ? { target: o.target.meta.id } : {}),
      budget: o.result.budget ?? [],
      files: o.result.files.map((f, i) => ({ name: f.name, bytes: byteLength(f), ...(args.out === undefined ? { content: f.content } : { path: o.written[i] }) })),
    };
  }
}

/** What a render run writes, before anything is checked or written (render and apply share it). */
export async function renderPlan(args: RenderArgs, ctx: Context) {
  const all = args.target === 'all';
  // "all" is every firewall: a receiver's configuration is for the one receiving side the user has.
  const targets = all ? ctx.targets.filter((t) => t.meta.kind === 'firewall') : [findTarget(args.target, ctx.targets)];
  checkFlags(args, targets, all, ctx.targets);
  const templates = args.templates === undefined ? undefined : await loadTemplates(ctx, args.templates);
  const baseConfig = args.pfsenseConfig === undefined ? undefined : readInput(ctx, '--pfsense-config', args.pfsenseConfig, 'give the path of a config.xml exported from Diagnostics > Backup & Restore');
  const maxAge = parseWhole('--max-age', args.maxAge, 0, 36500, 180);
  const providers = await loadProviders(args, ctx);
  for (const p of providers) checkNotFuture(p, ctx.io.now(), `provider ${p.id}`);
  const staleness = providers.map((p) => stalenessWarning(p, ctx.io.now(), maxAge)).filter((w): w is string => w !== undefined);
  const policy = buildPolicy({
    providers,
    host: hostFor(args.pbx),
    ...(args.rtpPorts === undefined ? {} : { rtpPorts: parseRtpPorts(args.rtpPorts) }),
    ...(args.sipPorts === undefined ? {} : { sipPorts: parseSipPorts(args.sipPorts) }),
    direction: args.direction,
    families: parseFamilies(args.family),
    ...optional('ssh', parseSsh(args.ssh, args.sshPort, args.sshFrom)),
    ...(targets.every((t) => t.meta.media === false) ? { media: false } : {}),
  });
  const options = (target: Target): RenderOptions => ({
    mode: args.into === undefined ? 'standalone' : 'into',
    ...optional('into', args.into),
    ...optional('intoOutput', args.intoOutput),
    form: args.form ?? target.meta.forms[0]!,
    ipset: args.ipset,
    strict: args.strict,
    ...optional('priority', args.priority === undefined ? undefined : parsePriority(args.priority)),
    ...optional('interface', args.interface === undefined ? undefined : parseInterface(args.interface)),
    ...optional('baseConfig', baseConfig),
    ...optional('pfsenseAfter', args.pfsenseAfter === undefined ? undefined : parseTracker(args.pfsenseAfter)),
    ...optional('routerosChain', args.routerosChain),
    ...optional('pbxAddresses', args.pbxAddress === undefined ? undefined : parsePbxAddresses(args.pbxAddress)),
    ...optional('endpoints', args.endpoint === undefined ? undefined : parseEndpoints(args.endpoint)),
    ...optional('numbers', args.number === undefined ? undefined : parseNumbers(args.number)),
    ...optional('vapiCredential', args.vapiCredential === undefined ? undefined : parseWord(args.vapiCredential, UUID, () => cliError('E_VAPI_CREDENTIAL', { value: args.vapiCredential!.slice(0, 60) }))),
    lockAddresses: args.lockAddresses,
    ...optional('roomPrefix', args.roomPrefix === undefined ? undefined : parseWord(args.roomPrefix, ROOM_PREFIX, () => cliError('E_ROOM_PREFIX', { value: args.roomPrefix!.slice(0, 60) }))),
    ...optional('templates', templates),
    header: { version: VERSION, command: ctx.command },
  });
  // Every target renders before anything is written: one refusal writes nothing at all.
  const rendered = renderAll(targets, policy, options);
  return { all, templates, providers, staleness, policy, rendered };
}

const TARGET_FLAGS: readonly TargetFlag[] = ['priority', 'interface', 'pfsenseConfig', 'pfsenseAfter', 'ipset', 'routerosChain', 'pbxAddress', 'endpoint', 'number', 'vapiCredential', 'lockAddresses', 'roomPrefix'];

/** Flag combinations that cannot work, refused before any profile is read. */
function checkFlags(args: RenderArgs, targets: readonly Target[], all: boolean, registry: readonly Target[]): void {
  if (all) {
    if (args.out === undefined) throw cliError('E_ALL_NEEDS_OUT', {});
    for (const flag of ['form', 'into', 'ipset', 'pfsenseConfig', 'pfsenseAfter'] as const) {
      if (args[flag] !== undefined && args[flag] !== false) {
        const name = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        throw cliError('E_FLAG_NOT_FOR_ALL', { flag: name });
      }
    }
  }
  for (const { meta } of targets) {
    checkOptions(meta, { form: args.form ?? meta.forms[0]!, mode: args.into === undefined ? 'standalone' : 'into' });
    // A flag only some targets read is refused elsewhere, never ignored (meta.flags).
    for (const flag of TARGET_FLAGS) {
      if (args[flag] === undefined || args[flag] === false || meta.flags?.[flag] !== undefined) continue;
      const name = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      const users = registry.filter((t) => t.meta.flags?.[flag] !== undefined).map((t) => t.meta.id);
      throw cliError('E_FLAG_OTHER_TARGET', { flag: name, users, target: meta.id });
    }
  }
  if (args.pbxAddress !== undefined && args.routerosChain !== 'forward') {
    throw cliError('E_PBX_ADDRESS_CHAIN', {});
  }
  if (args.pfsenseAfter !== undefined && args.pfsenseConfig === undefined) {
    throw cliError('E_PFSENSE_AFTER_CONFIG', {});
  }
  if (args.intoOutput !== undefined && args.into === undefined) {
    throw cliError('E_INTO_OUTPUT_ALONE', {});
  }
  if (args.sshFrom !== undefined && args.into !== undefined) {
    throw cliError('E_SSH_FROM_INTO', {});
  }
  if (args.intoOutput !== undefined && args.direction === 'in') {
    throw cliError('E_INTO_OUTPUT_INBOUND', {});
  }
}

/** Renders every target; refusals are collected so that --target all names each one. */
function renderAll(targets: readonly Target[], policy: Policy, options: (t: Target) => RenderOptions) {
  const out: Array<{ target: Target; result: RenderResult }> = [];
  const refused: Array<{ id: string; error: InputError }> = [];
  for (const target of targets) {
    try {
      out.push({ target, result: target.render(policy, options(target)) });
    } catch (error) {
      if (!(error instanceof InputError) || targets.length === 1) throw error;
      refused.push({ id: target.meta.id, error });
    }
  }
  if (refused.length > 0) {
    const { error } = refused[0]!;
    const names = refused.map((r) => r.id).join(', ');
    throw cliError('E_TARGETS_REFUSED', { input: error.input, names, problem: error.problem, fix: error.fix });
  }
  return out;
}

function parsePriority(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw cliError('E_PRIORITY', { value: String(value) });
  }
  return value;
}

/** `--pbx-address 192.168.88.10,2001:db8::10`: at most one address per family. */
function parsePbxAddresses(value: string): Partial<Record<4 | 6, string>> {
  const out: Partial<Record<4 | 6, string>> = {};
  for (const word of value.split(',').map((w) => w.trim())) {
    const address = parseAddress(word);
    if (!address) throw cliError('E_PBX_ADDRESS_SYNTAX', { word });
    if (out[address.family] !== undefined) throw cliError('E_PBX_ADDRESS_TWICE', { family: address.family });
    out[address.family] = address.text;
  }
  return out;
}

/** A pjsip object name: no `]`, `;`, `=`, `,` or space can end the section or the value it sits in. */
const ENDPOINT = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;

/** `--endpoint NAME` (every provider) or `--endpoint flynumber=trunk1,vapi=trunk2`; `*` keys the first. */
function parseEndpoints(value: string): Map<string, string> {
  if (ENDPOINT.test(value)) return new Map([['*', value]]);
  const out = new Map<string, string>();
  for (const pair of value.split(',')) {
    const [provider, name, extra] = pair.trim().split('=');
    if (provider === undefined || name === undefined || extra !== undefined || !PROVIDER_ID.test(provider) || !ENDPOINT.test(name) || out.has(provider)) {
      throw cliError('E_ENDPOINT', { value: value.slice(0, 60) });
    }
    out.set(provider, name);
  }
  return out;
}

/** `+13025551234,+13025551235`: numbers in E.164 (ITU-T E.164: + and at most 15 digits, no leading 0). */
function parseNumbers(value: string): string[] {
  const numbers = value.split(',').map((n) => n.trim());
  const bad = numbers.find((n) => !E164.test(n));
  if (bad !== undefined) throw cliError('E_NUMBER', { value: bad.slice(0, 30) });
  return [...new Set(numbers)];
}

/** A LiveKit room name's start: words only, so nothing of it needs quoting anywhere. */
const ROOM_PREFIX = /^[A-Za-z0-9_.-]{1,32}$/;

function parseWord(value: string, pattern: RegExp, refusal: () => Error): string {
  if (!pattern.test(value)) throw refusal();
  return value;
}

function parseTracker(value: string): string {
  if (!/^\d{1,20}$/.test(value)) throw cliError('E_TRACKER', { value });
  return value;
}

function parseInterface(value: string): string {
  if (!/^[a-z][a-z0-9_]{0,15}$/.test(value)) {
    throw cliError('E_INTERFACE', { value });
  }
  return value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The providers `--provider` and `--profile` name (shared by render and diagnose). */
export async function loadProviders(args: Pick<RenderArgs, 'provider' | 'profile' | 'maxProfileMib'>, ctx: Context): Promise<Provider[]> {
  const builtins = (args.provider ?? []).flatMap((p) => p.split(',')).map((id) => findBuiltinProvider(id.trim()));
  const limit = parseWhole('--max-profile-mib', args.maxProfileMib, 1, 4096, 256) * 1024 * 1024;
  const raise = `raise the limit with --max-profile-mib ${Math.max(args.maxProfileMib * 4, 256)}`;
  const read = (file: string) => readInput(ctx, '--profile', file, 'give the path of a YAML or JSON profile (a regular file)', limit, raise);
  // A list file the profile names: relative to the profile's folder, under the same size limit.
  const list = (profile: string) => (name: string, where: string) => readInput(ctx, `${where}:`, isAbsolute(name) ? name : join(dirname(profile), name), 'give the path of an address list (a regular file), relative to the profile', limit, raise);
  const files: Provider[] = [];
  // One after the other: the first profile that fails is the one named.
  for (const file of args.profile ?? []) files.push(await ctx.parseProfile(read(file), file, list(file)));
  return [...builtins, ...files];
}
