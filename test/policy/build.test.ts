import { describe, expect, it } from 'vitest';
import { formatPrefix } from '../../src/net/cidr.js';
import { buildPolicy, type PolicyInput } from '../../src/policy/build.js';
import type { Term } from '../../src/policy/types.js';
import { DEFAULT_HOST, PBX_PRESETS } from '../../src/providers/pbx.js';
import { findBuiltinProvider } from '../../src/providers/registry.js';

const fly = findBuiltinProvider('flynumber');
const vapi = findBuiltinProvider('vapi');
const base: PolicyInput = { providers: [fly], host: DEFAULT_HOST, direction: 'in', families: [4, 6] };
const term = (terms: readonly Term[], name: string) => {
  const t = terms.find((x) => x.name === name);
  if (!t) throw new Error(`no term ${name} in ${terms.map((x) => x.name).join(', ')}`);
  return t;
};

describe('buildPolicy', () => {
  it('FlyNumber alone: SIP per transport from the /21, RTP to the documented range, with a note that the PBX must match', () => {
    const policy = buildPolicy(base);
    expect(policy.terms.map((t) => t.name)).toEqual(['flynumber-sip-udp-in-v4', 'flynumber-sip-tcp-in-v4', 'flynumber-media-udp-in-v4']);
    expect(term(policy.terms, 'flynumber-sip-tcp-in-v4').destinationPorts).toEqual([{ from: 5060, to: 5061 }]);
    expect(policy.host.rtp).toEqual([{ from: 16384, to: 32767 }]);
    expect(policy.warnings.join()).toMatch(/PBX's own RTP range must match/);
    expect(policy.subsumed.map((s) => formatPrefix(s.prefix))).toHaveLength(5);
    expect(policy.statefulReturn).toBe(true);
  });

  it('VAPI inbound media: udp, any source, source ports 40000-60000, destination the host RTP range', () => {
    const policy = buildPolicy({ ...base, providers: [vapi], host: PBX_PRESETS.asterisk!, direction: 'both' });
    const inbound = term(policy.terms, 'vapi-media-udp-in');
    expect(inbound).toMatchObject({ family: 'both', protocol: 'udp', sources: { kind: 'any' }, sourcePorts: [{ from: 40000, to: 60000 }], destinationPorts: [{ from: 10000, to: 20000 }] });
    const outbound = term(policy.terms, 'vapi-media-udp-out');
    expect(outbound).toMatchObject({ destinations: { kind: 'any' }, destinationPorts: [{ from: 40000, to: 60000 }], sourcePorts: [{ from: 10000, to: 20000 }] });
    expect(term(policy.terms, 'vapi-sip-udp-out-v4').destinationPorts).toEqual([{ from: 5060, to: 5060 }]);
  });

  it('VAPI without a PBX range refuses, naming --pbx and --rtp-ports', () => {
    expect(() => buildPolicy({ ...base, providers: [vapi] })).toThrow(/--rtp-ports: vapi state no RTP range .*--pbx asterisk\|freepbx\|freeswitch\|3cx/);
  });

  it('a preset overrides the provider instruction and says so', () => {
    const policy = buildPolicy({ ...base, host: PBX_PRESETS.asterisk! });
    expect(policy.host.rtp).toEqual([{ from: 10000, to: 20000 }]);
    expect(policy.notes.join()).toMatch(/FlyNumber documents RTP to 16384-32767; .* 10000-20000 is opened instead/);
  });

  it('--rtp-ports overrides the preset', () => {
    const policy = buildPolicy({ ...base, host: PBX_PRESETS['3cx']!, rtpPorts: [{ from: 30000, to: 30100 }] });
    expect(term(policy.terms, 'flynumber-media-udp-in-v4').destinationPorts).toEqual([{ from: 30000, to: 30100 }]);
    expect(policy.notes.join()).toMatch(/tunnel \(5090/);
  });

  it('a transport the PBX does not listen on is not opened; no shared transport is an error', () => {
    const tlsOnly = buildPolicy({ ...base, sipPorts: { tls: [5061] } });
    expect(tlsOnly.terms.filter((t) => t.role === 'sip').map((t) => t.name)).toEqual(['flynumber-sip-tcp-in-v4']);
    expect(term(tlsOnly.terms, 'flynumber-sip-tcp-in-v4').destinationPorts).toEqual([{ from: 5061, to: 5061 }]);
    expect(() => buildPolicy({ ...base, providers: [{ ...fly, sip: { ...fly.sip!, transports: { tls: 5061 } } }], sipPorts: { udp: [5060] } })).toThrow(/speaks SIP over tls only and the PBX listens on none of them; let the PBX listen on one, e.g. --sip-ports tls:5061/);
  });

  it('--family ipv6 with IPv4-only providers refuses instead of writing an empty firewall', () => {
    expect(() => buildPolicy({ ...base, families: [6] })).toThrow(/--family: no rule left for IPv6/);
  });

  it('the same provider twice is an error, no provider is an error', () => {
    expect(() => buildPolicy({ ...base, providers: [fly, fly] })).toThrow(/given twice/);
    expect(() => buildPolicy({ ...base, providers: [] })).toThrow(/no provider given/);
  });
});

describe('shared SIP and media sets', () => {
  it('one set when both roles collapse alike, each subsumed prefix reported once', () => {
    const raw = { ...fly, sip: { ...fly.sip!, addresses: [...fly.sip!.addresses, fly.sip!.gateways[0]!] } };
    const policy = buildPolicy({ ...base, providers: [{ ...raw, media: { ...raw.media!, addresses: raw.sip.addresses } }] });
    expect(policy.sets.map((s) => s.name)).toEqual(['flynumber_sipmedia_v4']);
    // Six inputs lie inside the /21: the five gateways and the first gateway listed again as an address.
    expect(policy.subsumed.map((s) => formatPrefix(s.prefix))).toHaveLength(6);
  });
});
