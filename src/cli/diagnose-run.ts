/** `sipwall diagnose`: runs every part that applies and prints ranked findings (exit 0 none, 1 some). */
import { commandError } from '../errors/commands.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAddress } from '../net/address.js';
import { InputError } from '../net/errors.js';
import { buildPolicy } from '../policy/build.js';
import { anyWrong, ranked, type Finding } from '../diagnose/findings.js';
import { firewallFindings, flowSummary } from '../diagnose/firewall.js';
import { flowsOf } from '../diagnose/flows.js';
import { defaultInterface, hostRuleset, interfaceAddresses } from '../diagnose/host.js';
import { asteriskFindings, freeswitchFindings, type PbxConfig } from '../diagnose/pbx-config.js';
import { cannotReplay, replay, type FlowVerdict } from '../diagnose/replay.js';
import type { CallReport } from '../diagnose/call.js';
import type { NatBehaviour } from '../probe/nat-probe.js';
import { natPart, parseNatArgs } from './diagnose-nat.js';
import { callParts, captureBytes, type CallPart } from './diagnose-call.js';
import { isInterfaceName, rulesetOf } from '../diagnose/ruleset.js';
import { terminalText } from '../text/escape.js';
import { shellWord } from '../text/shell-word.js';
import { readInput, type Context } from './context.js';
import type { DiagnoseArgs } from './diagnose.js';
import { hostFor, parseRtpPorts, parseSipPorts, parseWhole } from './options.js';
import { readBounded } from './read.js';
import { loadProviders } from './render.js';

/** The $id of docs/diagnose-result.schema.json (src/diagnose/report-schema.ts). */
export const DIAGNOSE_SCHEMA = 'urn:sipwall:schema:diagnose-result:v1';

/** Where each PBX keeps its configuration by default. */
const CONFIG_DIRS = ['/etc/asterisk', '/etc/freeswitch', '/usr/local/freeswitch/conf'];
/** Per config file and in all: a copy of /etc/asterisk is small; a hostile folder must not fill memory. */
const CONFIG_FILE_BYTES = 4 << 20;
const CONFIG_FILES = 500;

interface PartReport {
  readonly part: 'firewall' | 'config' | 'call' | 'nat';
  readonly ran: boolean;
  /** What it looked at, or why it did not run. */
  readonly summary: string;
}

