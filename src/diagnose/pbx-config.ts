/**
 * The PBX's own configuration: the classic NAT mistakes behind one-way audio, and the RTP range the
 * firewall must open. Asterisk/FreePBX (res_pjsip: pjsip*.conf, rtp*.conf) and FreeSWITCH (vars.xml,
 * autoload_configs/switch.conf.xml, sip_profiles/*.xml). Pure: it reads file texts, not folders.
 * Facts: shared/reference/pbx-defaults.md; Asterisk's "Configuring res_pjsip to work through NAT"
 * (docs.asterisk.org); res_pjsip_nat.c treats every address as outside when a transport has no
 * local_net (ast_sip_transport_is_nonlocal).
 */
import { parseAddress } from '../net/address.js';
import { parseCidr, prefixesContain, type Prefix } from '../net/cidr.js';
import type { PortRange } from '../net/ports.js';
import type { Finding } from './findings.js';

export interface PbxConfig {
  readonly pbx: 'asterisk' | 'freeswitch';
  /** The RTP range the PBX uses, and the file and setting it came from (or the built-in default). */
  readonly rtp: PortRange;
  readonly rtpFrom: string;
  /** How often the PBX sends OPTIONS keepalives (0: never), when its config says. */
  readonly keepalive?: { readonly seconds: number; readonly from: string };
  readonly findings: Finding[];
}

/** RFC 1918, RFC 6598 (carrier-grade NAT), link-local, ULA: addresses that cannot be reached from the provider. */
const PRIVATE: Prefix[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'].map((c) => parseCidr(c, 'private'));

export function isPrivate(address: string): boolean {
  return prefixesContain(PRIVATE, address);
}

/** An Asterisk section: its name, the templates it inherits, its settings in order. */
interface Section {
  readonly file: string;
  readonly name: string;
  readonly template: boolean;
  readonly inherits: string[];
  readonly settings: Array<[string, string]>;
}

/** Asterisk's .conf syntax: `[name](options)`, `key = value` or `key => value`, `;` comments. */
export function parseAsteriskConf(file: string, text: string): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|[^\\]);.*$/, '$1').trim();
    if (line === '' || line.startsWith('#')) continue;
    const head = /^\[([^\]]+)\]\s*(?:\(([^)]*)\))?$/.exec(line);
    if (head) {
      const options = (head[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      current = { file, name: head[1]!.trim(), template: options.includes('!'), inherits: options.filter((o) => o !== '!' && o !== '+'), settings: [] };
      sections.push(current);
      continue;
    }
    const kv = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
    if (kv && current) current.settings.push([kv[1]!.trim().toLowerCase(), kv[2]!.trim()]);
  }
  return sections;
}

/** A section's settings with its templates' first (depth-bounded against template loops). */
function resolved(section: Section, all: readonly Section[], depth = 0): Array<[string, string]> {
  if (depth > 8) return section.settings;
  const inherited = section.inherits.flatMap((t) => {
    const tpl = all.find((s) => s.name === t && s.template);
    return tpl ? resolved(tpl, all, depth + 1) : [];
  });
  return [...inherited, ...section.settings];
}

const last = (settings: Array<[string, string]>, key: string) => settings.filter(([k]) => k === key).at(-1)?.[1];
const all = (settings: Array<[string, string]>, key: string) => settings.filter(([k]) => k === key).map(([, v]) => v);
const yes = (v: string | undefined) => v !== undefined && /^(yes|true|y|t|1|on)$/i.test(v);
const no = (v: string | undefined) => v !== undefined && /^(no|false|n|f|0|off)$/i.test(v);

/** The host part of `1.2.3.4`, `1.2.3.4:5060`, `[2001:db8::1]:5060`. */
function hostOf(value: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(value) ?? /^([^:]+)(?::\d+)?$/.exec(value);
  return m ? m[1]! : value;
}

function rtpRange(start: string | undefined, end: string | undefined, fallback: PortRange): PortRange {
  const from = Number(start);
  const to = Number(end);
  return {
    from: Number.isInteger(from) && from >= 1 && from <= 65_535 ? from : fallback.from,
    to: Number.isInteger(to) && to >= 1 && to <= 65_535 ? to : fallback.to,
  };
}

export interface HostFacts {
  /** The PBX's own addresses (the interface's), when known: a private one means NAT. */
  readonly addresses: readonly string[];
}

