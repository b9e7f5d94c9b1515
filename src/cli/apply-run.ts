/**
 * `sipwall apply`: render → the real parser → a rehearsal on a copy of this host's ruleset (the
 * diagnose replay, with the new rules applied to the copy: every provider flow must pass, the
 * SSH session and --keep ports too) → the watchdog → apply → the same check on the live rules →
 * a typed confirmation, or the saved rules back. `sipwall remove`: the record's undo.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { commandError } from '../errors/commands.js';
import { accessFlows, parseKeep, sshSession } from '../apply/keep.js';
import { droppingChains, managersOf } from '../apply/detect.js';
import { lock, openWindow, readScope, RECORD, sh } from '../apply/host.js';
import { parseRecord, policiesOf, removeScript, type AppliedRecord } from '../apply/record.js';
import { normalize, parseSnapshot, revertScript, scopeOf, snapshotScript, wiped, type Scope, type Snapshot } from '../apply/scope.js';
import { flowSummary, intoOf } from '../diagnose/firewall.js';
import { flowsOf, type Flow } from '../diagnose/flows.js';
import { defaultInterface, hostRuleset, interfaceAddresses } from '../diagnose/host.js';
import { cannotReplay, replay, type FlowVerdict } from '../diagnose/replay.js';
import { parseDuration } from '../text/duration.js';
import { VERSION } from '../version.js';
import type { Context } from './context.js';
import type { ApplyArgs, RemoveArgs } from './apply.js';
import { readBounded } from './read.js';
import { replaceFile } from './write.js';
import { renderPlan } from './render.js';

const NFT_FILE = '/etc/nftables.d/sipwall.nft';
const NFT_CONF = '/etc/nftables.conf';
const IPT_FILES = { 4: '/etc/iptables/rules.v4', 6: '/etc/iptables/rules.v6' } as const;
/** Seconds the watchdog allows for applying and the check on the live rules, before the window. */
const APPLY_BUDGET = 600;
/** A record holds one rendered script: a 100,000-prefix ipset script is about 4 MB. */
const RECORD_BYTES = 64 << 20;

/** The last two lines of a tool's output, on one line: what a refusal quotes of it. */
const lastLines = (output: string) => output.trim().split('\n').slice(-2).join(' / ');

function cannotApply(command: 'apply' | 'remove'): void {
  const why = cannotReplay(command);
  if (why !== undefined) throw commandError('E_APPLY_CANNOT', { command, why });
}

