/** `sipwall render`: providers + host → policy → one target's files. */
import type { Argv } from 'yargs';
import { InputError } from '../net/errors.js';
import { formatPrefix } from '../net/cidr.js';
import { buildPolicy } from '../policy/build.js';
import { stalenessWarning } from '../providers/parse.js';
import { findBuiltinProvider } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import type { Context } from './context.js';
import { hostFor, parseFamilies, parseRtpPorts, parseSipPorts, parseSsh } from './options.js';
import { findTarget, TARGETS } from '../targets/registry.js';
import { shellWord } from '../targets/quote.js';
import type { Form } from '../targets/types.js';
import { VERSION } from '../version.js';

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
  form: Form;
  ipset: boolean;
  ssh: boolean;
  sshPort: number;
  sshFrom?: string[];
  out?: string;
  json: boolean;
  maxAge: number;
  check: boolean;
}

export function renderOptions(y: Argv): Argv<RenderArgs> {
  return y
    .option('provider', { alias: 'p', type: 'string', array: true, describe: 'Built-in provider id (repeatable): flynumber, vapi' })
    .option('profile', { type: 'string', array: true, describe: 'Your own provider profile, YAML or JSON (repeatable); see docs/profiles.md' })
    .option('target', { alias: 't', type: 'string', demandOption: true, describe: 'Output format; "list" prints every target with its limits' })
    .option('pbx', { type: 'string', describe: 'PBX preset: asterisk, freepbx (RTP 10000-20000), freeswitch (16384-32768), 3cx (9000-10999)' })
    .option('rtp-ports', { type: 'string', describe: "The PBX's RTP range, e.g. 10000-20000 (overrides --pbx)" })
    .option('sip-ports', { type: 'string', describe: 'What the PBX listens on, e.g. udp:5060,tcp:5060,tls:5061 (overrides --pbx)' })
    .option('direction', { choices: ['in', 'out', 'both'] as const, default: 'in' as const, describe: 'Filter inbound, outbound or both' })
    .option('family', { choices: ['ipv4', 'ipv6', 'dual'], default: 'dual', describe: 'Address families to write rules for' })
    .option('into', { type: 'string', describe: 'Hook into your own firewall instead of a standalone one: nftables FAMILY/TABLE/CHAIN (inet/filter/input), iptables CHAIN (INPUT)' })
    .option('into-output', { type: 'string', describe: 'With --into and --direction out|both: the output chain to hook into (nftables FAMILY/TABLE/CHAIN; iptables default OUTPUT)' })
    .option('form', { choices: ['restore', 'shell'] as const, default: 'restore' as const, describe: 'restore: file for nft -f / iptables-restore; shell: one re-runnable script' })
    .option('ipset', { type: 'boolean', default: false, describe: 'iptables: match address lists through ipset sets' })
    .option('ssh', { type: 'boolean', default: true, describe: 'Standalone: keep SSH open (--no-ssh to close it)' })
    .option('ssh-port', { type: 'number', default: 22, describe: 'Standalone: SSH port kept open' })
    .option('ssh-from', { type: 'string', array: true, describe: 'Standalone: only these CIDRs may reach SSH (default: any)' })
    .option('out', { alias: 'o', type: 'string', describe: 'Write the files into this folder instead of printing them' })
    .option('json', { type: 'boolean', default: false, describe: 'Print a JSON report (with file contents unless --out)' })
    .option('max-age', { type: 'number', default: 180, describe: 'Warn when a profile was retrieved more than this many days ago' })
    .option('check', { type: 'boolean', default: false, describe: 'Run the real parser (nft -c, iptables-restore --test) on the output in a throw-away network namespace before writing' })
    .example('$0 render --provider flynumber --provider vapi --target nftables > sipwall.nft', 'standalone host firewall for FlyNumber + VAPI')
    .example('$0 render --provider flynumber --target iptables --pbx asterisk --out ./fw/', 'iptables-restore files for an Asterisk host')
    .example('$0 render -p flynumber --target nftables --into inet/filter/input --form shell', 'a script that adds one sipwall chain to your own nftables ruleset')
    .example('$0 render --profile ./my-trunk.yaml --target iptables --ipset --form shell', 'your own provider profile, large lists through ipset')
    .example('$0 render --target list', 'every target with its capabilities and limits') as unknown as Argv<RenderArgs>;
}

