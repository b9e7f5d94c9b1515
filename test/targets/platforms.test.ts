/**
 * The AI platforms' bodies checked against the vendors' own published definitions (issue 18.1):
 * the VAPI credential type-checked by tsc against @vapi-ai/server-sdk's types (an object literal:
 * a field the type lacks is an error too), the LiveKit trunk and dispatch rule parsed by
 * livekit-server-sdk's protobuf messages (fromJson refuses an unknown field). Each check is shown
 * to fail on a body that is wrong in one field.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { SIPDispatchRuleInfo, SIPInboundTrunkInfo } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function files(args: string[]): Promise<Map<string, string>> {
  const r = await runCli(['render', ...args, '--out', 'out']);
  expect(r.stderr).not.toMatch(/sipwall: (?!warning|wrote)/);
  return new Map(r.written.map((f) => [f.name, f.content]));
}

/**
 * tsc's errors for each body as a VAPI BYO SIP trunk credential: one program (the SDK's types load
 * once), a file in memory resolved from the project, each error given to the body it lies in.
 */
function vapiTypeErrors(bodies: readonly string[]): string[][] {
  const file = join(ROOT, 'test', 'targets', '__vapi_body__.ts');
  const head = "import type { Vapi } from '@vapi-ai/server-sdk';\ntype Body = Vapi.CreateByoSipTrunkCredentialDto & { provider: Vapi.ByoSipTrunkCredentialProvider };\n";
  const spans: Array<[number, number]> = [];
  let text = head;
  bodies.forEach((b, i) => {
    const declaration = `export const body${i}: Body = ${b};\n`;
    spans.push([text.length, text.length + declaration.length]);
    text += declaration;
  });
  const options: ts.CompilerOptions = { strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (name === file ? ts.createSourceFile(name, text, version) : read(name, version));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || exists(name);
  const program = ts.createProgram([file], options, host);
  const errors = bodies.map((): string[] => []);
  for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(file))) {
    const i = spans.findIndex(([from, to]) => (d.start ?? -1) >= from && (d.start ?? -1) < to);
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (i === -1) throw new Error(`outside every body: ${message}`);
    errors[i]!.push(message);
  }
  return errors;
}

describe('vapi-trunk', () => {
  it("the credential body type-checks against @vapi-ai/server-sdk's types, and a wrong field does not", async () => {
    const bodies = [
      (await files(['--target', 'vapi-trunk', '-p', 'flynumber', '--number', '+13025551234'])).get('vapi-credential.json')!,
      (await files(['--target', 'vapi-trunk', '--profile', 'test-trunk.yaml', '--family', 'ipv4', '--number', '+13025551234'])).get('vapi-credential.json')!,
    ];
    expect(JSON.parse(bodies[1]!).gateways).toEqual([{ ip: '203.0.113.10', inboundEnabled: true, outboundEnabled: false, optionsPingEnabled: true }]);
    const wrong = [
      bodies[0]!.replace('"inboundEnabled": true', '"inboundEnabled": "yes"'),
      bodies[0]!.replace('"optionsPingEnabled": true', '"optionsPing": true'),
      bodies[0]!.replace('"byo-sip-trunk"', '"byo-sip"'),
      bodies[0]!.replace('"gateways"', '"gateway"'),
    ];
    const errors = vapiTypeErrors([...bodies, ...wrong]);
    expect(errors.slice(0, bodies.length)).toEqual(bodies.map(() => []));
    for (const [i, w] of wrong.entries()) expect(errors[bodies.length + i]!.length, w.slice(0, 80)).toBeGreaterThan(0);
  }, 120_000);

  it('the forwarding settings name the credential domain, each number, the port and the transport', async () => {
    const text = (await files(['--target', 'vapi-trunk', '-p', 'flynumber', '--number', '+13025551234,+13025551235', '--vapi-credential', 'a1b2c3d4-5678-90ab-cdef-1234567890ab'])).get('forwarding.txt')!;
    for (const n of ['+13025551234', '+13025551235']) {
      expect(text).toContain(`Username: ${n}   Domain: a1b2c3d4-5678-90ab-cdef-1234567890ab.sip.vapi.ai   Port: 5060   Transport: UDP`);
    }
    expect(text).not.toContain('<credential-id>');
    // The gateways are listed here: the firewall's note that they get "no rules of their own" is not.
    expect(text).toContain('  46.19.209.14\n');
    expect(text).not.toContain('no rules of their own');
  });

  it('a number not in E.164, or a credential id that is not a UUID, is refused', async () => {
    for (const args of [['--number', '13025551234'], ['--number', '+0302555'], ['--number', '+1302555123456789'], ['--number', '+13025551234', '--vapi-credential', 'trunk']]) {
      const r = await runCli(['render', '--target', 'vapi-trunk', '-p', 'flynumber', ...args, '--out', 'out']);
      expect([args, r.code, r.written]).toEqual([args, 2, []]);
    }
  });
});

