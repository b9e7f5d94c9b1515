/**
 * The target contract, run from `meta` alone: before a target renders, the policy and options are
 * checked against what the target declares it can express. Pure.
 *
 * - An option the target does not declare (a form, the `into` mode) is a named error.
 * - A term it cannot express is a named error (outbound terms on an inbound-only firewall; a
 *   policy that needs return traffic on a target that cannot accept it). A PBX's configuration
 *   (kind `receiver`) renders no terms: it reads whose SIP the PBX takes (trunks.ts).
 * - The one degradation: a target that matches no source ports renders such a term without
 *   them (the address match stays), and says so in a header note and a warning; under `strict`
 *   that is a named error too.
 *
 * The target then renders the prepared policy: it never sees a term it cannot express.
 */
import { warning } from '../errors/warnings.js';
import { coreError } from '../errors/catalogue.js';
import { formatPortRange } from '../net/ports.js';
import type { Policy, Term } from '../policy/types.js';
import { checkLines } from './line-limit.js';
import { type Capabilities, type Form, type RenderOptions, type Target, type TargetMeta } from './types.js';

/** What the target can express in one of its forms (a form may declare less than its target). */
export function capabilitiesOf(meta: TargetMeta, form: Form): Capabilities {
  const own = meta.formCapabilities?.[form];
  return own === undefined ? meta.capabilities : { ...meta.capabilities, ...own };
}

/** The targets (and forms, where they differ) that have a capability, or (`has` false) lack it. */
export function targetsWith(all: readonly TargetMeta[], capability: keyof Capabilities, has = true): string {
  const names: string[] = [];
  for (const meta of all) {
    const forms = meta.forms.filter((form) => capabilitiesOf(meta, form)[capability] === has);
    if (forms.length === meta.forms.length) names.push(meta.id);
    else if (forms.length > 0) names.push(`${meta.id} --form ${forms.join('|')}`);
  }
  return names.join(', ');
}

export interface Prepared {
  /** The policy as the target renders it: widened terms replaced, their notes added. */
  readonly policy: Policy;
  /** One line per widened term; the render's warnings start with them. */
  readonly widened: readonly string[];
}

/** The form and mode are the target's own (the CLI runs this before it reads any profile). */
export function checkOptions(meta: TargetMeta, options: Pick<RenderOptions, 'form' | 'mode'>): void {
  if (!meta.forms.includes(options.form)) {
    throw coreError('E_FORM_UNSUPPORTED', { target: meta.id, form: options.form, forms: meta.forms });
  }
  if (!meta.modes.includes(options.mode)) {
    throw coreError('E_MODE_UNSUPPORTED', { target: meta.id });
  }
}

/** Whether the target renders `term`: a firewall every one, a PBX's configuration its inbound SIP (trunks.ts). */
const reads = (meta: TargetMeta, term: Term) => meta.kind === 'firewall' || (term.role === 'sip' && term.direction === 'in');

/** Checks `options` and `policy` against `meta`; `all` names the targets a fix may point to. */
function prepare(policy: Policy, meta: TargetMeta, options: RenderOptions, all: readonly TargetMeta[]): Prepared {
  checkOptions(meta, options);
  const can = capabilitiesOf(meta, options.form);
  // The form is named where it can express less than its target's other forms.
  const what = meta.formCapabilities?.[options.form] === undefined ? meta.id : `${meta.id} --form ${options.form}`;
  // A PBX's configuration reads whose SIP it takes and where RTP arrives (trunks.ts): what the
  // PBX sends is the firewall's to filter, so outbound terms are not its to refuse.
  if (meta.kind === 'firewall' && !can.outbound && policy.directions.includes('out')) {
    throw coreError('E_DIRECTION_UNSUPPORTED', { what, direction: policy.directions.length === 2 ? 'both' : 'out', capable: targetsWith(all, 'outbound') });
  }
  if (!can.statefulReturn && policy.statefulReturn) {
    throw coreError('E_RETURN_UNSUPPORTED', { target: meta.id, what, capable: targetsWith(all, 'statefulReturn') });
  }
  if (can.sourcePorts || policy.terms.every((t) => t.sourcePorts === 'any' || !reads(meta, t))) return { policy, widened: [] };
  const widened: string[] = [];
  const terms = policy.terms.map((term) => {
    if (term.sourcePorts === 'any' || !reads(meta, term)) return term;
    const ports = term.sourcePorts.map((r) => formatPortRange(r, '-')).join(',');
    if (options.strict === true) {
      throw coreError('E_SOURCE_PORTS_UNSUPPORTED', { what, term: term.name, protocol: term.protocol, ports, capable: targetsWith(all, 'sourcePorts') });
    }
    widened.push(warning('W_SOURCE_PORTS_WIDENED', { term: term.name, target: meta.id, protocol: term.protocol, ports }));
    return { ...term, sourcePorts: 'any' } satisfies Term;
  });
  return { policy: { ...policy, terms, notes: [...policy.notes, ...widened] }, widened };
}

/**
 * A target as the registry hands it out: the contract check, its render of the prepared policy,
 * then the line check of every file. `all` names the targets a fix may point to.
 */
export function enforced(target: Target, all: readonly TargetMeta[]): Target {
  const { meta } = target;
  return {
    meta,
    render(policy, options) {
      const prepared = prepare(policy, meta, options, all);
      const result = checkLines(meta, target.render(prepared.policy, options));
      return prepared.widened.length === 0 ? result : { ...result, warnings: [...prepared.widened, ...result.warnings] };
    },
  };
}
