/**
 * probe sip / probe rtp / responder over real sockets on loopback, run as a user runs them
 * (the CLI in-process): every outcome and its exit code, TLS verification, RFC 3263 through a
 * local DNS server, retransmission timing, concurrency, and the responder's own limits.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Responder } from '../../src/probe/responder.js';
import { formatSipMessage, parseSipMessage } from '../../src/probe/sip-message.js';
import { probeReportJsonSchema, rtpReportSchema, sipReportSchema } from '../../src/probe/report-schema.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { startFakeDns } from '../helpers/dns-server.js';
import { freePort } from '../helpers/ports.js';
import { said } from '../helpers/output.js';

const TLS = join(FIXTURES, 'tls');
const tmp = mkdtempSync(join(tmpdir(), 'sipwall-probe-'));

/** A UDP server that answers OPTIONS by a script: e.g. ignore the first, send 100 then 200. */
async function scriptedUdp(onRequest: (n: number, text: string, reply: (status: number) => void) => void): Promise<{ port: number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  let n = 0;
  socket.on('message', (bytes, rinfo) => {
    const req = parseSipMessage(bytes);
    onRequest(n++, bytes.toString('latin1'), (status) => {
      const res = formatSipMessage({ kind: 'response', status, reason: status === 100 ? 'Trying' : 'OK', headers: req.headers.filter((h) => ['via', 'from', 'to', 'call-id', 'cseq'].includes(h.name)), body: '' });
      socket.send(Buffer.from(res, 'latin1'), rinfo.port, rinfo.address);
    });
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { port: socket.address().port, close: () => socket.close() };
}

let sipPort = 0;
let tlsPort = 0;
let rtpFrom = 0;
const logs: string[] = [];
let responder: Responder;

beforeAll(async () => {
  sipPort = await freePort();
  tlsPort = await freePort();
  // 200 RTP ports in a row: a random block, another one if any of its ports is taken (bounded).
  for (let attempt = 0; ; attempt++) {
    rtpFrom = 20_000 + Math.floor(Math.random() * 200) * 200;
    responder = new Responder({
      sip: [{ transport: 'udp', port: sipPort }, { transport: 'tcp', port: sipPort }, { transport: 'tls', port: tlsPort }],
      rtp: { from: rtpFrom, to: rtpFrom + 199 },
      allow: undefined,
      host: '127.0.0.1',
      tls: { cert: readFileSync(join(TLS, 'server.pem'), 'utf8'), key: readFileSync(join(TLS, 'server.key'), 'utf8') },
      sipRate: 200,
      rtpRate: 50_000,
      log: (l) => logs.push(l),
    });
    try {
      await responder.start();
      break;
    } catch (error) {
      await responder.stop();
      if (attempt >= 20) throw error;
    }
  }
});
afterAll(() => responder.stop());

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown> & { results: Array<Record<string, unknown>> };

describe('probe sip on loopback', () => {
  it('answers over udp, tcp and tls (verified with --ca); the JSON matches the schema', async () => {
    const run = await runCli(['probe', 'sip', `127.0.0.1:${sipPort}`, '--json', '--timeout', '3000']);
    const tls = await runCli(['probe', 'sip', `127.0.0.1:${tlsPort}`, '--transport', 'tls', '--ca', join(TLS, 'ca.pem'), '--json']);
    expect(run.code, run.stderr).toBe(5); // udp and tcp answer; tls on the plain port: a TLS failure
    const report = sipReportSchema.parse(JSON.parse(run.stdout));
    expect(report.results.map((r) => [r.transport, r.outcome, r.status])).toEqual([['udp', 'answered', 200], ['tcp', 'answered', 200], ['tls', 'tls-failure', undefined]]);
    expect(report.results[0]).toMatchObject({ retransmissions: 0, server: expect.stringMatching(/^sipwall-responder\//), allow: ['OPTIONS'], nat: { behindNat: false }, alg: { checked: true, suspected: false } });
    expect(tls.code, tls.stderr).toBe(0);
    const secure = sipReportSchema.parse(JSON.parse(tls.stdout)).results[0]!;
    expect(secure).toMatchObject({ outcome: 'answered', tls: { verified: true, insecure: false, subject: 'CN=pbx.test', issuer: 'CN=sipwall test CA' } });
    expect(secure.tls!.daysToExpiry).toBeGreaterThan(3650);
    expect(logs.some((l) => l.startsWith('sip tls 127.0.0.1:'))).toBe(true);
  });

  it('TLS: an unverified certificate is a TLS failure (exit 5) unless --insecure, which says so', async () => {
    const strict = await runCli(['probe', 'sip', `127.0.0.1:${tlsPort}`, '--transport', 'tls', '--json']);
    expect(strict.code).toBe(5);
    expect(json(strict.stdout).results[0]).toMatchObject({ outcome: 'tls-failure', tls: { verified: false } });
    const insecure = await runCli(['probe', 'sip', `127.0.0.1:${tlsPort}`, '--transport', 'tls', '--insecure']);
    expect(insecure.code).toBe(0);
    expect(insecure.stdout).toMatch(/NOT verified \(.+\), --insecure/);
  });

  it('refused (exit 4) and timeout (exit 3) are told apart; UDP retransmits on T1 doubling', async () => {
    const closed = await freePort();
    const refused = await runCli(['probe', 'sip', `127.0.0.1:${closed}`, '--transport', 'udp', '--json']);
    expect(refused.code).toBe(4);
    expect(json(refused.stdout).results[0]!.outcome).toBe('refused');
    expect((await runCli(['probe', 'sip', `127.0.0.1:${closed}`, '--transport', 'tcp'])).code).toBe(4);

    const seen: number[] = [];
    const silent = await scriptedUdp(() => seen.push(performance.now()));
    const timeout = await runCli(['probe', 'sip', `127.0.0.1:${silent.port}`, '--transport', 'udp', '--timeout', '1700', '--json']);
    silent.close();
    expect(timeout.code).toBe(3);
    expect(json(timeout.stdout).results[0]).toMatchObject({ outcome: 'timeout', error: expect.stringMatching(/3 sends/) });
    // Sent at 0, 500 and 1500 ms.
    expect(seen).toHaveLength(3);
    expect(seen[1]! - seen[0]!).toBeGreaterThan(400);
    expect(seen[2]! - seen[1]!).toBeGreaterThan(900);
  });

  it('skips 1xx, counts retransmissions before the answer, and measures RTT from the first send', async () => {
    const server = await scriptedUdp((n, _text, reply) => {
      if (n === 0) return; // the first request is "lost"
      reply(100);
      reply(200);
    });
    const run = await runCli(['probe', 'sip', `127.0.0.1:${server.port}`, '--transport', 'udp', '--json']);
    server.close();
    expect(run.code).toBe(0);
    const r = json(run.stdout).results[0]!;
    expect(r).toMatchObject({ status: 200, retransmissions: 1, alg: { checked: false } });
    expect(r.rttMs as number).toBeGreaterThan(450);
  });

  it('a server that closes the connection without an answer is an error (exit 1); IPv6 works alike', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)));
    const run = await runCli(['probe', 'sip', `127.0.0.1:${port}`, '--transport', 'tcp', '--json']);
    server.close();
    expect(run.code).toBe(1);
    expect(json(run.stdout).results[0]).toMatchObject({ outcome: 'error', error: 'the server closed the connection without an answer' });

    const v6port = await freePort();
    const v6 = new Responder({ sip: [{ transport: 'udp', port: v6port }, { transport: 'tcp', port: v6port }], rtp: undefined, allow: undefined, host: '::1', sipRate: 20, rtpRate: 10, log: () => undefined });
    await v6.start();
    try {
      const answered = await runCli(['probe', 'sip', `[::1]:${v6port}`, '--transport', 'udp', '--json']);
      const overTcp = await runCli(['probe', 'sip', `sip:probe@[::1]:${v6port};transport=tcp`, '--json']);
      expect([answered.code, overTcp.code]).toEqual([0, 0]);
      expect(json(answered.stdout).results[0]).toMatchObject({ resolution: { address: '::1', family: 6 }, nat: { behindNat: false, local: expect.stringMatching(/^\[::1\]:\d+$/) } });
      expect(json(overTcp.stdout).results.map((r) => r.transport)).toEqual(['tcp']);
    } finally {
      await v6.stop();
    }
  });

  it('probes many targets at once: 1,000 silent targets take about one timeout', async () => {
    const server = await scriptedUdp(() => undefined);
    const file = join(tmp, 'hosts.txt');
    writeFileSync(file, `# silent\n${Array.from({ length: 1000 }, () => `127.0.0.1:${server.port}`).join('\n')}\n`);
    const run = await runCli(['probe', 'sip', '--targets', file, '--transport', 'udp', '--timeout', '1000', '--concurrency', '1000', '--json']);
    server.close();
    expect(run.code).toBe(3);
    expect(json(run.stdout).summary).toEqual({ probes: 1000, outcomes: { timeout: 1000 }, exitCode: 3 });
    // One at a time would take 1,000 timeouts (17 minutes) and hit this test's own limit; the
    // time itself is the benchmark's.
  }, 60_000);

  it('finds the server by NAPTR → SRV → A (RFC 3263), and a missing name is a DNS failure (exit 6)', async () => {
    const dns = await startFakeDns([
      { name: 'pbx.test', type: 'NAPTR', data: { order: 10, preference: 10, flags: 's', services: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.pbx.test' } },
      { name: 'pbx.test', type: 'NAPTR', data: { order: 20, preference: 10, flags: 's', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.pbx.test' } },
      { name: '_sip._udp.pbx.test', type: 'SRV', data: { priority: 10, weight: 5, port: sipPort, target: 'edge1.pbx.test' } },
      { name: '_sip._tcp.pbx.test', type: 'SRV', data: { priority: 10, weight: 5, port: sipPort, target: 'edge1.pbx.test' } },
      { name: 'edge1.pbx.test', type: 'A', data: '127.0.0.1' },
      { name: 'pbx.test', type: 'A', data: '127.0.0.1' },
    ] as never);
    try {
      const run = await runCli(['probe', 'sip', 'pbx.test', '--transport', 'udp', '--dns-server', dns.server, '--json']);
      expect(run.code, run.stdout).toBe(0);
      expect(json(run.stdout).results[0]!.resolution).toEqual({ address: '127.0.0.1', family: 4, port: sipPort, method: `NAPTR SIP+D2U → SRV _sip._udp.pbx.test → edge1.pbx.test:${sipPort} → A` });
      const tls = await runCli(['probe', 'sip', 'pbx.test', '--transport', 'tls', '--dns-server', dns.server, '--json']);
      expect(tls.code).toBe(6);
      expect(json(tls.stdout).results[0]).toMatchObject({ outcome: 'dns-failure', error: expect.stringMatching(/none for SIPS\+D2T/) });
      // TLS by name: SNI carries it, and the certificate is checked against it.
      const names: string[] = [];
      const sniServer = createTlsServer({ cert: readFileSync(join(TLS, 'server.pem'), 'utf8'), key: readFileSync(join(TLS, 'server.key'), 'utf8') }, (socket) => {
        names.push(socket.servername || '');
        socket.destroy();
      });
      const sniPort = await new Promise<number>((r) => sniServer.listen(0, '127.0.0.1', () => r((sniServer.address() as net.AddressInfo).port)));
      await runCli(['probe', 'sip', `pbx.test:${sniPort}`, '--transport', 'tls', '--ca', join(TLS, 'ca.pem'), '--dns-server', dns.server]);
      sniServer.close();
      expect(names).toEqual(['pbx.test']);
      const byName = await runCli(['probe', 'sip', `pbx.test:${tlsPort}`, '--transport', 'tls', '--ca', join(TLS, 'ca.pem'), '--dns-server', dns.server, '--json']);
      expect(json(byName.stdout).results[0]).toMatchObject({ outcome: 'answered', tls: { verified: true } });
      const wrongName = await runCli(['probe', 'sip', `edge1.pbx.test:${tlsPort}`, '--transport', 'tls', '--ca', join(TLS, 'ca.pem'), '--dns-server', dns.server, '--json']);
      expect(json(wrongName.stdout).results[0]).toMatchObject({ outcome: 'tls-failure', tls: { verified: false, verifyError: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
      const missing = await runCli(['probe', 'sip', 'nowhere.test', '--transport', 'udp', '--dns-server', dns.server]);
      expect(missing.code).toBe(6);
      expect(missing.stdout).toMatch(/DNS-FAILURE: nowhere\.test/);
    } finally {
      await dns.close();
    }
  });

  it('probe rtp, --ca and --targets refuse bad input with one line and exit 2, before sending anything', async () => {
    const notPem = join(tmp, 'not-a-cert.txt');
    writeFileSync(notPem, 'hello\n');
    const badList = join(tmp, 'bad-hosts.txt');
    writeFileSync(badList, '# one bad line among good ones\n127.0.0.1:5060\npbx.example.com:0\n');
    for (const args of [
      ['probe', 'rtp', '127.0.0.1', '--ports', '0-10'],
      ['probe', 'rtp', '127.0.0.1', '--ports', '20000-10000'],
      ['probe', 'rtp', '127.0.0.1', '--all', '--sample', '4'],
      ['probe', 'rtp', '127.0.0.1', '--interval', 'soon'],
      ['probe', 'rtp', '127.0.0.1', '--sip', 'sctp:5060'],
      ['probe', 'rtp', '127.0.0.1', '--sip', 'udp:5060,tcp:5060'],
      ['probe', 'rtp', '127.0.0.1', '--count', '0'],
      ['probe', 'rtp', 'sip:x@127.0.0.1'],
      ['probe', 'rtp', '127.0.0.1:5060'],
      ['probe', 'sip', '127.0.0.1', '--ca', join(tmp, 'missing.pem')],
      ['probe', 'sip', '127.0.0.1', '--ca', notPem],
      ['probe', 'sip', '--targets', join(tmp, 'missing.txt')],
      ['probe', 'sip', '--targets', badList],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stdout, args.join(' ')).toBe('');
    }
  });

  it('refuses bad input with one line and exit 2, before sending anything', async () => {
    for (const args of [['pbx.example.com:0'], ['pbx.example.com:70000'], ['sip:x@y;transport=sctp'], ['a\r\nb'], ['--transport', 'udp', 'sip:x@y;transport=tcp'], [], ['x.test', '--concurrency', '0'], ['x.test', '--dns-server', 'not-an-ip']]) {
      const run = await runCli(['probe', 'sip', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });
});

describe('probe rtp on loopback', () => {
  it('sweeps every port: the responder\'s ports open, the others "never arrived"', async () => {
    const run = await runCli(['probe', 'rtp', '127.0.0.1', '--ports', `${rtpFrom + 150}-${rtpFrom + 209}`, '--all', '--sip', `udp:${sipPort}`, '--wait', '300', '--json']);
    expect(run.code).toBe(3);
    const report = rtpReportSchema.parse(JSON.parse(run.stdout));
    expect(report.directionKnown).toBe(true);
    expect(report.ranges).toEqual([
      { from: rtpFrom + 150, to: rtpFrom + 199, verdict: 'open', probed: 50 },
      { from: rtpFrom + 200, to: rtpFrom + 209, verdict: 'never arrived', probed: 10 },
    ]);
  });

  it('samples ports with a stream each: loss 0, RTT and jitter measured; the summary reads at a glance', async () => {
    const run = await runCli(['probe', 'rtp', '127.0.0.1', '--ports', `${rtpFrom}-${rtpFrom + 199}`, '--sample', '4', '--count', '10', '--interval', '5ms', '--sip', `udp:${sipPort}`]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/sent 10, echoed 10, lost 0 \(responder got 10: 0 lost inbound, 0 on the way back\), dup 0, reordered 0, rtt [\d.]+\/[\d.]+\/[\d.]+ ms/);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^4\/4 ports open in [\d.]+ s \(exit 0\)$/);
  });

  it('finds the responder by its A record, not by a SIP SRV record that points elsewhere', async () => {
    const dns = await startFakeDns([
      { name: '_sip._udp.rtp.test', type: 'SRV', data: { priority: 1, weight: 1, port: sipPort, target: 'elsewhere.test' } },
      { name: 'elsewhere.test', type: 'A', data: '127.0.0.2' },
      { name: 'rtp.test', type: 'A', data: '127.0.0.1' },
    ] as never);
    try {
      const run = await runCli(['probe', 'rtp', 'rtp.test', '--ports', `${rtpFrom}-${rtpFrom + 9}`, '--sample', '2', '--count', '2', '--interval', '5ms', '--sip', `udp:${sipPort}`, '--dns-server', dns.server, '--json']);
      expect(run.code, run.stdout).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ address: '127.0.0.1', summary: { open: 2 } });
    } finally {
      await dns.close();
    }
  });

  it('the checked-in JSON Schema is the one the code generates', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'probe-result.schema.json'), 'utf8')).toBe(probeReportJsonSchema());
  });
});

describe('responder', () => {
  it('a tls listener without --tls-cert gets a self-signed certificate: --insecure reaches it, and says so', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs'), 'responder', '--sip', `tls:${port}`, '--bind', '127.0.0.1', '--duration', '20'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const output = await said(child, 'ready', 'responder');
      expect(output()).toMatch(/tls: no --tls-cert, so a self-signed certificate for CN=\S+ \(SHA-1 [0-9a-f:]+, 30 days\)/);
      expect((await runCli(['probe', 'sip', `127.0.0.1:${port}`, '--transport', 'tls'])).code).toBe(5);
      const insecure = await runCli(['probe', 'sip', `127.0.0.1:${port}`, '--transport', 'tls', '--insecure', '--json']);
      expect(insecure.code).toBe(0);
      expect(JSON.parse(insecure.stdout).results[0]).toMatchObject({ outcome: 'answered', tls: { verified: false, insecure: true, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('responder limits', () => {
  it('drops sources outside --allow, rate-limits each source, and never answers UDP more than 3x the request', async () => {
    const port = await freePort();
    const lines: string[] = [];
    // The clock stands still: the bucket never refills, so exactly the burst (2 x 5) is answered.
    const r = new Responder({ sip: [{ transport: 'udp', port }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 5, rtpRate: 10, clock: () => 0, log: (l) => lines.push(l) });
    await r.start();
    const socket = dgram.createSocket('udp4');
    let answers = 0;
    const sizes: number[] = [];
    socket.on('message', (b) => {
      answers++;
      sizes.push(b.length);
    });
    await new Promise<void>((res) => socket.bind(0, '127.0.0.1', () => res()));
    // A request as small as a plain client sends (sipsak-like): the answer must fit in 3x its size.
    const request = [
      'OPTIONS sip:probe@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bK1;rport',
      'From: <sip:a@127.0.0.1>;tag=1',
      'To: <sip:probe@127.0.0.1>',
      'Call-ID: 1@127.0.0.1',
      'CSeq: 1 OPTIONS',
      'Contact: <sip:a@127.0.0.1:1>',
      'Max-Forwards: 70',
      'X-Sipwall-Echo: digest',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await Promise.all(Array.from({ length: 50 }, () => new Promise((res) => socket.send(Buffer.from(request), port, '127.0.0.1', res))));
    // Then one request from another source (its own bucket): the responder handles datagrams in
    // order, so once this one is answered every earlier one has been handled.
    const sync = dgram.createSocket('udp4');
    await new Promise<void>((res) => sync.bind(0, '127.0.0.2', () => res()));
    await new Promise<void>((res) => {
      sync.once('message', () => res());
      sync.send(Buffer.from(request), port, '127.0.0.1');
    });
    await new Promise((res) => setImmediate(res));
    sync.close();
    socket.close();
    await r.stop();
    expect(answers).toBe(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3 * request.length);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);

    const allowed = new Responder({ sip: [{ transport: 'udp', port }], rtp: undefined, allow: [{ family: 4, network: 0xc6336400n, length: 24 }], host: '127.0.0.1', sipRate: 5, rtpRate: 10, log: (l) => lines.push(l) });
    await allowed.start();
    const run = await runCli(['probe', 'sip', `127.0.0.1:${port}`, '--transport', 'udp', '--timeout', '700']);
    await allowed.stop();
    expect(run.code).toBe(3);
    expect(lines.some((l) => /dropped \(not in --allow\)/.test(l))).toBe(true);
  });

  it('refuses bad responder flags with exit 2', async () => {
    for (const args of [['--sip', 'udp:0'], ['--sip', 'sctp:5060'], ['--tls-cert', 'cert.pem'], ['--allow', '10.0.0.1/8'], ['--rtp', '20000-10000'], ['--sip', 'udp:5060,udp:5060'], ['--sip', 'tls:5061', '--tls-cert', 'missing.pem', '--tls-key', 'missing.key'], ['--duration', 'abc'], ['--duration', '-5'], ['--tcp-per-source', '0'], ['--tcp-per-source', '1.5']]) {
      const run = await runCli(['responder', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