describe('livekit-trunk', () => {
  it("the trunk and the dispatch rule parse as livekit-server-sdk's messages, and a wrong field does not", async () => {
    const out = await files(['--target', 'livekit-trunk', '--profile', 'test-trunk.yaml', '-p', 'flynumber', '--number', '+17185301799', '--lock-addresses', '--room-prefix', 'fly-']);
    const trunk = JSON.parse(out.get('livekit-inbound-trunk.json')!) as { trunk: Record<string, unknown> };
    const rule = JSON.parse(out.get('livekit-dispatch-rule.json')!) as { dispatchRule: Record<string, unknown> };
    expect(Object.keys(trunk)).toEqual(['trunk']);
    expect(Object.keys(rule)).toEqual(['dispatchRule']);
    const info = SIPInboundTrunkInfo.fromJson(trunk.trunk as never);
    expect([info.numbers, [...info.allowedAddresses].sort()]).toEqual([['+17185301799'], ['2001:db8:1::/64', '203.0.113.8/29', '46.19.208.0/21']]);
    const dispatch = SIPDispatchRuleInfo.fromJson(rule.dispatchRule as never);
    expect(dispatch.rule?.rule.case).toBe('dispatchRuleIndividual');
    expect(dispatch.rule?.rule.value).toMatchObject({ roomPrefix: 'fly-' });
    expect(() => SIPInboundTrunkInfo.fromJson({ ...trunk.trunk, allowedAddress: [] } as never)).toThrow();
    expect(() => SIPDispatchRuleInfo.fromJson({ ...rule.dispatchRule, rule: { dispatchRuleSingle: { roomPrefix: 'x' } } } as never)).toThrow();
  });

  it('a room prefix that is not a plain word, or a LiveKit flag given to another target, is refused, nothing written', async () => {
    for (const args of [['--room-prefix', 'call me/'], ['--room-prefix', 'x'.repeat(33)]]) {
      const r = await runCli(['render', '--target', 'livekit-trunk', '-p', 'flynumber', '--number', '+17185301799', ...args, '--out', 'out']);
      expect([args, r.code, r.written, r.stderr]).toEqual([args, 2, [], expect.stringMatching(/^sipwall: --room-prefix: .* is not a room name prefix; /)]);
    }
    const other = await runCli(['render', '--target', 'vapi-trunk', '-p', 'flynumber', '--number', '+13025551234', '--lock-addresses', '--out', 'out']);
    expect([other.code, other.written, other.stderr]).toEqual([2, [], expect.stringContaining('--lock-addresses: applies to target livekit-trunk, not vapi-trunk')]);
  });

  it('without --number the trunk holds no numbers, so --lock-addresses is needed; neither is a named error', async () => {
    const out = await files(['--target', 'livekit-trunk', '-p', 'flynumber', '--lock-addresses']);
    expect(JSON.parse(out.get('livekit-inbound-trunk.json')!)).toEqual({ trunk: { name: 'sipwall flynumber', allowedAddresses: ['46.19.208.0/21'] } });
    const r = await runCli(['render', '--target', 'livekit-trunk', '-p', 'flynumber', '--out', 'out']);
    expect([r.code, r.written]).toEqual([2, []]);
    expect(r.stderr).toContain('wildcard trunk, which LiveKit rejects');
  });

  it('an AI platform says nothing of RTP: no --pbx needed, no RTP warning, no media term read', async () => {
    const r = await runCli(['render', '--target', 'livekit-trunk', '-p', 'vapi', '--number', '+17185301799', '--out', 'out']);
    expect([r.code, r.stderr.match(/warning: .*RTP.*/g)]).toEqual([0, null]);
    expect(r.written.find((f) => f.name === 'livekit.sh')!.content).toContain('; RTP none\n');
    // A firewall in the same run still needs the PBX's range.
    const both = await runCli(['render', '--target', 'nftables', '-p', 'vapi']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('--rtp-ports: vapi state no RTP range')]);
  });
});