export async function runRender(args: RenderArgs, ctx: Context): Promise<number> {
  if (args.target === 'list') {
    ctx.io.stdout(args.json ? `${JSON.stringify(TARGETS.map((t) => t.meta), null, 2)}\n` : targetTable());
    return 0;
  }
  const target = findTarget(args.target);
  if (args.ipset && target.meta.id !== 'iptables') {
    throw new InputError('--ipset', `target ${target.meta.id} has no ipset option`, 'drop --ipset (nftables sets are built in)');
  }
  if (args.intoOutput !== undefined && args.into === undefined) {
    throw new InputError('--into-output', 'needs --into', 'add --into too, or drop --into-output');
  }
  if (args.sshFrom !== undefined && args.into !== undefined) {
    throw new InputError('--ssh-from', 'applies to a standalone firewall only; with --into your own ruleset decides SSH', 'drop --ssh-from');
  }
  if (args.intoOutput !== undefined && args.direction === 'in') {
    throw new InputError('--into-output', 'has no rules to hold with --direction in', 'add --direction out or both, or drop --into-output');
  }
  const providers = loadProviders(args, ctx);
  const staleness = providers.map((p) => stalenessWarning(p, ctx.io.now(), args.maxAge)).filter((w): w is string => w !== undefined);
  const policy = buildPolicy({
    providers,
    host: hostFor(args.pbx),
    ...(args.rtpPorts === undefined ? {} : { rtpPorts: parseRtpPorts(args.rtpPorts) }),
    ...(args.sipPorts === undefined ? {} : { sipPorts: parseSipPorts(args.sipPorts) }),
    direction: args.direction,
    families: parseFamilies(args.family),
    ...optional('ssh', parseSsh(args.ssh, args.sshPort, args.sshFrom)),
  });
  const result = target.render(policy, {
    mode: args.into === undefined ? 'standalone' : 'into',
    ...optional('into', args.into),
    ...optional('intoOutput', args.intoOutput),
    form: args.form,
    ipset: args.ipset,
    header: { version: VERSION, command: ctx.command },
  });
  if (args.check) {
    // Loaded only here: it starts processes, and nothing else needs it.
    const { checkTarget, intoSetup } = await import('../validate/checks.js');
    const failed = checkTarget(target.meta.id, result.files, intoSetup(target.meta.id, args.into, args.intoOutput)).find((c) => !c.ok);
    if (failed) {
      ctx.io.stderr(`sipwall: ${failed.command} refused the output (nothing written): ${failed.output.split('\n')[0]}\n`);
      return 1;
    }
  }
  const warnings = [...staleness, ...policy.warnings, ...result.warnings];
  if (args.out === undefined && result.files.length > 1 && !args.json) {
    const names = result.files.map((f) => f.name).join(', ');
    throw new InputError('--out', `${target.meta.id} writes ${result.files.length} files (${names})`, 'give a folder with --out DIR, or --form shell for one script');
  }
  const written = args.out === undefined ? [] : ctx.io.writeFiles(args.out, result.files);
  if (args.json) {
    ctx.io.stdout(
      `${JSON.stringify(
        {
          sipwall: VERSION,
          target: target.meta.id,
          providers: providers.map((p) => ({ id: p.id, name: p.name, source: p.source, retrieved: p.retrieved })),
          terms: policy.terms.length,
          subsumed: policy.subsumed.map((s) => ({ set: s.set, prefix: formatPrefix(s.prefix), by: formatPrefix(s.by) })),
          notes: policy.notes,
          warnings,
          files: result.files.map((f, i) => ({ name: f.name, bytes: Buffer.byteLength(f.content), ...(args.out === undefined ? { content: f.content } : { path: written[i] }) })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    for (const w of warnings) ctx.io.stderr(`sipwall: warning: ${w}\n`);
    if (args.out === undefined) ctx.io.stdout(result.files[0]!.content);
    else for (const path of written) ctx.io.stderr(`sipwall: wrote ${path}\n`);
  }
  return 0;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function loadProviders(args: RenderArgs, ctx: Context): Provider[] {
  const builtins = (args.provider ?? []).flatMap((p) => p.split(',')).map((id) => findBuiltinProvider(id.trim()));
  const files = (args.profile ?? []).map((file) => {
    let text: string;
    try {
      text = ctx.io.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new InputError(`--profile ${shellWord(file)}`, `cannot be read (${code})`, 'give the path of a YAML or JSON profile');
    }
    return ctx.parseProfile(text, file);
  });
  return [...builtins, ...files];
}

function targetTable(): string {
  const rows = TARGETS.map((t) => {
    const m = t.meta;
    const limits = [m.limits.portsPerRule ? `${m.limits.portsPerRule} ports/rule (range = 2)` : 'no port limit', `comment ≤ ${m.limits.commentBytes} bytes`];
    return [
      `${m.id}: ${m.title}`,
      `  forms: ${m.forms.join(', ')}; modes: ${m.modes.join(', ')}; port ranges written a${m.rangeSeparator}b`,
      `  can: ${Object.entries(m.capabilities).filter(([, v]) => v).map(([k]) => k).join(', ')}`,
      `  limits: ${limits.join(', ')}`,
      `  checked by: ${m.validators.join(', ')}`,
    ].join('\n');
  });
  return `${rows.join('\n\n')}\n`;
}
