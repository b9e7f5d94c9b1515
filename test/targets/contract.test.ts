/**
 * The target contract (src/targets/contract.ts): every capability a target declares is read, and
 * what a target cannot express never reaches its render.
 */
import { describe, expect, it } from 'vitest';
import { buildPolicy } from '../../src/policy/build.js';
import type { Policy } from '../../src/policy/types.js';
import { PBX_PRESETS } from '../../src/providers/pbx.js';
import { findBuiltinProvider } from '../../src/providers/registry.js';
import { capabilitiesOf, targetsWith } from '../../src/targets/contract.js';
import { lower } from '../../src/targets/lower.js';
import { MODULES, registered, TARGETS } from '../../src/targets/registry.js';
import { TargetError, type Capabilities, type RenderOptions, type Target, type TargetMeta } from '../../src/targets/types.js';

const ALL: Capabilities = { outbound: true, sourcePorts: true, dualFamilyRule: true, statefulReturn: true };

/** A target that records the policy its render was given. */
function spy(capabilities: Partial<Capabilities> = {}, extra: Partial<TargetMeta> = {}) {
  const seen: Policy[] = [];
  const target: Target = {
    meta: { ...TARGETS[0]!.meta, id: 'spy', forms: ['text', 'narrow'], modes: ['standalone'], capabilities: { ...ALL, ...capabilities }, limits: { commentBytes: 10, lineSource: 'a test' }, ...extra },
    render(policy) {
      seen.push(policy);
      return { files: [{ name: 'spy.txt', content: 'ok\n', mode: 0o644 }], warnings: ['own warning'] };
    },
  };
  return { target, seen };
}

const options = (over: Partial<RenderOptions> = {}): RenderOptions => ({ mode: 'standalone', form: 'text', ipset: false, header: { version: '0', command: 'x' }, ...over });
/** VAPI, both directions: outbound terms, and media terms with source ports 40000-60000 on any address (family both). */
const vapiBoth = buildPolicy({ providers: [findBuiltinProvider('vapi')], host: PBX_PRESETS.asterisk!, direction: 'both', families: [4, 6] });
const vapiIn = buildPolicy({ providers: [findBuiltinProvider('vapi')], host: PBX_PRESETS.asterisk!, direction: 'in', families: [4, 6] });
const metas = (t: Target) => [...MODULES.map((m) => m.meta), t.meta];