export async function runApply(args: ApplyArgs, ctx: Context): Promise<number> {
  const confirm = parseDuration(args.confirm, '--confirm');
  if (confirm < 10_000 || confirm > 3_600_000) throw commandError('E_APPLY_CONFIRM', { value: args.confirm.slice(0, 20) });
  const session = sshSession(ctx.io.env.SSH_CONNECTION);
  const access = [...(session ? [session] : []), ...parseKeep(args.keep ?? [])];
  const plan = await renderPlan({ ...args, form: 'shell', json: false, check: false, lockAddresses: false }, ctx);
  cannotApply('apply');
  const { policy, rendered } = plan;
  const { target, result } = rendered[0]!;
  for (const w of [...new Set([...plan.staleness, ...policy.warnings, ...result.warnings])]) ctx.note(`warning: ${w}`);
  const script = result.files[0]!.content;
  const { checkTarget, intoSetup } = await import('../validate/checks.js');
  const checks = checkTarget(target.meta.id, result.files, intoSetup(target.meta.id, args.into, args.intoOutput));
  const refused = checks.find((c) => !c.ok);
  if (refused) throw commandError('E_APPLY_PARSER', { command: refused.command, output: refused.output.split('\n')[0]!.slice(0, 300) });
  ctx.note(`checked: ${checks.map((c) => c.command).join(', ')}`);

  const scope = scopeOf(args.target, script, [args.into, args.intoOutput]);
  const release = args.dryRun ? () => undefined : lock();
  try {
    const live = hostRuleset();
    const before = readScope(scope);
    if (args.into === undefined && !args.force) {
      const other = managersOf(live)[0] ?? (args.target === 'nftables' ? droppingChains(live)[0] : undefined);
      if (other) throw commandError('E_APPLY_MANAGER', { name: other.name, evidence: other.evidence, instead: other.instead });
    }
    const iface = defaultInterface() ?? 'eth0';
    const own = interfaceAddresses(iface);
    const addresses = { 4: own[4] ?? '192.0.2.10', 6: own[6] ?? '2001:db8::10' };
    const providerFlows = flowsOf(policy);
    const flows = [...providerFlows, ...accessFlows(access, policy.families, providerFlows.length)];
    const rehearsal = replay({ ruleset: live, iface, addresses, apply: script, read: snapshotScript(scope) }, flows);
    if (!rehearsal.ok) throw commandError('E_APPLY_REHEARSAL', { why: rehearsal.why.slice(0, 400) });
    const after = parseSnapshot(rehearsal.read);
    judge(rehearsal.verdicts, args);
    const lost = wiped(before, after);
    if (lost.length > 0 && !args.force) throw commandError('E_APPLY_WIPES', { count: lost.length, first: lost[0]!.slice(0, 200) });
    ctx.note(`rehearsed on a copy of this host's rules (${iface}): ${flowSummary(rehearsal.verdicts)}`);

    const was = normalize(before);
    const will = normalize(after);
    if (args.dryRun) {
      ctx.io.stdout(was === will ? 'No change: the live rules are already these.\n' : createTwoFilesPatch('live', 'after apply', was, will, '', '', { context: 3 }));
      return 0;
    }
    if (was === will) {
      ctx.io.stdout('No change: the live rules are already these (counters kept).\n');
      if (args.persist) persist(args.target, script, args.into, args.intoOutput, ctx);
      return 0;
    }
    return await applyAndConfirm({ args, ctx, script, scope, before, after, flows, iface, addresses, confirm });
  } finally {
    release();
  }
}

interface Applying {
  args: ApplyArgs;
  ctx: Context;
  script: string;
  scope: Scope;
  before: Snapshot;
  after: Snapshot;
  flows: Flow[];
  iface: string;
  addresses: { 4: string; 6: string };
  confirm: number;
}

async function applyAndConfirm(a: Applying): Promise<number> {
  const { args, ctx } = a;
  const window = openWindow(revertScript(a.scope, a.before, a.after), APPLY_BUDGET);
  const restore = (why: string): number => {
    const r = window.revert();
    if (r.ran) ctx.io.stderr(r.ok ? `sipwall: ${why}: the previous rules are restored.\n` : `sipwall: ${why}; restoring the previous rules failed (${window.dir}/revert.log): ${lastLines(r.output)}\n`);
    else ctx.io.stderr(`sipwall: ${why}; the watchdog has restored the previous rules (${window.dir}/revert.log).\n`);
    return 1;
  };
  // Ctrl-C, SIGTERM or a hang-up end the wait at once, then the reading of stdin, which would
  // otherwise keep the process alive until the window closed (first: the race takes the stop).
  const reading = new AbortController();
  let stop: ((why: string) => void) | undefined;
  const stopped = new Promise<{ stop: string }>((resolve) => (stop = (why) => (resolve({ stop: why }), reading.abort())));
  ctx.io.onStop(() => stop!('interrupted'));
  ctx.io.onReload(() => stop!('the terminal hung up'));

  const applied = sh(a.script, ['--force']);
  if (!applied.ok) return restore(`the rules did not apply: ${lastLines(applied.output).slice(0, 300)}`);
  const post = replay({ ruleset: hostRuleset(), iface: a.iface, addresses: a.addresses }, a.flows);
  if (!post.ok) return restore(`the live rules cannot be checked: ${post.why}`);
  try {
    judge(post.verdicts, { allowLockout: args.allowLockout });
  } catch (error) {
    return restore(`the live rules failed the check: ${(error as Error).message}`);
  }
  ctx.note(`applied; the live rules pass: ${flowSummary(post.verdicts)}`);
  const seconds = Math.round(a.confirm / 1000);
  if (!args.yes) {
    window.setDeadline(seconds + 5);
    ctx.io.stderr(`sipwall: type yes and Enter within ${seconds} s to keep these rules; anything else, no answer or a lost terminal restores the previous ones.\n`);
    const answer = await Promise.race([ctx.io.readLine?.(a.confirm, reading.signal) ?? Promise.resolve(undefined), stopped]);
    if (typeof answer === 'object') return restore(answer.stop);
    if (answer?.trim() !== 'yes') return restore(answer === undefined ? `no confirmation within ${seconds} s (no answer, or stdin closed)` : 'not confirmed');
  }
  if (!window.keep()) return restore('too late');
  record(a);
  if (args.persist) persist(args.target, a.script, args.into, args.intoOutput, ctx);
  rmSync(window.dir, { recursive: true, force: true });
  ctx.io.stdout(`Kept: ${a.scope.tables.length > 0 ? `nftables ${a.scope.tables.join(', ')}` : `the iptables and ip6tables filter tables${a.scope.ipsets.length > 0 ? ` and ipsets ${a.scope.ipsets.join(', ')}` : ''}`}. sipwall remove takes them out.\n`);
  return 0;
}