export function asteriskFindings(files: ReadonlyArray<{ name: string; text: string }>, host: HostFacts): PbxConfig {
  const findings: Finding[] = [];
  const rtpFiles = files.filter((f) => /^rtp.*\.conf$/.test(basename(f.name)));
  const rtpGeneral = rtpFiles.flatMap((f) => parseAsteriskConf(f.name, f.text)).filter((s) => s.name === 'general').flatMap((s) => s.settings);
  const start = last(rtpGeneral, 'rtpstart');
  const end = last(rtpGeneral, 'rtpend');
  // res_rtp_asterisk.c: 5000-31000 when rtp.conf sets nothing (pbx-defaults.md).
  const rtp = rtpRange(start, end, { from: 5000, to: 31_000 });
  const rtpFrom = start !== undefined || end !== undefined ? `${rtpFiles.map((f) => basename(f.name)).join(', ')} rtpstart/rtpend` : 'Asterisk\'s built-in default (no rtpstart/rtpend in rtp.conf)';
  if (rtp.from > rtp.to) findings.push({ severity: 'error', part: 'config', title: `rtp.conf: rtpstart ${rtp.from} is above rtpend ${rtp.to}`, evidence: [rtpFrom], fix: 'set rtpstart below rtpend in rtp.conf, e.g. rtpstart=10000 and rtpend=20000' });

  const sections = files.filter((f) => /^pjsip.*\.conf$/.test(basename(f.name))).flatMap((f) => parseAsteriskConf(f.name, f.text));
  const concrete = sections.filter((s) => !s.template).map((s) => ({ section: s, settings: resolved(s, sections) }));
  const transports = concrete.filter((c) => last(c.settings, 'type') === 'transport');
  const endpoints = concrete.filter((c) => last(c.settings, 'type') === 'endpoint');
  const where = (c: { section: Section }) => `${basename(c.section.file)} [${c.section.name}]`;

  const privateHost = host.addresses.find(isPrivate);
  const privateBind = transports.map((t) => hostOf(last(t.settings, 'bind') ?? '')).find((b) => parseAddress(b) && isPrivate(b));
  const localNets = transports.flatMap((t) => all(t.settings, 'local_net'));
  const behindNat = privateHost ?? privateBind ?? (localNets.length > 0 ? 'local_net is set' : undefined);
  for (const t of transports) {
    const media = last(t.settings, 'external_media_address');
    const signalling = last(t.settings, 'external_signaling_address');
    for (const [key, value] of [['external_media_address', media], ['external_signaling_address', signalling]] as const) {
      if (value !== undefined && parseAddress(value) && isPrivate(value)) {
        findings.push({ severity: 'error', part: 'config', title: `${where(t)}: ${key}=${value} is a private address: the provider cannot send ${key.includes('media') ? 'RTP' : 'SIP'} to it`, evidence: [`${value} lies in a private range`], fix: `set ${key} to the public address the provider reaches, e.g. ${key}=203.0.113.5` });
      }
    }
    if (behindNat && media === undefined) {
      findings.push({
        severity: 'error',
        part: 'config',
        title: `${where(t)}: no external_media_address behind NAT: the SDP advertises the private address, the provider sends RTP there and the caller hears nothing`,
        evidence: [`behind NAT: ${privateHost ? `this host's address ${privateHost} is private` : privateBind ? `the transport binds ${privateBind}` : 'local_net is set'}`],
        fix: 'set external_media_address=<public address> and external_signaling_address=<public address> in this transport',
      });
    }
    if ((media !== undefined || signalling !== undefined) && all(t.settings, 'local_net').length === 0) {
      findings.push({ severity: 'warning', part: 'config', title: `${where(t)}: external addresses without local_net: every peer counts as outside, phones on the LAN are sent the public address too`, evidence: ['no local_net in the transport'], fix: 'add local_net=<your private network> (one line per network), e.g. local_net=192.168.1.0/24' });
    }
  }
  if (behindNat) {
    for (const e of endpoints) {
      const direct = last(e.settings, 'direct_media');
      if (!no(direct)) findings.push({ severity: 'warning', part: 'config', title: `${where(e)}: direct_media=${direct ?? 'yes (the default)'} behind NAT: Asterisk steps out of the media path and the two far ends cannot reach each other`, evidence: [`behind NAT (${behindNat})`], fix: 'set direct_media=no on this endpoint' });
      if (!yes(last(e.settings, 'rtp_symmetric'))) findings.push({ severity: 'warning', part: 'config', title: `${where(e)}: rtp_symmetric=${last(e.settings, 'rtp_symmetric') ?? 'no (the default)'}: RTP goes to the address in the far end's SDP, not to where its RTP comes from`, evidence: [`behind NAT (${behindNat})`], fix: 'set rtp_symmetric=yes on this endpoint' });
      if (no(last(e.settings, 'force_rport'))) findings.push({ severity: 'warning', part: 'config', title: `${where(e)}: force_rport=no: answers go to the port in the Via header instead of the one the request came from`, evidence: [`behind NAT (${behindNat})`], fix: 'set force_rport=yes on this endpoint' });
      if (!yes(last(e.settings, 'rewrite_contact'))) findings.push({ severity: 'info', part: 'config', title: `${where(e)}: rewrite_contact=${last(e.settings, 'rewrite_contact') ?? 'no (the default)'}: in-dialog requests go to the Contact's address, which a NATed far end cannot receive on`, evidence: [`behind NAT (${behindNat})`], fix: 'set rewrite_contact=yes on endpoints of phones or trunks behind NAT' });
    }
  }
  // qualify_frequency on each aor (seconds; 0 or unset: no OPTIONS keepalive). The shortest counts.
  const aors = concrete.filter((c) => last(c.settings, 'type') === 'aor');
  const qualify = aors.map((a) => ({ where: where(a), seconds: Number(last(a.settings, 'qualify_frequency') ?? 0) })).filter((q) => Number.isFinite(q.seconds) && q.seconds >= 0);
  const on = qualify.filter((q) => q.seconds > 0).sort((a, b) => a.seconds - b.seconds);
  const keepalive = on.length > 0 ? { seconds: on[0]!.seconds, from: `${on[0]!.where} qualify_frequency` } : qualify.length > 0 ? { seconds: 0, from: 'no aor sets qualify_frequency' } : undefined;
  return { pbx: 'asterisk', rtp, rtpFrom, ...(keepalive ? { keepalive } : {}), findings };
}

/** FreeSWITCH: `<X-PRE-PROCESS cmd="set" data="name=value"/>` in vars.xml, `<param name="…" value="…"/>` elsewhere. */
function preprocessVars(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of stripXmlComments(text).matchAll(/<X-PRE-PROCESS\s+cmd="set"\s+data="([^"=]+)=([^"]*)"\s*\/>/g)) out.set(m[1]!, m[2]!);
  return out;
}

