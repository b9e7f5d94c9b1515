/**
 * Calls made by real peers (sipp as UAC with `uac_pcap`, which plays G.711 RTP, and as UAS with
 * `-rtp_echo`), captured with tcpdump inside the test's namespaces, then read by
 * `sipwall diagnose call` as a user runs it: a clean call, a firewall that drops RTP inbound (the
 * rule named by replaying the flow against the PBX's live ruleset), a NAT that rewrites the
 * packets but not the SDP, and the kernel's SIP helper that rewrites the SDP (two captures).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseReportSchema } from '../../src/diagnose/report-schema.js';
import { Lab } from '../helpers/netns.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';
import { said } from '../helpers/output.js';

const skip = rootMissing() || toolsMissing('sipp', 'tcpdump', 'nft', 'ip', 'unshare');
const SIPP_PCAPS = '/usr/share/sip-tester';
/** The built CLI, as a user runs it. */
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sipwall-call-'));
  // uac_pcap plays pcap/g711a.pcap and pcap/dtmf_2833_1.pcap, relative to its folder.
  mkdirSync(join(dir, 'pcap'));
  if (!skip) for (const f of readdirSync(SIPP_PCAPS)) copyFileSync(join(SIPP_PCAPS, f), join(dir, 'pcap', f));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inNs(lab: Lab, host: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', lab.ns(host), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.on('exit', (code) => r(code))));

/** tcpdump on a host's interface, ready when it says it listens; stop() ends it and waits. */
async function capture(lab: Lab, host: string, file: string): Promise<() => Promise<void>> {
  const dev = lab.exec(host, 'ls /sys/class/net | grep -v lo | head -1').trim();
  const child = inNs(lab, host, ['tcpdump', '-i', dev, '--immediate-mode', '-U', '-n', '-s', '0', '-Z', 'root', '-w', join(dir, file), 'udp']);
  await said(child, 'listening on', 'tcpdump');
  return async () => {
    // The last packets (BYE, 200) may still be on their way to tcpdump (--immediate-mode: not in a kernel block).
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    await exited(child);
  };
}

/** One call: sipp UAS (echoes RTP) at `uas`, sipp UAC at `uac` playing 7 s of G.711. */
async function call(lab: Lab, uas: { host: string; address: string }, uac: { host: string; address: string }, target = uas.address): Promise<void> {
  // -m 1: the server ends after the call (killed with the lab otherwise); tests run side by side.
  const server = inNs(lab, uas.host, ['timeout', '40', 'sipp', '-sn', 'uas', '-i', uas.address, '-p', '5060', '-mp', '6000', '-rtp_echo', '-m', '1', '-nostdin']);
  await lab.listeningIn(uas.host, 5060, 'udp');
  const client = inNs(lab, uac.host, ['timeout', '40', 'sipp', '-sn', 'uac_pcap', `${target}:5060`, '-i', uac.address, '-p', '5070', '-mp', '7000', '-m', '1', '-l', '1', '-timeout', '30', '-timeout_error', '-nostdin']);
  expect(await exited(client)).toBe(0);
  server.kill();
  await exited(server);
}

/** pbx 192.0.2.10 and provider 198.51.100.10 on one link; the PBX's input chain holds `rules` (table inet fw). */
function firewalledPbx(rules: string[]): Lab {
  const lab = new Lab().add('pbx', 'provider');
  lab.link('pbx', ['192.0.2.10/24'], 'provider', ['198.51.100.10/24']);
  for (const host of ['pbx', 'provider']) lab.exec(host, 'ip route add default dev $(ls /sys/class/net | grep -v lo | head -1)');
  lab.exec('pbx', 'nft -f -', `table inet fw {\n  chain input {\n    type filter hook input priority 0; policy accept;\n${rules.map((r) => `    ${r}\n`).join('')}  }\n}\n`);
  return lab;
}

async function diagnose(lab: Lab, host: string, args: string[]) {
  const r = await lab.cli(host, ['diagnose', 'call', ...args.map((a) => (a.endsWith('.pcap') ? join(dir, a) : a)), '--json']);
  expect(r.stderr).toBe('');
  return { status: r.status, report: diagnoseReportSchema.parse(JSON.parse(r.stdout)) };
}

describe.skipIf(skip)('diagnose call: real calls, captured', () => {
  it.concurrent('a clean call: one dialog, RTP both ways, nothing wrong (exit 0)', async () => {
    const lab = new Lab().add('pbx', 'far');
    try {
      lab.link('pbx', ['192.0.2.10/24'], 'far', ['192.0.2.20/24']);
      const stop = await capture(lab, 'pbx', 'clean.pcap');
      await call(lab, { host: 'pbx', address: '192.0.2.10' }, { host: 'far', address: '192.0.2.20' });
      await stop();
      const { status, report } = await diagnose(lab, 'pbx', ['clean.pcap']);
      expect(report.findings).toEqual([]);
      expect(status).toBe(0);
      const c = report.calls![0]!;
      expect(c.dialogs).toHaveLength(1);
      expect(c.dialogs[0]).toMatchObject({ statuses: [180, 200], offer: { address: '192.0.2.20', port: 7000, codecs: ['PCMA', 'telephone-event'] }, answer: { address: '192.0.2.10', port: 6000 }, ack: true, bye: true });
      const toPbx = c.streams.filter((s) => s.destination === '192.0.2.10' && s.destinationPort === 6000).reduce((n, s) => n + s.packets, 0);
      const back = c.streams.filter((s) => s.destination === '192.0.2.20' && s.destinationPort === 7000).reduce((n, s) => n + s.packets, 0);
      expect(toPbx).toBeGreaterThan(200);
      expect(back).toBe(toPbx);
    } finally {
      lab.destroy();
    }
  }, 90_000);

  it.concurrent('the PBX firewall drops RTP inbound: one-way audio, the direction, the rule that drops it and the fix', async () => {
    const lab = firewalledPbx(['udp dport 5060 accept', 'udp dport 6000 drop']);
    try {
      const stop = await capture(lab, 'pbx', 'oneway.pcap');
      await call(lab, { host: 'pbx', address: '192.0.2.10' }, { host: 'provider', address: '198.51.100.10' });
      await stop();
      const { status, report } = await diagnose(lab, 'pbx', ['oneway.pcap', '-p', 'flynumber']);
      expect(status).toBe(1);
      const f = report.findings[0]!;
      expect(f.title).toMatch(/one-way audio: RTP reaches 192\.0\.2\.10:6000 \(the answering side\); none goes back to 198\.51\.100\.10:7000/);
      expect(f.evidence.join('\n')).toMatch(/RTP from 198\.51\.100\.10:7000 to 192\.0\.2\.10:6000: \d{3} packets/);
      expect(f.evidence.join('\n')).toContain("this host's firewall drops udp from 198.51.100.10:7000 to port 6000: rule 2 of chain input (table inet fw): udp dport 6000 drop");
      expect(f.fix).toBe('open it in the firewall: put the provider\'s accept rules before that rule: sipwall render -p flynumber --target nftables --into inet/fw/input --form shell');
      expect(report.parts[0]!.summary).toMatch(/1 unanswered flow replayed against nft list ruleset/);
      // `sipwall diagnose` with every part: the call's finding first, the firewall replay's after.
      const all = await lab.cli('pbx', ['diagnose', 'all', join(dir, 'oneway.pcap'), '-p', 'flynumber', '--pbx', 'asterisk']);
      expect(all.status).toBe(1);
      expect(all.stdout).toMatch(/^call: .*oneway\.pcap: 1 call, 2 RTP streams; 1 unanswered flow replayed/m);
      expect(all.stdout).toMatch(/^firewall: nft list ruleset replayed on /m);
      expect(all.stdout).toMatch(/^1\. ERROR \(call\) .*one-way audio/m);
      expect(all.stdout).toMatch(/WARNING \(firewall\) SIP ports? udp\/5060/);
    } finally {
      lab.destroy();
    }
  }, 90_000);

  it.concurrent('--live: sipwall captures while the call is placed (tcpdump -i any), then names the rule', async () => {
    const lab = firewalledPbx(['udp dport 6000 drop']);
    try {
      const cli = spawn('ip', ['netns', 'exec', lab.ns('pbx'), process.execPath, CLI, 'diagnose', 'call', '--live', '14s', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      cli.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "capturing" line: ${stderr}`)), 10_000);
        cli.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('place the test call now')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      // tcpdump needs a moment after it starts before it captures.
      await new Promise((r) => setTimeout(r, 1500));
      await call(lab, { host: 'pbx', address: '192.0.2.10' }, { host: 'provider', address: '198.51.100.10' });
      expect(await exited(cli)).toBe(1);
      expect(stderr).toBe('sipwall: capturing on every interface for 14 s: place the test call now\n');
      const report = diagnoseReportSchema.parse(JSON.parse(stdout));
      expect(report.parts[0]!.summary).toMatch(/^a 14 s live capture: 1 call, /);
      expect(report.findings[0]!.title).toMatch(/one-way audio: RTP reaches 192\.0\.2\.10:6000/);
      expect(report.findings[0]!.evidence.join('\n')).toContain('rule 1 of chain input (table inet fw): udp dport 6000 drop');
    } finally {
      lab.destroy();
    }
  }, 90_000);

  /** pbx 10.0.0.5 → nat (10.0.0.1 | 203.0.113.1, masquerade; SIP helper if `alg`) → provider 203.0.113.10. */
  function natLab(alg: boolean): Lab {
    const lab = new Lab().add('pbx', 'nat', 'provider');
    lab.link('pbx', ['10.0.0.5/24'], 'nat', ['10.0.0.1/24']);
    lab.link('nat', ['203.0.113.1/24'], 'provider', ['203.0.113.10/24']);
    lab.exec('pbx', 'ip route add default via 10.0.0.1');
    lab.exec('nat', 'sysctl -qw net.ipv4.ip_forward=1');
    const helper = alg ? ' ct helper sip5060 { type "sip" protocol udp; }\n chain pre { type filter hook prerouting priority filter; udp dport 5060 ct helper set "sip5060"; }\n' : '';
    lab.exec('nat', 'nft -f -', `table ip nat {\n${helper} chain post { type nat hook postrouting priority srcnat; ip saddr 10.0.0.0/24 masquerade; }\n}\n`);
    return lab;
  }

  it.concurrent('a NAT rewrites the packets but not the SDP: the private address advertised, and the public one to put there', async () => {
    const lab = natLab(false);
    try {
      const stop = await capture(lab, 'provider', 'nat.pcap');
      await call(lab, { host: 'provider', address: '203.0.113.10' }, { host: 'pbx', address: '10.0.0.5' });
      await stop();
      const { status, report } = await diagnose(lab, 'provider', ['nat.pcap']);
      expect(status).toBe(1);
      const f = report.findings.find((x) => /private/.test(x.title))!;
      expect(f.title).toMatch(/the offering side's SDP advertises 10\.0\.0\.5 \(private\) while its packets leave as 203\.0\.113\.1/);
      expect(f.fix).toContain('external_media_address=203.0.113.1');
      expect(report.calls![0]!.dialogs[0]!.offer).toMatchObject({ address: '10.0.0.5', by: '203.0.113.1' });
    } finally {
      lab.destroy();
    }
  }, 90_000);

  it.concurrent('the kernel SIP helper rewrites the SDP: two captures of one call show what changed in transit', async () => {
    const lab = natLab(true);
    try {
      const stops = [await capture(lab, 'pbx', 'alg-pbx.pcap'), await capture(lab, 'provider', 'alg-provider.pcap')];
      await call(lab, { host: 'provider', address: '203.0.113.10' }, { host: 'pbx', address: '10.0.0.5' });
      for (const stop of stops) await stop();
      // Outside alone, the helper's work looks right: c= is the public address.
      const outside = await diagnose(lab, 'provider', ['alg-provider.pcap']);
      expect(outside.report.calls![0]!.dialogs[0]!.offer).toMatchObject({ address: '203.0.113.1' });
      expect(outside.report.findings.filter((f) => /private/.test(f.title))).toEqual([]);
      const both = await diagnose(lab, 'provider', ['alg-pbx.pcap', 'alg-provider.pcap']);
      const f = both.report.findings.find((x) => /rewritten in transit/.test(x.title))!;
      expect(f.title).toMatch(/the offer says c=10\.0\.0\.5 m=audio 7000 in .*alg-pbx\.pcap and c=203\.0\.113\.1 m=audio \d+ in .*alg-provider\.pcap/);
      expect(f.fix).toMatch(/SIP ALG/);
      expect(both.status).toBe(1);
    } finally {
      lab.destroy();
    }
  }, 90_000);
});