export async function runDiagnose(args: DiagnoseArgs, ctx: Context): Promise<number> {
  const wantFirewall = args.part === 'all' || args.part === 'firewall';
  const wantConfig = args.part === 'all' || args.part === 'config';
  // Inputs of one part only: given to another part they are a mistake, not ignored.
  const owned: Array<[string, 'call' | 'nat', boolean]> = [
    ['capture', 'call', (args.capture ?? []).length > 0],
    ['--live', 'call', args.live !== undefined],
    ['--responder', 'nat', args.responder !== undefined],
    ['--idle', 'nat', args.idle !== undefined],
    ['--keepalive', 'nat', args.keepalive !== undefined],
  ];
  for (const [flag, part, given] of owned) {
    if (given && args.part !== part && args.part !== 'all') throw commandError('E_DIAGNOSE_FLAG_PART', { flag, part, asked: args.part });
  }
  if (args.part === 'nat' && args.responder === undefined) throw commandError('E_DIAGNOSE_NO_RESPONDER', {});
  const natArgs = args.responder === undefined ? undefined : parseNatArgs(args.responder, args.idle, args.keepalive);
  const named = (args.provider?.length ?? 0) + (args.profile?.length ?? 0) > 0;
  if (args.part === 'firewall' && !named) throw commandError('E_DIAGNOSE_NO_PROVIDER', {});
  if (args.interface !== undefined && !isInterfaceName(args.interface)) throw commandError('E_INTERFACE_NAME', { value: args.interface.slice(0, 40) });
  // Every flag is checked before any part runs, including those only some parts read.
  parseWhole('--max-profile-mib', args.maxProfileMib, 1, 4096, 64);
  const maxCapture = parseWhole('--max-capture-mib', args.maxCaptureMib, 1, 4096, 256) * 1024 * 1024;
  const addresses = parseAddresses(args.address);
  const rulesetFiles = (args.ruleset ?? []).map((file) => ({ name: file, text: readInput(ctx, '--ruleset', file, 'save one with nft list ruleset > FILE (or iptables-save, ip6tables-save, ipset save)') }));
  const ruleset = rulesetFiles.length > 0 ? rulesetOf(rulesetFiles) : undefined;
  const rtpOverride = args.rtpPorts === undefined ? undefined : parseRtpPorts(args.rtpPorts);
  const sipPorts = args.sipPorts === undefined ? undefined : parseSipPorts(args.sipPorts);
  const providers = named ? await loadProviders(args, ctx) : [];
  const host = hostFor(args.pbx);
  if (args.part === 'call' && (args.capture ?? []).length === 0 && args.live === undefined) throw commandError('E_DIAGNOSE_NO_CAPTURE', {});
  // A live capture first: the user places the call while it runs.
  const captures = await captureBytes(args, ctx, maxCapture);

  const findings: Finding[] = [];
  const parts: PartReport[] = [];
  const live = ruleset === undefined;
  const iface = args.interface ?? (live ? defaultInterface() : undefined) ?? 'eth0';
  const hostAddresses = { ...(live && !args.address ? interfaceAddresses(iface) : {}), ...addresses };

  // The RTP range: --rtp-ports, else the PBX's own configuration, else the preset.
  const rtpPortsOf = (config: PbxConfig | undefined) => rtpOverride ?? (config && config.rtp.from <= config.rtp.to ? [config.rtp] : undefined);
  /** The flags of the render command a fix names. */
  const renderFlags = (rtpPorts: ReturnType<typeof rtpPortsOf>) =>
    named
      ? [...(args.provider ?? []).flatMap((p) => ['-p', p]), ...(args.profile ?? []).flatMap((p) => ['--profile', p]), ...(args.pbx ? ['--pbx', args.pbx] : []), ...(rtpPorts ? ['--rtp-ports', rtpPorts.map((r) => `${r.from}-${r.to}`).join(',')] : [])].map(shellWord).join(' ')
      : '-p PROVIDER';
  let config: PbxConfig | undefined;
  if (wantConfig) {
    const dir = args.configDir ?? CONFIG_DIRS.find((d) => existsSync(d));
    if (dir === undefined) {
      parts.push({ part: 'config', ran: false, summary: `no PBX configuration found (looked in ${CONFIG_DIRS.join(', ')}); give --config-dir` });
    } else {
      // This host's addresses say whether it is behind NAT only when the config is this host's own.
      const own = args.configDir === undefined || args.address !== undefined;
      config = readConfig(dir, args.configDir !== undefined, own ? Object.values(hostAddresses) : []);
      if (config) {
        findings.push(...config.findings);
        parts.push({ part: 'config', ran: true, summary: `${config.pbx} configuration in ${dir}: RTP ${config.rtp.from}-${config.rtp.to} (${config.rtpFrom})${config.keepalive ? `; keepalive ${config.keepalive.seconds > 0 ? `every ${config.keepalive.seconds} s (${config.keepalive.from})` : `off (${config.keepalive.from})`}` : ''}` });
      } else parts.push({ part: 'config', ran: false, summary: `${dir} holds no Asterisk or FreeSWITCH configuration` });
    }
  }

  let verdicts: FlowVerdict[] | undefined;
  if (wantFirewall && !named) parts.push({ part: 'firewall', ran: false, summary: 'no provider named: give --provider or --profile to replay its flows' });
  else if (wantFirewall) {
    const why = cannotReplay();
    if (why !== undefined && args.part === 'firewall') throw commandError('E_DIAGNOSE_NO_REPLAY', { why });
    if (why !== undefined) parts.push({ part: 'firewall', ran: false, summary: why });
    else {
      const rtpPorts = rtpPortsOf(config);
      const policy = buildPolicy({ providers, host, ...(rtpPorts ? { rtpPorts } : {}), ...(sipPorts ? { sipPorts } : {}), direction: 'in', families: [4, 6] });
      const flows = flowsOf(policy);
      const target = { 4: hostAddresses[4] ?? '192.0.2.10', 6: hostAddresses[6] ?? '2001:db8::10' };
      const used = ruleset ?? hostRuleset();
      const result = replay({ ruleset: used, iface, addresses: target }, flows);
      const flags = renderFlags(rtpPorts);
      const rules = used.sources.length > 0 ? used.sources.join(' + ') : 'no ruleset at all (nothing loaded: every flow passes)';
      if (!result.ok) {
        findings.push({ severity: 'error', part: 'firewall', title: `the ruleset cannot be replayed: ${result.why}`, evidence: [rules], fix: 'check the saved ruleset with nft -c -f FILE (or iptables-restore --test)' });
        parts.push({ part: 'firewall', ran: false, summary: result.why });
      } else {
        verdicts = result.verdicts;
        findings.push(...firewallFindings(verdicts, { flags }));
        parts.push({ part: 'firewall', ran: true, summary: `${rules} replayed on ${iface} (${target[4]}, ${target[6]}): ${flowSummary(verdicts)}` });
      }
    }
  }

  let call: CallPart | undefined;
  if (captures.length > 0) {
    call = callParts(captures, { ruleset: () => ruleset ?? hostRuleset(), iface, flags: renderFlags(rtpPortsOf(config)) });
    findings.push(...call.findings);
    parts.push({ part: 'call', ran: true, summary: call.summary });
  }

  let nat: NatBehaviour | undefined;
  if (natArgs) {
    const part = await natPart(natArgs, config?.keepalive);
    nat = part.nat;
    findings.push(...part.findings);
    parts.push({ part: 'nat', ran: true, summary: part.summary });
  }

  if (!parts.some((p) => p.ran) && findings.length === 0) {
    throw commandError('E_DIAGNOSE_NOTHING', { parts: parts.map((p) => `${p.part}: ${p.summary}`).join('; ') });
  }
  const list = ranked(findings);
  if (args.json) {
    const calls = call ? { calls: call.calls.map((c, i) => ({ capture: captures[i]!.from, dialogs: c.dialogs, streams: c.streams, tls: c.tls })) } : {};
    ctx.io.stdout(`${JSON.stringify({ schema: DIAGNOSE_SCHEMA, ok: !anyWrong(list), parts, findings: list, ...(verdicts ? { flows: verdicts.map(flowJson) } : {}), ...calls, ...(nat ? { nat } : {}) }, null, 2)}\n`);
  } else {
    ctx.io.stdout(human(parts, list, call?.calls ?? []));
  }
  return anyWrong(list) ? 1 : 0;
}

