import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asteriskFindings, isPrivate, parseAsteriskConf } from '../../src/diagnose/pbx-config.js';
import { FIXTURES, runCli } from '../helpers/cli.js';

const tree = (name: string) => join(FIXTURES, 'pbx', name);
const config = (name: string, ...more: string[]) => runCli(['diagnose', 'config', '--config-dir', tree(name), ...more]);

describe('diagnose config: the PBX mistakes behind one-way audio', () => {
  it('a correct Asterisk NAT set-up: nothing wrong, exit 0, the RTP range from rtp.conf', async () => {
    const r = await config('asterisk-good');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('asterisk configuration in');
    expect(r.stdout).toContain('RTP 10000-20000 (rtp.conf rtpstart/rtpend); keepalive every 25 s (pjsip.conf [flynumber] qualify_frequency)');
    expect(r.stdout).toContain('No problems found.');
  });

  it('behind NAT without external addresses, endpoint defaults: every mistake named with its fix, exit 1', async () => {
    const r = await config('asterisk-nat');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1\. ERROR \(config\) pjsip\.conf \[transport-udp\]: no external_media_address behind NAT/);
    expect(r.stdout).toContain('the transport binds 10.0.0.5');
    expect(r.stdout).toContain('fix:  set external_media_address=<public address>');
    expect(r.stdout).toMatch(/WARNING \(config\) pjsip\.conf \[flynumber\]: direct_media=yes \(the default\) behind NAT/);
    expect(r.stdout).toMatch(/WARNING \(config\) pjsip\.conf \[flynumber\]: rtp_symmetric=no \(the default\)/);
    expect(r.stdout).toMatch(/INFO \(config\) pjsip\.conf \[flynumber\]: rewrite_contact=no/);
    expect(r.stdout).not.toMatch(/force_rport/);
    expect(r.stdout).toContain('RTP 16384-32767 (rtp.conf rtpstart/rtpend)\n');
  });

  it('a private external_media_address, and external addresses without local_net', async () => {
    const r = await config('asterisk-private-external', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; findings: Array<{ severity: string; title: string }> };
    expect(report.ok).toBe(false);
    const titles = report.findings.map((f) => `${f.severity} ${f.title}`);
    expect(titles[0]).toMatch(/^error .*external_media_address=192\.168\.1\.10 is a private address/);
    expect(titles.some((t) => /^warning .*without local_net/.test(t))).toBe(true);
    // The public signalling address is not reported; the endpoint is fine.
    expect(titles.some((t) => /external_signaling_address/.test(t))).toBe(false);
    expect(titles.some((t) => /direct_media|rtp_symmetric/.test(t))).toBe(false);
  });

  it('FreeSWITCH: a private external_rtp_ip, and the profile that carries it into the SDP', async () => {
    const r = await config('freeswitch-private');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('freeswitch configuration');
    expect(r.stdout).toContain('RTP 20000-30000 (switch.conf.xml rtp-start-port/rtp-end-port)');
    expect(r.stdout).toMatch(/ERROR \(config\) vars\.xml: external_rtp_ip=10\.0\.0\.5 is a private address/);
    expect(r.stdout).toMatch(/ERROR \(config\) sip_profiles\/external\.xml: ext-rtp-ip resolves to 10\.0\.0\.5/);
  });

  it('FreeSWITCH done right: comments are not settings; the built-in RTP default', async () => {
    const r = await config('freeswitch-good');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RTP 16384-32768 (FreeSWITCH\'s built-in default');
  });

  it('bad input: a missing folder, a file, a folder with no PBX config: one line, exit 2', async () => {
    for (const [dir, says] of [['/nonexistent-sipwall', 'cannot be read (ENOENT)'], [join(tree('asterisk-good'), 'rtp.conf'), 'is not a folder'], [join(FIXTURES, 'pbx'), 'holds no pjsip*.conf']] as const) {
      const r = await runCli(['diagnose', 'config', '--config-dir', dir]);
      expect(r.code, dir).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });

  it('diagnose firewall without a provider, a bad --address or --interface: one line, exit 2', async () => {
    for (const [argv, says] of [
      [['diagnose', 'firewall'], '--provider: no provider given'],
      [['diagnose', 'firewall', '-p', 'flynumber', '--address', '300.1.1.1'], '--address: "300.1.1.1" is not an IP address'],
      [['diagnose', 'firewall', '-p', 'flynumber', '--address', '192.0.2.1,192.0.2.2'], 'two IPv4 addresses'],
      [['diagnose', 'firewall', '-p', 'flynumber', '--interface', 'eth0;reboot'], 'is not an interface name'],
      [['diagnose', 'firewall', '-p', 'nosuch'], 'nosuch'],
      [['diagnose', 'everything'], '--part'],
      [['diagnose', 'call'], 'diagnose call: no capture given'],
      [['diagnose', 'nat'], 'diagnose nat: no responder given'],
      [['diagnose', 'nat', '--responder', '203.0.113.7:5060'], '--responder: "203.0.113.7:5060" is not HOST or HOST:PORT,PORT'],
      [['diagnose', 'nat', '--responder', '203.0.113.7:5060,5060'], 'two different UDP ports'],
      [['diagnose', 'nat', '--responder', '203.0.113.7', '--idle', '1s'], '--idle: "1s" is not a list'],
      [['diagnose', 'nat', '--responder', '203.0.113.7', '--idle', '10m'], '--idle'],
      [['diagnose', 'nat', '--responder', '203.0.113.7', '--keepalive', '1500ms'], '--keepalive: "1500ms" is not whole seconds'],
      [['diagnose', 'firewall', '-p', 'flynumber', '--responder', '203.0.113.7'], '--responder: is for diagnose nat'],
      [['diagnose', 'call', '/nonexistent/call.pcap'], 'capture /nonexistent/call.pcap: cannot be read (ENOENT)'],
      [['diagnose', 'call', join(FIXTURES, 'pbx', 'asterisk-good', 'rtp.conf')], 'not a pcap or pcapng file'],
      [['diagnose', 'call', 'a.pcap', '--live', '60s'], '--live: given with a capture file'],
      [['diagnose', 'call', '--live', '2h'], '--live: "2h" is outside 1s-10m'],
      [['diagnose', 'call', '--live', 'soon'], '--live: "soon" is not a duration'],
      [['diagnose', 'firewall', 'a.pcap', '-p', 'flynumber'], 'capture: is for diagnose call'],
      [['diagnose', 'call', 'a.pcap', 'b.pcap', 'c.pcap', 'd.pcap', 'e.pcap'], '5 files given'],
      [['diagnose', 'firewall', '-p', 'flynumber', '--ruleset', '/nonexistent/saved.nft'], '--ruleset /nonexistent/saved.nft: cannot be read (ENOENT)'],
      [['diagnose', 'firewall', '-p', 'flynumber', '--ruleset', 'pbx/asterisk-good/rtp.conf'], 'is not an nftables ruleset, iptables-save'],
      [['diagnose', 'config', '--config-dir', '/nonexistent-sipwall'], 'cannot be read'],
    ] as const) {
      const r = await runCli([...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });

  it('templates, `=>`, comments and a template loop parse; private ranges', () => {
    const s = parseAsteriskConf('p.conf', '[a](!,b)\nx => 1 ; note\n[b](!,a)\ny=2\n[c](a)\n');
    expect(s.map((x) => [x.name, x.template, x.inherits])).toEqual([['a', true, ['b']], ['b', true, ['a']], ['c', false, ['a']]]);
    expect(asteriskFindings([{ name: 'pjsip.conf', text: '[t](a)\ntype=transport\n[a](!,t)\n' }], { addresses: [] }).findings).toEqual([]);
    for (const a of ['10.1.2.3', '172.31.0.1', '192.168.0.1', '100.64.0.1', 'fd00::1']) expect(isPrivate(a), a).toBe(true);
    for (const a of ['203.0.113.5', '172.32.0.1', '2001:db8::1']) expect(isPrivate(a), a).toBe(false);
  });
});