function params(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of stripXmlComments(text).matchAll(/<param\s+name="([^"]+)"\s+value="([^"]*)"\s*\/>/g)) out.set(m[1]!, m[2]!);
  return out;
}

function stripXmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '');
}

export function freeswitchFindings(files: ReadonlyArray<{ name: string; text: string }>, host: HostFacts): PbxConfig {
  const findings: Finding[] = [];
  const find = (re: RegExp) => files.find((f) => re.test(f.name));
  const vars = preprocessVars(find(/(^|\/)vars\.xml$/)?.text ?? '');
  const sw = params(find(/(^|\/)switch\.conf\.xml$/)?.text ?? '');
  const start = sw.get('rtp-start-port');
  const end = sw.get('rtp-end-port');
  // switch_rtp.c defaults (pbx-defaults.md).
  const rtp = rtpRange(start, end, { from: 16_384, to: 32_768 });
  const rtpFrom = start !== undefined || end !== undefined ? 'switch.conf.xml rtp-start-port/rtp-end-port' : 'FreeSWITCH\'s built-in default (switch.conf.xml sets no rtp-start-port/rtp-end-port)';
  const expand = (v: string) => v.replace(/\$\$\{([^}]+)\}/g, (_, name: string) => vars.get(name) ?? `$\${${name}}`);
  const privateHost = host.addresses.find(isPrivate);
  for (const [key, value] of [['external_rtp_ip', vars.get('external_rtp_ip')], ['external_sip_ip', vars.get('external_sip_ip')]] as const) {
    if (value !== undefined && parseAddress(value) && isPrivate(value)) findings.push({ severity: 'error', part: 'config', title: `vars.xml: ${key}=${value} is a private address: the SDP tells the provider to send ${key.includes('rtp') ? 'RTP' : 'SIP'} there`, evidence: [`${value} lies in a private range`], fix: `set ${key} to the public address (or stun:stun.freeswitch.org) in vars.xml` });
  }
  for (const profile of files.filter((f) => /sip_profiles\/[^/]+\.xml$/.test(f.name))) {
    const p = params(profile.text);
    const ext = p.get('ext-rtp-ip');
    const value = ext === undefined ? undefined : expand(ext);
    const name = profile.name.replace(/^.*sip_profiles\//, 'sip_profiles/');
    if (value !== undefined && parseAddress(value) && isPrivate(value)) {
      findings.push({ severity: 'error', part: 'config', title: `${name}: ext-rtp-ip resolves to ${value}, a private address: the provider sends RTP where it cannot arrive`, evidence: [`ext-rtp-ip="${ext}"`], fix: 'set external_rtp_ip in vars.xml to the public address (or stun:stun.freeswitch.org)' });
    } else if (privateHost && ext === undefined && /external/.test(name)) {
      findings.push({ severity: 'error', part: 'config', title: `${name}: no ext-rtp-ip behind NAT: the SDP advertises the private address ${privateHost}`, evidence: [`this host's address ${privateHost} is private`], fix: 'add <param name="ext-rtp-ip" value="$${external_rtp_ip}"/> and <param name="ext-sip-ip" value="$${external_sip_ip}"/> to this profile' });
    }
  }
  return { pbx: 'freeswitch', rtp, rtpFrom, findings };
}

function basename(path: string): string {
  return path.replace(/^.*\//, '');
}