describe('every capability is read before rendering', () => {
  it('outbound: an inbound-only target refuses outbound terms, naming the targets that can', () => {
    const { target, seen } = spy({ outbound: false });
    const [enforced] = registered([target]);
    expect(() => enforced!.render(vapiBoth, options())).toThrow(TargetError);
    expect(() => enforced!.render(vapiBoth, options())).toThrow(/--direction: spy filters inbound traffic only.*--direction both/);
    expect(seen).toEqual([]);
    expect(() => enforced!.render(vapiIn, options())).not.toThrow();
  });

  it('statefulReturn: a target that cannot accept return traffic is refused (the policy always needs it)', () => {
    const { target, seen } = spy({ statefulReturn: false });
    expect(() => registered([target])[0]!.render(vapiIn, options())).toThrow(/E_RETURN|cannot accept the return traffic/);
    expect(seen).toEqual([]);
  });

  it('sourcePorts: the render sees the terms without source ports, and a note and a warning name each one', () => {
    const { target, seen } = spy({ sourcePorts: false });
    const result = registered([target])[0]!.render(vapiIn, options());
    const given = seen[0]!;
    expect(given.terms.every((t) => t.sourcePorts === 'any')).toBe(true);
    // Nothing else changed: the same terms but for source ports (nothing lost, nothing widened more).
    expect(given.terms).toEqual(vapiIn.terms.map((t) => ({ ...t, sourcePorts: 'any' })));
    const widened = vapiIn.terms.filter((t) => t.sourcePorts !== 'any').map((t) => t.name);
    expect(widened).toEqual(['vapi-media-udp-in']);
    expect(result.warnings).toEqual(['vapi-media-udp-in: spy cannot match source ports; this rule accepts any udp source port, not only 40000-60000.', 'own warning']);
    expect(given.notes).toEqual([...vapiIn.notes, result.warnings[0]]);
    // The caller's policy is not changed.
    expect(vapiIn.terms.find((t) => t.name === 'vapi-media-udp-in')!.sourcePorts).toEqual([{ from: 40000, to: 60000 }]);
  });

  it('sourcePorts under strict: a named error instead, and nothing rendered', () => {
    const { target, seen } = spy({ sourcePorts: false });
    expect(() => registered([target])[0]!.render(vapiIn, options({ strict: true }))).toThrow(/--strict: spy cannot match source ports, which term vapi-media-udp-in needs \(udp source ports 40000-60000\)/);
    expect(seen).toEqual([]);
  });

  it('a target that can do everything gets the very policy it was given', () => {
    const { target, seen } = spy();
    registered([target])[0]!.render(vapiBoth, options());
    expect(seen[0]).toBe(vapiBoth);
  });

  it('dualFamilyRule: the lowering writes a term for both families once, or once per family', () => {
    const both = vapiIn.terms.filter((t) => t.family === 'both').map((t) => t.name);
    expect(both.length).toBeGreaterThan(0);
    const once = lower(vapiIn, spy().target.meta, 'text');
    const split = lower(vapiIn, spy({ dualFamilyRule: false }).target.meta, 'text');
    expect(once.filter((r) => both.includes(r.term.name)).map((r) => [r.name, r.family])).toEqual(both.map((n) => [n, 'both']));
    expect(split.filter((r) => both.includes(r.term.name)).map((r) => [r.name, r.family])).toEqual(both.flatMap((n) => [[`${n}-v4`, 4], [`${n}-v6`, 6]]));
  });

  it('a form can declare less than its target: the check reads the form given', () => {
    const { target, seen } = spy({}, { formCapabilities: { narrow: { outbound: false, sourcePorts: false } } });
    const [enforced] = registered([target]);
    expect(() => enforced!.render(vapiBoth, options({ form: 'narrow' }))).toThrow(/spy --form narrow filters inbound traffic only/);
    expect(() => enforced!.render(vapiBoth, options())).not.toThrow();
    expect(seen).toHaveLength(1);
    expect(capabilitiesOf(target.meta, 'narrow')).toEqual({ ...ALL, outbound: false, sourcePorts: false });
    expect(targetsWith(metas(target), 'outbound', false)).toBe('ufw --form app, pfsense, opnsense, asterisk, freeswitch, vapi-trunk, livekit-trunk, spy --form narrow');
  });

  it('a form or mode the target does not declare is a named error', () => {
    const { target, seen } = spy();
    const [enforced] = registered([target]);
    expect(() => enforced!.render(vapiIn, options({ form: 'xml' }))).toThrow(/--form: target spy has no form "xml"; use one of text, narrow/);
    expect(() => enforced!.render(vapiIn, options({ mode: 'into' }))).toThrow(/--into: target spy has no --into/);
    expect(seen).toEqual([]);
  });

  it('the line check runs on what the render returned', () => {
    const { target } = spy({}, { limits: { commentBytes: 10, lineBytes: 1, lineSource: 'a test' } });
    expect(() => registered([target])[0]!.render(vapiIn, options())).toThrow(/spy spy.txt: line 1 has 2 bytes/);
  });
});

describe('what the registered targets declare', () => {
  it.each([
    ['outbound', false, 'ufw --form app, pfsense, opnsense, asterisk, freeswitch, vapi-trunk, livekit-trunk'],
    ['sourcePorts', false, 'ufw --form app, firewalld, aws, gcp, asterisk, freeswitch, vapi-trunk, livekit-trunk'],
    ['dualFamilyRule', false, 'iptables, aws, gcp, routeros'],
    ['statefulReturn', false, ''],
  ] as const)('%s %s: %s', (capability, has, expected) => {
    expect(targetsWith(TARGETS.map((t) => t.meta), capability, has)).toBe(expected);
  });
});
