/**
 * FreeSWITCH: one ACL list per provider (`sipwall-<id>`, default deny, an allow node per SIP
 * prefix) in a file the user includes into autoload_configs/acl.conf.xml, so that a SIP profile
 * can name it in `apply-inbound-acl`. A request that passes a profile's inbound ACL is taken
 * without digest authentication: each list holds its provider's addresses only.
 *
 * Facts: FreeSWITCH's vanilla conf (freeswitch.xml: "partial xml should be encased in
 * <include></include> tags"; autoload_configs/sofia.conf.xml includes "../sip_profiles/*.xml",
 * relative to the including file; autoload_configs/acl.conf.xml: <network-lists>, <list name
 * default>, <node type cidr>); developer.signalwire.com, "Access Control Lists". Checked by
 * xmllint; the tests read each list back.
 */
import type { Policy } from '../policy/types.js';
import { headerLines } from './header.js';
import { xmlComment } from './quote.js';
import { renderTemplate } from './templates.js';
import { trunkNotes, trunksOf } from './trunks.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'freeswitch',
  title: 'FreeSWITCH ACL lists for acl.conf.xml (one per provider, for apply-inbound-acl)',
  kind: 'receiver',
  rangeSeparator: '-',
  forms: ['xml'],
  modes: ['standalone'],
  // An ACL list matches the sender's address only: SIP source ports widen (said).
  capabilities: { outbound: false, sourcePorts: false, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: { commentBytes: 200, lineSource: 'none: an XML file, read whole by FreeSWITCH\'s XML preprocessor' },
  apply: 'X-PRE-PROCESS include in acl.conf.xml, `reloadacl`',
  rerun: 'replaces the included file',
  validators: ['xmllint --noout', 'each list read back (tests)'],
  check: 'xml',
};

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const lists = trunksOf(policy, meta.id).map((t) => ({ name: `sipwall-${t.provider}`, cidrs: t.cidrs }));
  const rtp = policy.host.rtp.map((r) => `${r.from}-${r.to}`).join(',');
  const how = [
    'Apply: copy sipwall-acl.xml into the FreeSWITCH configuration folder (e.g. /etc/freeswitch/), add <X-PRE-PROCESS cmd="include" data="../sipwall-acl.xml"/> inside <network-lists> of autoload_configs/acl.conf.xml, then run reloadacl in fs_cli.',
    `Use: in the SIP profile the provider calls (e.g. sip_profiles/external.xml), add <param name="apply-inbound-acl" value="LIST"/> for each list: ${lists.map((l) => l.name).sort().join(', ')}.`,
    'A request that passes an inbound ACL is taken without digest authentication: keep only the provider\'s addresses in its list.',
    ...(rtp === '' ? [] : [`RTP: the firewall opens ${rtp}; rtp-start-port and rtp-end-port in autoload_configs/switch.conf.xml must say the same, or calls get one-way audio.`]),
  ];
  const view = { headerLines: headerLines(policy, options, how, trunkNotes(policy), xmlComment), lists };
  return { files: [{ name: 'sipwall-acl.xml', content: renderTemplate('freeswitch', view, options.templates), mode: 0o644 }], warnings: [] };
}

export const freeswitch: Target = { meta, render };
