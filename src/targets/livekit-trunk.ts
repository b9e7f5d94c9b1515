/**
 * LiveKit's side of a forwarded number: the inbound trunk (`numbers` = the DIDs in E.164;
 * `allowedAddresses` = the providers' SIP addresses with --lock-addresses), the dispatch rule
 * that puts each call into a room of its own (`dispatchRuleIndividual`, --room-prefix), and the
 * `lk` commands that create them.
 *
 * Facts: ../shared/reference/flynumber-sip-forwarding.txt ("LiveKit Example": the To user must be a
 * number of the trunk, else 404 Not Found at the trunk layer; a trunk with no numbers, no allowed
 * addresses and no auth is rejected; trunk and dispatch rule are both required); @livekit/protocol
 * (CreateSIPInboundTrunkRequest { trunk: SIPInboundTrunkInfo }, CreateSIPDispatchRuleRequest
 * { dispatchRule: SIPDispatchRuleInfo }; the top-level `rule` and `name` the page shows are its
 * deprecated fields). The JSON is made with JSON.stringify; a test parses it with the protocol's
 * own fromJson, which refuses an unknown field.
 */
import { coreError } from '../errors/catalogue.js';
import type { Policy } from '../policy/types.js';
import { headerLines } from './header.js';
import { renderTemplate } from './templates.js';
import { AI_PLATFORM, trunkNotes, trunksOf } from './trunks.js';
import type { RenderOptions, RenderResult, Target, TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'livekit-trunk',
  title: 'LiveKit inbound SIP trunk and dispatch rule (JSON) with the lk commands',
  ...AI_PLATFORM,
  limits: { commentBytes: 0, lineSource: 'none: JSON, and a shell script of two commands' },
  flags: {
    number: 'the numbers the provider forwards, in E.164 (+13025551234,...): the trunk\'s numbers',
    lockAddresses: "let the trunk take calls from the providers' SIP addresses only (allowedAddresses)",
    roomPrefix: 'the prefix of the room each call gets (default call-)',
  },
  apply: '`sh livekit.sh` (lk sip inbound create, lk sip dispatch create)',
  rerun: 'creates another trunk and rule (lk sip inbound list, then delete the old ones)',
  validators: ["@livekit/protocol's fromJson (tests)", 'sh -n'],
};

export function render(policy: Policy, options: RenderOptions): RenderResult {
  const numbers = options.numbers ?? [];
  const trunks = trunksOf(policy, meta.id);
  const allowed = options.lockAddresses === true ? trunks.flatMap((t) => t.cidrs) : [];
  if (numbers.length === 0 && allowed.length === 0) throw coreError('E_LIVEKIT_WILDCARD', {});
  const name = `sipwall ${trunks.map((t) => t.provider).join(' ')}`;
  const trunk = { trunk: { name, ...(numbers.length > 0 ? { numbers } : {}), ...(allowed.length > 0 ? { allowedAddresses: allowed } : {}) } };
  const rule = { dispatchRule: { name, rule: { dispatchRuleIndividual: { roomPrefix: options.roomPrefix ?? 'call-' } } } };
  const how = [
    'Apply: sh livekit.sh with LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET set (or lk cloud auth); an agent must then answer in the rooms the rule makes.',
    `At the provider, for each number: Username the number in E.164 (${numbers.join(', ') || 'the trunk has no numbers: any number is taken'}), Domain your project's SIP URI without sip: (e.g. abcd1234.sip.livekit.cloud), Port 5060 (UDP).`,
    'A username that is not a number of the trunk gets 404 Not Found, and the call never shows in the LiveKit dashboard.',
  ];
  return {
    files: [
      { name: 'livekit-inbound-trunk.json', content: `${JSON.stringify(trunk, null, 2)}\n`, mode: 0o644 },
      { name: 'livekit-dispatch-rule.json', content: `${JSON.stringify(rule, null, 2)}\n`, mode: 0o644 },
      { name: 'livekit.sh', content: renderTemplate('livekit-trunk', { headerLines: headerLines(policy, options, how, trunkNotes(policy)) }, options.templates), mode: 0o755 },
    ],
    warnings: [],
  };
}

export const livekitTrunk: Target = { meta, render };
