/**
 * ufw: a re-runnable `ufw allow …` script, or an application profile for applications.d.
 * Facts: shared/reference/target-formats.md §2.3 (colon ranges, proto required with several
 * ports, lists become one multiport rule of at most 15 entries with a range counting 2, an
 * identical rule is skipped, `ufw show added` lists the rules as commands).
 *
 * Re-runs: every comment carries a tag, a hash of the whole rule list. The script adds its rules
 * (ufw skips those already there), then deletes sipwall rules with another tag: no moment
 * without the rules, and a provider dropped from the command leaves nothing behind.
 */
import type { Policy } from '../policy/types.js';
import { formatPorts, lower, remoteCidrs, type LoweredRule } from './lower.js';
import { fnv1a, mix32, unorderedHash } from './names.js';
import { headerLines } from './header.js';
import { Lines } from './lines.js';
import { packPorts } from './multiport.js';
import { lineComment, shellWord } from './quote.js';
import { linesFile, renderTemplate } from './templates.js';
import { type RenderOptions, type RenderResult, type Target, type TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'ufw',
  title: 'ufw (re-runnable ufw allow script, or an application profile)',
  kind: 'firewall',
  rangeSeparator: ':',
  forms: ['shell', 'app'],
  modes: ['standalone'],
  capabilities: { outbound: true, sourcePorts: true, dualFamilyRule: true, statefulReturn: true },
  formCapabilities: { app: { sourcePorts: false, outbound: false } },
  traits: { namedSets: false, deny: true },
  limits: { portsPerRule: 15, commentBytes: 255 , lineSource: 'none: ufw.sh is run by sh, and every ufw call takes its rule as arguments'},
  apply: '`sh ufw.sh`',
  rerun: 'tag in every comment: adds new, deletes other tags',
  validators: ['ufw --dry-run on every command', 'ufw app info on a bind-mounted applications.d'],
  check: 'ufw',
};

/** A comment ufw prints back inside '…' in `ufw show added`: no quote may end it. */
function ufwComment(tag: string, text: string): string {
  return shellWord(`sipwall:${tag} ${lineComment(text).replaceAll("'", ' ')}`.slice(0, 255));
}

function remoteWords(rule: LoweredRule): readonly string[] {
  if (rule.remote === 'any' && rule.family === 'both') return ['any'];
  return remoteCidrs(rule);
}

/**
 * One layout of `ufw allow in from 46.19.208.0/21 to any port 5060 proto udp`: the words before
 * and after the remote address, for each port chunk of a rule.
 */
interface Layout {
  readonly before: string;
  readonly after: string;
}

function layoutsOf(rule: LoweredRule): Layout[] {
  const layouts: Layout[] = [];
  const remotePorts = rule.remotePorts === 'any' ? [undefined] : packPorts(rule.remotePorts);
  const localPorts = rule.localPorts === 'any' ? [undefined] : packPorts(rule.localPorts);
  for (const rp of remotePorts) {
    for (const lp of localPorts) {
      const remotePort = rp ? ` port ${formatPorts(rp, ':')}` : '';
      const local = `any${lp ? ` port ${formatPorts(lp, ':')}` : ''}`;
      const proto = ` proto ${rule.protocol}`;
      layouts.push(
        rule.direction === 'in'
          ? { before: `ufw allow in from `, after: `${remotePort} to ${local}${proto}` }
          : { before: `ufw allow out from ${local} to `, after: `${remotePort}${proto}` },
      );
    }
  }
  return layouts;
}

/**
 * The run's tag: a hash of its commands in any order, so the same rules give the same tag and a
 * re-run is a no-op. Each command's hash mixes the hashes of its three parts, so no command
 * string is built for it.
 */
function tagOf(groups: ReadonlyArray<{ addresses: readonly string[]; layouts: Layout[] }>): string {
  // The rules of one role share their address list (lower.ts setCidrs): hashed once.
  const hashed = new Map<readonly string[], number[]>();
  const parts = groups.flatMap((g) => {
    let addressHashes = hashed.get(g.addresses);
    if (!addressHashes) hashed.set(g.addresses, (addressHashes = g.addresses.map(fnv1a)));
    return g.layouts.flatMap((l) => {
      const shape = fnv1a(`${l.before}\0${l.after}`);
      return addressHashes.map((a) => mix32(a, shape));
    });
  });
  return unorderedHash(parts);
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  if (options.form === 'app') return renderApp(policy, options);
  const rules = lower(policy, meta, options.form);
  const groups = rules.map((rule) => ({ description: rule.description, addresses: remoteWords(rule), layouts: layoutsOf(rule) }));
  const tag = tagOf(groups);
  const out = new Lines();
  for (const g of groups) {
    const comment = ` comment ${ufwComment(tag, g.description)}`;
    for (const l of g.layouts) out.block(l.before, g.addresses, l.after + comment);
  }
  const how = [
    'Apply: sh ufw.sh (as root). It only adds rules: ufw must be enabled (with SSH allowed) to enforce them.',
    'Re-running adds what is new and deletes the sipwall rules of earlier runs (their comments carry another tag).',
  ];
  const header = headerLines(policy, options, how);
  return { files: [linesFile('ufw.sh', 0o755, 'ufw', (put) => ({ headerLines: header, tag, rules: put(out) }), options.templates)], warnings: [] };
}

/**
 * An application profile per provider role with the ports the PBX listens on; the header says
 * which `ufw allow … app …` commands use it. A profile holds no source ports (meta.formCapabilities).
 */
function renderApp(policy: Policy, options: RenderOptions): RenderResult {
  // Inbound only (meta.formCapabilities): the contract check refused outbound terms.
  const inbound = lower(policy, meta, options.form);
  const profiles = new Map<string, { name: string; title: string; description: string; ports: string[]; rules: LoweredRule[] }>();
  for (const rule of inbound) {
    const provider = policy.providers.find((p) => p.id === rule.term.provider)!;
    const name = `sipwall-${provider.id}-${rule.term.role}`;
    const what = rule.term.role === 'sip' ? 'SIP signalling' : 'RTP media';
    const profile = profiles.get(name) ?? { name, title: lineComment(`${provider.name} ${what}`), description: lineComment(`${provider.name} ${what} (sipwall)`), ports: [], rules: [] };
    const ports = `${rule.localPorts === 'any' ? '1:65535' : formatPorts(rule.localPorts, ':')}/${rule.protocol}`;
    if (!profile.ports.includes(ports)) profile.ports.push(ports);
    profile.rules.push(rule);
    profiles.set(name, profile);
  }
  const commands = [...profiles.values()].flatMap((p) => {
    const sources = [...new Set(p.rules.flatMap((r) => remoteWords(r)))];
    return sources.map((s) => `  ufw allow from ${s} to any app ${p.name}`);
  });
  const how = [
    'Apply: copy to /etc/ufw/applications.d/sipwall, check with ufw app info NAME, then allow each profile from its sources:',
    ...commands,
  ];
  const view = {
    headerLines: headerLines(policy, options, how),
    profiles: [...profiles.values()].map((p) => ({ ...p, ports: p.ports.join('|') })),
  };
  return { files: [{ name: 'sipwall.ufw', content: renderTemplate('ufw-app', view, options.templates), mode: 0o644 }], warnings: [] };
}

export const ufw: Target = { meta, render };