function parseAddresses(values: readonly string[] | undefined): { 4?: string; 6?: string } {
  const out: { 4?: string; 6?: string } = {};
  for (const value of (values ?? []).flatMap((v) => v.split(','))) {
    const a = parseAddress(value.trim());
    if (!a) throw commandError('E_DIAGNOSE_ADDRESS', { value: value.slice(0, 60) });
    if (out[a.family] !== undefined) throw commandError('E_DIAGNOSE_ADDRESS_TWICE', { family: a.family });
    out[a.family] = a.text;
  }
  return out;
}

/** The config files that matter, read bounded; undefined when the folder holds neither PBX's. */
function readConfig(dir: string, explicit: boolean, addresses: readonly string[]): PbxConfig | undefined {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw commandError('E_CONFIG_DIR_NOT_FOLDER', { dir: shellWord(dir) });
    // Only the folders the PBXs use: a --config-dir of / must not walk the whole file system.
    const list = (sub: string) => {
      try {
        return readdirSync(join(dir, sub)).slice(0, CONFIG_FILES).map((n) => `${sub}/${n}`);
      } catch {
        return [];
      }
    };
    names = [...readdirSync(dir).slice(0, 20_000), ...list('autoload_configs'), ...list('sip_profiles')];
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (!explicit) return undefined;
    throw commandError('E_CONFIG_DIR_READ', { dir: shellWord(dir), code: (error as NodeJS.ErrnoException).code ?? 'unreadable' });
  }
  const asterisk = names.filter((n) => /^(pjsip|rtp)[^/]*\.conf$/.test(n));
  const freeswitch = names.filter((n) => /^(vars\.xml|autoload_configs\/switch\.conf\.xml|sip_profiles\/[^/]+\.xml)$/.test(n));
  const read = (list: string[]) =>
    list.sort().slice(0, CONFIG_FILES).flatMap((name) => {
      try {
        const path = join(dir, name);
        const st = statSync(path);
        if (!st.isFile() || st.size > CONFIG_FILE_BYTES) return [];
        return [{ name, text: readBounded(path, CONFIG_FILE_BYTES) }];
      } catch {
        return [];
      }
    });
  if (asterisk.length > 0) return asteriskFindings(read(asterisk), { addresses });
  if (freeswitch.length > 0) return freeswitchFindings(read(freeswitch), { addresses });
  if (explicit) throw commandError('E_CONFIG_DIR_EMPTY', { dir: shellWord(dir) });
  return undefined;
}

function flowJson(v: FlowVerdict) {
  return {
    ...v.flow,
    verdict: v.decision?.verdict ?? 'untraced',
    ...(v.rule ? { decidedBy: v.rule } : {}),
    arrived: v.arrived,
    sender: v.outcome,
  };
}

function human(parts: readonly PartReport[], findings: readonly Finding[], calls: readonly CallReport[]): string {
  const lines = parts.map((p) => `${p.part}: ${p.ran ? '' : 'not run: '}${terminalText(p.summary)}`);
  for (const d of calls.flatMap((c) => c.dialogs)) {
    const sdp = (x: typeof d.offer) => (x ? `${x.address}:${x.port} (${x.codecs.slice(0, 4).join(' ')})` : 'none');
    lines.push(`  call ${terminalText(d.callId.slice(0, 60))}: INVITE ${d.invite.from} → ${d.invite.to}, ${d.statuses.join(' → ') || 'no answer'}; offer ${terminalText(sdp(d.offer))}, answer ${terminalText(sdp(d.answer))}`);
  }
  for (const s of calls.flatMap((c) => c.streams).slice(0, 20)) lines.push(`  RTP ${s.source}:${s.sourcePort} → ${s.destination}:${s.destinationPort} ssrc ${s.ssrc}: ${s.packets} packets, ${s.lost} lost, ${(s.last - s.first).toFixed(1)} s`);
  lines.push('');
  if (findings.length === 0) lines.push('No problems found.');
  findings.forEach((f, i) => {
    lines.push(`${i + 1}. ${f.severity.toUpperCase()} (${f.part}) ${terminalText(f.title)}`);
    for (const e of f.evidence) lines.push(`   seen: ${terminalText(e)}`);
    lines.push(`   fix:  ${terminalText(f.fix)}`);
  });
  return `${lines.join('\n')}\n`;
}
