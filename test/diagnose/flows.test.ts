import { describe, expect, it } from 'vitest';
import { flowsOf } from '../../src/diagnose/flows.js';
import { buildPolicy } from '../../src/policy/build.js';
import { findBuiltinProvider, findPbxPreset } from '../../src/providers/registry.js';

describe('the sampled flows', () => {
  it('FlyNumber + Asterisk: the gateways and the middle of the /21, each port range\'s edges and middle, a stranger per SIP port', () => {
    const flows = flowsOf(buildPolicy({ providers: [findBuiltinProvider('flynumber')], host: findPbxPreset('asterisk'), direction: 'in', families: [4, 6] }));
    const sip = flows.filter((f) => f.role === 'sip' && f.expect === 'accept');
    expect(new Set(sip.map((f) => f.source))).toEqual(new Set(['46.19.212.0', '46.19.209.14', '46.19.210.14', '46.19.212.14', '46.19.213.14', '46.19.214.14']));
    expect(new Set(flows.filter((f) => f.role === 'media').map((f) => f.destinationPort))).toEqual(new Set([10000, 15000, 20000]));
    expect(flows.filter((f) => f.expect === 'refuse').map((f) => `${f.protocol}/${f.destinationPort} ${f.source}`)).toEqual(['udp/5060 203.0.113.99', 'tcp/5060 203.0.113.99', 'tcp/5061 203.0.113.99']);
    expect(new Set(flows.map((f) => f.id)).size).toBe(flows.length);
  });

  it('no stranger on a port a provider opens to any address (VAPI media from anywhere, an RTP range over 5060)', () => {
    const flows = flowsOf(buildPolicy({ providers: [findBuiltinProvider('vapi')], host: findPbxPreset('asterisk'), rtpPorts: [{ from: 5000, to: 31_000 }], direction: 'in', families: [4, 6] }));
    const strangers = flows.filter((f) => f.expect === 'refuse').map((f) => `${f.protocol}/${f.destinationPort}`);
    expect(strangers).not.toContain('udp/5060');
    expect(strangers).toContain('tcp/5060');
  });
});
