/**
 * `sipwall probe sip --as PROVIDER` (issue 18.4): the OPTIONS goes the way the forwarding will
 * (the URI's user, one transport: UDP unless said), the forwarding is linted, and the answer is
 * explained in the destination's terms. A UAS on loopback answers as each platform would
 * (LiveKit: 404 for a user that is not a trunk number; VAPI: 503 for a credential that is not a
 * BYO SIP trunk), found by name through a DNS server on loopback.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSipMessage, parseSipMessage } from '../../src/probe/sip-message.js';
import { copied } from '../../src/probe/uas.js';
import { runCli } from '../helpers/cli.js';
import { startFakeDns, type FakeDns } from '../helpers/dns-server.js';

const VAPI = 'a1b2c3d4-5678-90ab-cdef-1234567890ab.sip.vapi.ai';
const LIVEKIT = 'abcd1234.sip.livekit.cloud';
let uas: Socket;
let port = 0;
let dns: FakeDns;
const seen: string[] = [];

beforeAll(async () => {
  uas = createSocket('udp4');
  uas.on('message', (raw, from) => {
    let request;
    try {
      request = parseSipMessage(raw);
    } catch {
      request = undefined; // not SIP: no answer
    }
    if (request?.kind === 'request') answer(request, from);
  });
  const answer = (request: ReturnType<typeof parseSipMessage>, from: { address: string; port: number }) => {
    seen.push(request.uri ?? '');
    // LiveKit: a trunk with the number +17185301799 only; VAPI: a standard credential.
    const [status, reason] = request.uri!.includes(VAPI) ? [503, 'Service Unavailable'] : request.uri!.startsWith('sip:+17185301799@') ? [200, 'OK'] : [404, 'Not Found'];
    const reply = formatSipMessage({ kind: 'response', status, reason, headers: [...copied(request, { address: from.address, port: from.port }), { name: 'content-length', value: '0' }], body: '' });
    uas.send(reply, from.port, from.address);
  };
  await new Promise<void>((resolve) => uas.bind(0, '127.0.0.1', resolve));
  port = uas.address().port;
  dns = await startFakeDns([{ name: VAPI, type: 'A', data: '127.0.0.1' }, { name: LIVEKIT, type: 'A', data: '127.0.0.1' }] as never);
});

afterAll(async () => {
  uas.close();
  await dns.close();
});

const probe = (uri: string, ...more: string[]) => runCli(['probe', 'sip', uri, '--as', 'flynumber', '--dns-server', dns.server, '--timeout', '3000', '--json', ...more]);

describe('probe sip --as', () => {
  it('LiveKit: a username that is not a trunk number is linted and its 404 explained; the DID answers', async () => {
    const bad = JSON.parse((await probe(`sip:agent1@${LIVEKIT}:${port}`)).stdout);
    expect(bad.results.map((r: { transport: string; status: number }) => [r.transport, r.status])).toEqual([['udp', 404]]);
    expect(bad.forwarding).toMatchObject({ as: 'flynumber', platform: 'livekit', findings: [{ code: 'L_USERNAME_E164' }] });
    expect(bad.forwarding.explanations[0]).toMatch(/^LiveKit has no inbound trunk with the number agent1: the username must be a DID/);
    const good = JSON.parse((await probe(`sip:+17185301799@${LIVEKIT}:${port}`)).stdout);
    expect([good.results[0].status, good.forwarding.findings]).toEqual([200, []]);
    expect(seen).toContain(`sip:+17185301799@${LIVEKIT}:${port}`);
  });

  it("VAPI: 503 is explained as a credential that is not a BYO SIP trunk; the human report says it too", async () => {
    const run = await probe(`sip:+13025551234@${VAPI}:${port}`);
    const report = JSON.parse(run.stdout);
    expect([run.code, report.results[0].status, report.forwarding.platform, report.forwarding.findings]).toEqual([0, 503, 'vapi', []]);
    expect(report.forwarding.explanations[0]).toMatch(/^VAPI answered Service Unavailable: the credential in the domain is not a BYO SIP trunk/);
    const human = await runCli(['probe', 'sip', `sip:+13025551234@${VAPI}:${port}`, '--as', 'flynumber', '--dns-server', dns.server, '--timeout', '3000']);
    expect(human.stdout).toContain("as flynumber's forwarding to vapi:\n  udp ");
    expect(human.stdout).toContain('sipwall render --target vapi-trunk');
  });

  it('a target without a user, or an unknown provider, is refused before anything is sent', async () => {
    const before = seen.length;
    const noUser = await runCli(['probe', 'sip', `${LIVEKIT}:${port}`, '--as', 'flynumber', '--dns-server', dns.server]);
    expect([noUser.code, noUser.stderr]).toEqual([2, expect.stringContaining('has no user part: with --as it stands for a forwarding')]);
    const unknown = await runCli(['probe', 'sip', `sip:+17185301799@${LIVEKIT}:${port}`, '--as', 'nobody', '--dns-server', dns.server]);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown provider "nobody"')]);
    expect(seen.length).toBe(before);
  });
});
