/**
 * The prober's verdicts against real rules in network namespaces made here (documentation
 * addresses only): the foundation's generated nftables rules on a "pbx" running the responder;
 * a NAT namespace (masquerade) between a client and a server; and the kernel's SIP ALG (nftables
 * `ct helper` of type "sip") on that NAT, which only the responder's echo can reveal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { Lab } from '../helpers/netns.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('ip', 'nft', 'unshare');

let lab: Lab | undefined;
afterEach(() => lab?.destroy());

interface SipJson {
  results: Array<{ transport: string; outcome: string; nat?: { behindNat: boolean; public?: string; evidence: string }; alg?: { checked: boolean; suspected: boolean; diff: string[] } }>;
}

const PBX = '203.0.113.1';

describe.skipIf(skip)('probe verdicts match the firewall rules', () => {
  it('open ports answer, filtered ones time out, rejected ones are refused; RTP splits "never arrived" from "reply lost"', async () => {
    lab = new Lab().add('pbx', 'provider');
    lab.link('pbx', [`${PBX}/24`, '2001:db8:1::1/64'], 'provider', ['203.0.113.10/24', '2001:db8:1::10/64']);
    await lab.startCli('pbx', ['responder', '--sip', 'udp:5060,tcp:5060,tls:5061,udp:5070,tcp:5062', '--rtp', '20000-20100']);
    // The foundation's rules for the test trunk (RTP 20000-20050 only), as a user applies them.
    const run = await runCli(['render', '--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20050', '--target', 'nftables', '--form', 'shell']);
    expect(run.code, run.stderr).toBe(0);
    const script = join(mkdtempSync(join(tmpdir(), 'sipwall-probe-')), 'nft.sh');
    writeFileSync(script, run.stdout);
    lab.exec('pbx', `sh ${script}`);
    // A reject for udp 5070 ahead of sipwall's rules, and the return path of one RTP port cut.
    lab.exec('pbx', 'nft -f -', 'table inet t {\n chain i { type filter hook input priority -10; udp dport 5070 reject; }\n chain o { type filter hook output priority 0; udp sport 20045 drop; }\n}\n');

    const sip = await lab.cli('provider', ['probe', 'sip', `${PBX}:5060`, '--transport', 'udp', '--json']);
    expect(sip.status, sip.stderr).toBe(0);
    const tcp = await lab.cli('provider', ['probe', 'sip', `${PBX}:5060`, '--transport', 'tcp', '--json']);
    expect((JSON.parse(tcp.stdout) as SipJson).results[0]!.outcome).toBe('answered');
    // TLS (the responder's self-signed certificate) and IPv6 pass the same rules.
    const tls = await lab.cli('provider', ['probe', 'sip', PBX, '--transport', 'tls', '--insecure', '--json']);
    expect((JSON.parse(tls.stdout) as SipJson).results[0]!.outcome).toBe('answered');
    const v6 = await lab.cli('provider', ['probe', 'sip', '[2001:db8:1::1]:5060', '--transport', 'udp', '--json']);
    expect((JSON.parse(v6.stdout) as SipJson).results[0]!.outcome).toBe('answered');
    const filtered = await lab.cli('provider', ['probe', 'sip', `${PBX}:5062`, '--transport', 'tcp', '--timeout', '1500', '--json']);
    expect(filtered.status).toBe(3);
    expect((JSON.parse(filtered.stdout) as SipJson).results[0]!.outcome).toBe('timeout');
    const rejected = await lab.cli('provider', ['probe', 'sip', `${PBX}:5070`, '--transport', 'udp', '--timeout', '1500', '--json']);
    expect(rejected.status).toBe(4);
    expect((JSON.parse(rejected.stdout) as SipJson).results[0]!.outcome).toBe('refused');

    const rtp = await lab.cli('provider', ['probe', 'rtp', PBX, '--ports', '20040-20060', '--all', '--sip', 'udp:5060', '--wait', '300', '--json']);
    expect(rtp.status).toBe(3);
    expect(JSON.parse(rtp.stdout).ranges).toEqual([
      { from: 20040, to: 20044, verdict: 'open', probed: 5 },
      { from: 20045, to: 20045, verdict: 'reply lost', probed: 1 },
      { from: 20046, to: 20050, verdict: 'open', probed: 5 },
      { from: 20051, to: 20060, verdict: 'never arrived', probed: 10 },
    ]);
    // A call-like stream to the port whose replies are dropped: all arrived, none came back.
    const stream = await lab.cli('provider', ['probe', 'rtp', PBX, '--ports', '20045-20045', '--sample', '1', '--count', '5', '--interval', '5ms', '--sip', 'udp:5060', '--json']);
    expect(JSON.parse(stream.stdout).ports[0]).toMatchObject({ verdict: 'reply lost', received: 5, stats: { sent: 5, echoed: 0 } });
  });
});

describe.skipIf(skip)('NAT and SIP ALG', () => {
  /** client 198.51.100.2 → nat (198.51.100.1 | 203.0.113.1, masquerade) → server 203.0.113.10. */
  async function natLab(helper: boolean, responder = true): Promise<Lab> {
    lab = new Lab().add('client', 'nat', 'server');
    lab.link('client', ['198.51.100.2/24'], 'nat', ['198.51.100.1/24']);
    lab.link('nat', ['203.0.113.1/24'], 'server', ['203.0.113.10/24']);
    lab.exec('client', 'ip route add default via 198.51.100.1');
    lab.exec('nat', 'sysctl -qw net.ipv4.ip_forward=1');
    const alg = helper
      ? ' ct helper sip5060 { type "sip" protocol udp; }\n chain pre { type filter hook prerouting priority filter; udp dport 5060 ct helper set "sip5060"; }\n'
      : '';
    lab.exec('nat', 'nft -f -', `table ip nat {\n${alg} chain post { type nat hook postrouting priority srcnat; ip saddr 198.51.100.0/24 masquerade; }\n}\n`);
    if (responder) await lab.startCli('server', ['responder', '--sip', 'udp:5060,tcp:5060']);
    return lab;
  }

  it('reports "behind NAT" with the public address the server saw', async () => {
    const l = await natLab(false);
    for (const transport of ['udp', 'tcp']) {
      const run = await l.cli('client', ['probe', 'sip', '203.0.113.10', '--transport', transport, '--json']);
      expect(run.status, run.stderr).toBe(0);
      const r = (JSON.parse(run.stdout) as SipJson).results[0]!;
      expect(r.nat).toMatchObject({ behindNat: true, public: expect.stringMatching(/^203\.0\.113\.1:\d+$/) });
      expect(r.alg).toEqual({ checked: true, suspected: false, diff: [] });
    }
    const human = await l.cli('client', ['probe', 'sip', '203.0.113.10', '--transport', 'udp']);
    expect(human.stdout).toMatch(/behind NAT: public address 203\.0\.113\.1:\d+ \(local 198\.51\.100\.2:\d+; as the responder saw it\)/);
  });

  it('reveals the kernel SIP ALG, which rewrites the request and hides it in the reply', async () => {
    const l = await natLab(true);
    const run = await l.cli('client', ['probe', 'sip', '203.0.113.10', '--transport', 'udp', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const r = (JSON.parse(run.stdout) as SipJson).results[0]!;
    expect(r.alg!.suspected).toBe(true);
    expect(r.alg!.diff.join('\n')).toMatch(/198\.51\.100\.2.* → .*203\.0\.113\.1/);
    // Issue 11.5: the ALG rewrites the reply's Via received back to the private address; the
    // responder's own report of the source it saw still shows the NAT.
    expect(r.nat).toMatchObject({ behindNat: true, public: expect.stringMatching(/^203\.0\.113\.1:\d+$/), evidence: 'echo' });
    const human = await l.cli('client', ['probe', 'sip', '203.0.113.10', '--transport', 'udp']);
    expect(human.stdout).toMatch(/SIP ALG suspected/);
    expect(human.stdout).toMatch(/behind NAT: public address 203\.0\.113\.1:\d+ \(local 198\.51\.100\.2:\d+; as the responder saw it\)/);
  });

  it.skipIf(toolsMissing('sipp'))('against a server that does not echo (sipp), says the ALG was not checked', async () => {
    const l = await natLab(true, false);
    const sipp = l.spawnIn('server', ['sipp', '-sf', join(import.meta.dirname, '..', 'fixtures', 'sipp', 'options-uas.xml'), '-i', '203.0.113.10', '-p', '5060', '-t', 'u1', '-m', '1', '-nostdin', '-timeout', '20s']);
    await l.listeningIn('server', 5060, 'udp');
    const human = await l.cli('client', ['probe', 'sip', '203.0.113.10', '--transport', 'udp']);
    sipp.kill('SIGKILL');
    expect(human.stdout, human.stderr).toMatch(/SIP ALG: not checked \(the far end does not echo the request; run sipwall responder there\)/);
  });
});