/** Refuses when a provider flow would be blocked, or management access closed. */
function judge(verdicts: readonly FlowVerdict[], args: Pick<ApplyArgs, 'allowLockout'>): void {
  const refused = (v: FlowVerdict) => v.flow.expect === 'accept' && v.decision?.verdict !== 'accept';
  const closed = verdicts.filter((v) => v.flow.role === 'management' && refused(v));
  if (closed.length > 0 && !args.allowLockout) {
    const v = closed[0]!;
    throw commandError('E_APPLY_LOCKOUT', { what: `${v.flow.provider}: ${v.flow.protocol}/${v.flow.destinationPort}`, rule: v.rule ?? 'a rule the trace did not name' });
  }
  const blocked = verdicts.filter((v) => v.flow.role !== 'management' && refused(v));
  if (blocked.length > 0) {
    const v = blocked[0]!;
    const by = v.decision?.by;
    const { target, into } = intoOf(v);
    const instead = by && !(by.family === 'inet' && by.table === 'sipwall') ? `hook into that firewall: --target ${target} --into ${into}` : 'check the profile and --sip-ports/--rtp-ports; sudo sipwall diagnose firewall shows each flow';
    throw commandError('E_APPLY_OPENS_NOTHING', { count: blocked.length, what: v.flow.label.slice(0, 120), rule: v.rule ?? 'a rule the trace did not name', instead });
  }
}

function record(a: Applying): void {
  const r: AppliedRecord = {
    sipwall: VERSION,
    applied: new Date().toISOString(),
    command: a.ctx.command,
    target: a.args.target,
    into: [a.args.into, a.args.intoOutput].filter((x): x is string => x !== undefined),
    tables: a.scope.tables,
    ipsets: a.scope.ipsets,
    script: a.script,
    policies: a.args.into === undefined && a.args.target === 'iptables' ? policiesOf(a.before) : {},
    ...(a.args.target === 'iptables' ? { created: (['4', '6'] as const).filter((v) => !(v in a.before.filter)) } : {}),
    persisted: a.args.persist ? persistedFiles(a.args.target) : [],
    ...(a.args.persist && a.args.target === 'nftables' ? { include: NFT_CONF } : {}),
  };
  replaceFile(RECORD, `${JSON.stringify(r, null, 2)}\n`, 0o600);
}

function persistedFiles(target: 'nftables' | 'iptables'): string[] {
  return target === 'nftables' ? [NFT_FILE] : [IPT_FILES[4], IPT_FILES[6]];
}

const INCLUDE = `include "${NFT_FILE}"`;
const INCLUDE_NOTE = '# sipwall apply --persist; sipwall remove takes these two lines out';

