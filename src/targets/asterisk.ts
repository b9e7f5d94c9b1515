/**
 * Asterisk (and FreePBX) with res_pjsip: the configuration that makes the PBX take the providers'
 * calls as their trunks. Three files, each included from the PBX's own (`#include`), so nothing
 * of the user's configuration is replaced:
 *
 * - pjsip_sipwall.conf: one `type=identify` section per provider, matching its SIP addresses to
 *   the endpoint the user names (res_pjsip_endpoint_identifier_ip: `match` takes an address or a
 *   network; one per line, as the option may be given many times).
 * - acl_sipwall.conf: the named ACL `sipwall` (acl.conf): deny every IPv4 and IPv6 address, then
 *   permit the providers' SIP addresses. Asterisk's ast_apply_ha (main/acl.c) starts at allow
 *   and lets the last matching rule decide, and an IPv4 rule never matches an IPv6 sender, so
 *   both deny lines come first.
 * - rtp_sipwall.conf: rtpstart/rtpend, the one RTP range the firewall opens.
 *
 * Facts: docs.asterisk.org, Module_Configuration res_pjsip_endpoint_identifier_ip, res_pjsip_acl,
 * named_acl; Configuration/Core-Configuration/Named-ACLs. main/config.c reads a line into 8,192
 * bytes and skips a longer one; `;` starts a comment, `;--` a block comment (every header line
 * starts `; `). Asterisk is not packaged in Debian 12: the tests read the files back with a reader
 * of these rules (test/targets/semantics.ts).
 */
import { coreError } from '../errors/catalogue.js';
import type { Policy } from '../policy/types.js';
import { headerLines } from './header.js';
import { lineComment } from './quote.js';
import { renderTemplate } from './templates.js';
import { rtpRangeOf, trunkNotes, trunksOf, type Trunk } from './trunks.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'asterisk',
  title: 'Asterisk / FreePBX res_pjsip (identify sections, a named ACL, the RTP range)',
  kind: 'receiver',
  rangeSeparator: '-',
  forms: ['conf'],
  modes: ['standalone'],
  // pjsip's identify and ACLs look at the sender's address only: SIP source ports widen (said).
  capabilities: { outbound: false, sourcePorts: false, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: {
    commentBytes: 200,
    lineBytes: 8189,
    lineSource: 'Asterisk main/config.c (config_text_file_load): fgets into char buf[8192]; a line of 8,191 bytes with its newline is skipped as too long',
    other: ['rtp.conf holds one RTP range'],
  },
  flags: { endpoint: 'the pjsip endpoint the provider\'s calls belong to: one NAME for all, or PROVIDER=NAME,... (default: the provider\'s id)' },
  apply: '`#include` from pjsip.conf, acl.conf, rtp.conf',
  rerun: 'replaces the three included files',
  validators: ['an Asterisk config reader of main/config.c\'s rules (tests): sections, permit/deny order, one range'],
};

/** The endpoint of each provider: its own entry, else `*`, else the provider's id. */
function endpointOf(trunk: Trunk, endpoints: ReadonlyMap<string, string> | undefined): string {
  return endpoints?.get(trunk.provider) ?? endpoints?.get('*') ?? trunk.provider;
}

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const trunks = trunksOf(policy, meta.id);
  const rendered = new Set(trunks.map((t) => t.provider));
  for (const provider of options.endpoints?.keys() ?? []) {
    if (provider !== '*' && !rendered.has(provider)) throw coreError('E_ENDPOINT_PROVIDER', { provider, providers: [...rendered] });
  }
  const rtp = rtpRangeOf(policy, meta.id);
  const header = (how: readonly string[]) => headerLines(policy, options, how, trunkNotes(policy));
  const identify = trunks.map((t) => ({ section: `sipwall-${t.provider}`, endpoint: endpointOf(t, options.endpoints), name: lineComment(t.name), matches: t.cidrs }));
  const files = [
    {
      name: 'pjsip_sipwall.conf',
      content: renderTemplate('asterisk-pjsip', {
        headerLines: header([
          'Apply: copy to /etc/asterisk/ and add the line #include pjsip_sipwall.conf to pjsip.conf, then: asterisk -rx "module reload res_pjsip.so".',
          "Each section makes requests from the provider's SIP addresses belong to the endpoint it names: that endpoint must exist in pjsip.conf.",
          'RTP is not restricted here: Asterisk takes media on the rtp.conf range from any address; the firewall says from whom (sipwall render --target nftables).',
        ]),
        identify,
      }, options.templates),
      mode: 0o644,
    },
    {
      name: 'acl_sipwall.conf',
      content: renderTemplate('asterisk-acl', {
        headerLines: header([
          'Apply: copy to /etc/asterisk/ and add the line #include acl_sipwall.conf to acl.conf; it defines the named ACL "sipwall".',
          'To refuse SIP from every other address, add to pjsip.conf a section [sipwall-acl] with type=acl and acl=sipwall.',
          "Careful: a type=acl section applies to all SIP the PBX receives, your phones' included. Use it on a PBX that takes SIP from these providers only, or permit your phones' networks in acl.conf too.",
        ]),
        permits: trunks.map((t) => ({ name: lineComment(t.name), cidrs: t.cidrs })),
      }, options.templates),
      mode: 0o644,
    },
    ...(rtp === undefined
      ? []
      : [
          {
            name: 'rtp_sipwall.conf',
            content: renderTemplate('asterisk-rtp', {
              headerLines: header([
                'Apply: copy to /etc/asterisk/ and, in the [general] section of rtp.conf, replace the rtpstart and rtpend lines with #include rtp_sipwall.conf; then: asterisk -rx "module reload res_rtp_asterisk.so".',
                'The firewall opens this range for RTP: the PBX must offer the same in its SDP, or calls get one-way audio.',
              ]),
              from: rtp.from,
              to: rtp.to,
            }, options.templates),
            mode: 0o644,
          },
        ]),
  ];
  return { files, warnings: [] };
}

export const asterisk: Target = { meta, render };
