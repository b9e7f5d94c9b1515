/**
 * `sipwall lint`: the forwardings from the flags or a YAML file (docs/lint.md), the facts the
 * rules need (DNS with --resolve, the rendered RTP range with --rules), the findings printed.
 * Exit code 1 when any finding is an error, 0 otherwise (2: bad input).
 */
import { z } from 'zod';
import { commandError } from '../errors/commands.js';
import { lint, NETWORKS, PLATFORMS, type Facts, type Finding, type Forwarding, type LintTransport, type Platform } from '../lint/rules.js';
import { parsePortList, type PortRange } from '../net/ports.js';
import { findPbxPreset } from '../providers/registry.js';
import { resolverOf } from '../probe/resolve.js';
import { readStructured } from '../text/structured.js';
import { terminalText } from '../text/escape.js';
import { shellWord } from '../text/shell-word.js';
import { readInput, type Context } from './context.js';
import type { LintArgs } from './lint.js';

const forwardingSchema = z.strictObject({
  name: z.string().min(1).max(60).optional(),
  platform: z.enum(PLATFORMS).optional(),
  username: z.string().max(100).optional(),
  domain: z.string().min(1).max(300),
  port: z.number().int().min(1).max(65535).default(5060),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  network: z.enum(NETWORKS).default('ipv4-only'),
});
const fileSchema = z.strictObject({ forwardings: z.array(forwardingSchema).min(1).max(1000) });
const FIELDS = ['forwardings', 'name', 'platform', 'username', 'domain', 'port', 'transport', 'network'];

function forwardings(args: LintArgs, ctx: Context): Forwarding[] {
  if (args.config !== undefined) {
    if (args.domain !== undefined) throw commandError('E_LINT_BOTH', {});
    const text = readInput(ctx, '--config', args.config, 'name a YAML file of forwardings (docs/lint.md)', 4 << 20);
    const data = readStructured(text, `lint config ${shellWord(args.config)}`, fileSchema, 'docs/lint.md', FIELDS);
    return data.forwardings.map((f, i) => ({ ...f, name: f.name ?? `forwarding ${i + 1}` }) as Forwarding);
  }
  if (args.domain === undefined) throw commandError('E_LINT_NOTHING', {});
  const forwarding: Forwarding = { name: 'the forwarding', domain: args.domain, port: args.port, transport: args.transport as LintTransport, network: args.network as Forwarding['network'] };
  return [{ ...forwarding, ...(args.platform ? { platform: args.platform as Platform } : {}), ...(args.username !== undefined ? { username: args.username } : {}) }];
}

/** The RTP ranges a sipwall output opens, from its header line `Host: …; RTP 10000-20000`. */
function renderedRtp(text: string, file: string): PortRange[] {
  const m = /^\W{0,4}Host: .*; RTP ([0-9,-]+|none)\s*$/m.exec(text);
  if (!m) throw commandError('E_LINT_RULES', { file: shellWord(file) });
  return m[1] === 'none' ? [] : parsePortList(m[1]!, `--rules ${shellWord(file)}`);
}

async function hasAaaa(domain: string, servers: readonly string[] | undefined): Promise<boolean> {
  try {
    return (await resolverOf({ timeoutMs: 3000, ...(servers ? { servers } : {}) }).resolve6(domain.replace(/\.$/, ''))).length > 0;
  } catch {
    return false;
  }
}

export async function runLint(args: LintArgs, ctx: Context): Promise<number> {
  const list = forwardings(args, ctx);
  const preset = args.pbx === undefined ? undefined : findPbxPreset(args.pbx);
  const rendered = args.rules === undefined ? undefined : renderedRtp(readInput(ctx, '--rules', args.rules, 'name a file sipwall render wrote'), args.rules);
  if ((preset === undefined) !== (rendered === undefined)) throw commandError('E_LINT_RTP_PAIR', {});
  const findings: Finding[] = [];
  for (const f of list) {
    const facts: Facts = {
      ...(args.resolve && f.network === 'ipv6-only' ? { aaaa: await hasAaaa(f.domain, args.dnsServer) } : {}),
      ...(preset && rendered ? { pbxRtp: { preset: args.pbx!, range: preset.rtp ?? [] }, renderedRtp: rendered } : {}),
    };
    findings.push(...lint(f, facts));
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (args.json) {
    ctx.io.stdout(`${JSON.stringify({ forwardings: list.length, errors, warnings: findings.length - errors, findings }, null, 2)}\n`);
  } else {
    for (const f of findings) ctx.io.stdout(`${f.severity}: ${terminalText(f.forwarding)}: ${terminalText(f.reason)}\n  fix: ${terminalText(f.fix)} [${f.code}]\n`);
    ctx.io.stdout(`${list.length} forwarding${list.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}