/** The nft text of the shell script, with the jump the script adds only when it is missing. */
function persistedNft(script: string, into: readonly (string | undefined)[]): string {
  const body = /<<'SIPWALL_NFT'\n([\s\S]*?)^SIPWALL_NFT$/m.exec(script)?.[1] ?? '';
  const jumps = into.flatMap((ref, i) => {
    if (ref === undefined) return [];
    const [family, table, chain] = ref.split('/');
    return [`insert rule ${family} ${table} ${chain} jump sipwall_${i === 0 ? 'in' : 'out'} comment "sipwall"`];
  });
  return `#!/usr/sbin/nft -f\n# Written by sipwall apply --persist, included from ${NFT_CONF}. sipwall remove deletes it.\n${body}${jumps.map((j) => `${j}\n`).join('')}`;
}

function persist(target: 'nftables' | 'iptables', script: string, into: string | undefined, intoOutput: string | undefined, ctx: Context): void {
  if (target === 'iptables') return saveIptables(ctx);
  replaceFile(NFT_FILE, persistedNft(script, [into, intoOutput]));
  const conf = existsSync(NFT_CONF) ? readFileSync(NFT_CONF, 'utf8') : '#!/usr/sbin/nft -f\n';
  if (!conf.split('\n').includes(INCLUDE)) replaceFile(NFT_CONF, `${conf}${conf.endsWith('\n') ? '' : '\n'}${INCLUDE_NOTE}\n${INCLUDE}\n`, 0o755);
  ctx.note(`persisted: ${NFT_FILE}, included from ${NFT_CONF}; it loads at boot when the nftables service is enabled (systemctl enable nftables)`);
}

/** What netfilter-persistent save writes: the whole tables as they are, loaded at boot by its service. */
function saveIptables(ctx: Context): void {
  for (const [v, file] of Object.entries(IPT_FILES)) {
    const save = sh(`${v === '6' ? 'ip6tables' : 'iptables'}-save`);
    if (save.ok) replaceFile(file, save.output, 0o640);
  }
  ctx.note(`persisted: ${IPT_FILES[4]} and ${IPT_FILES[6]}; they load at boot with iptables-persistent (apt install iptables-persistent)`);
}

export async function runRemove(args: RemoveArgs, ctx: Context): Promise<number> {
  cannotApply('remove');
  if (!existsSync(RECORD)) throw commandError('E_REMOVE_NOTHING', { path: RECORD });
  let text: string;
  try {
    text = readBounded(RECORD, RECORD_BYTES);
  } catch (error) {
    throw commandError('E_REMOVE_RECORD', { path: RECORD, why: (error as Error).message });
  }
  const record = parseRecord(text);
  if (typeof record === 'string') throw commandError('E_REMOVE_RECORD', { path: RECORD, why: record });
  const script = removeScript(record);
  if (args.dryRun) {
    ctx.io.stdout(script);
    return 0;
  }
  const release = lock();
  try {
    const r = sh(script);
    if (!r.ok) {
      ctx.io.stderr(`sipwall: remove did not finish (the record is kept; run it again): ${lastLines(r.output)}\n`);
      return 1;
    }
    unpersist(record, ctx);
    rmSync(RECORD, { force: true });
    ctx.io.stdout(`Removed what sipwall applied on ${record.applied.slice(0, 10)} (${record.target}${record.into.length > 0 ? ` --into ${record.into.join(' ')}` : ''}).\n`);
    return 0;
  } finally {
    release();
  }
}

function unpersist(record: AppliedRecord, ctx: Context): void {
  if (record.persisted.length === 0) return;
  if (record.target === 'nftables') {
    for (const f of record.persisted) rmSync(f, { force: true });
    if (record.include !== undefined && existsSync(record.include)) {
      const conf = readFileSync(record.include, 'utf8');
      const kept = conf.split('\n').filter((l) => l !== INCLUDE && l !== INCLUDE_NOTE).join('\n');
      if (kept !== conf) replaceFile(record.include, kept, 0o755);
    }
    ctx.note(`removed ${record.persisted.join(', ')} and its include line`);
    return;
  }
  // The tables as they are now, without sipwall's rules: what boot loads from here on.
  saveIptables(ctx);
}
