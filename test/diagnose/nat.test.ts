/**
 * diagnose nat as a user runs it: this host behind a NAT made by the test (nft masquerade, its
 * UDP conntrack timeouts set to 3 s so the binding timeout is measured in seconds), a sipwall
 * responder with --callback outside. Mapping type, port preservation and binding timeout against
 * the keepalive; a NAT that randomises ports per destination; no NAT at all.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseReportSchema } from '../../src/diagnose/report-schema.js';
import { Lab } from '../helpers/netns.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('nft', 'ip');

/** pbx 10.0.0.5 → nat (10.0.0.1 | 203.0.113.1) → outside 203.0.113.10 (the responder). */
async function natLab(masquerade: string | undefined): Promise<Lab> {
  const lab = new Lab().add('pbx', 'nat', 'outside');
  const inside = masquerade === undefined ? '203.0.113.5/24' : '10.0.0.5/24';
  lab.link('pbx', [inside], 'nat', [masquerade === undefined ? '203.0.113.1/24' : '10.0.0.1/24']);
  lab.link('nat', [masquerade === undefined ? '198.51.100.1/24' : '203.0.113.1/24'], 'outside', [masquerade === undefined ? '198.51.100.10/24' : '203.0.113.10/24']);
  lab.exec('pbx', `ip route add default via ${masquerade === undefined ? '203.0.113.1' : '10.0.0.1'}`);
  lab.exec('outside', `ip route add default via ${masquerade === undefined ? '198.51.100.1' : '203.0.113.1'}`);
  lab.exec('nat', 'sysctl -qw net.ipv4.ip_forward=1');
  if (masquerade !== undefined) {
    lab.exec('nat', 'nft -f -', `table ip nat {\n chain post { type nat hook postrouting priority srcnat; ip saddr 10.0.0.0/24 ${masquerade}; }\n}\n`);
    lab.exec('nat', 'sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3 net.netfilter.nf_conntrack_udp_timeout_stream=3');
  }
  await lab.startCli('outside', ['responder', '--sip', 'udp:5060,udp:5062', '--callback', '--bind', '0.0.0.0']);
  return lab;
}

async function diagnose(lab: Lab, responder: string, more: string[]) {
  const r = await lab.cli('pbx', ['diagnose', 'nat', '--responder', responder, '--idle', '2s,6s', ...more, '--json']);
  expect(r.stderr).toBe('');
  return { status: r.status, report: diagnoseReportSchema.parse(JSON.parse(r.stdout)) };
}

describe.skipIf(skip)('diagnose nat: the NAT in front of this host, measured', () => {
  it.concurrent('masquerade: endpoint-independent, port kept, the mapping gone between 2 s and 6 s; a 10 s keepalive is too slow', async () => {
    const lab = await natLab('masquerade');
    try {
      const { status, report } = await diagnose(lab, '203.0.113.10', ['--keepalive', '10s']);
      expect(report.nat).toMatchObject({ behindNat: true, mapping: 'endpoint-independent', portPreserved: true, binding: [{ idleSeconds: 1, alive: true }, { idleSeconds: 2, alive: true }, { idleSeconds: 6, alive: false }] });
      expect(report.nat!.mappings.every((m) => m.public?.startsWith('203.0.113.1:'))).toBe(true);
      const f = report.findings.find((x) => x.part === 'nat')!;
      expect(f.severity).toBe('warning');
      expect(f.title).toMatch(/forgets the mapping after more than 2 s and at most 6 s of silence; the PBX's keepalive every 10 s comes too late/);
      expect(f.fix).toContain('qualify_frequency=5');
      expect(status).toBe(1);
    } finally {
      lab.destroy();
    }
  }, 60_000);

  it.concurrent('masquerade random: a new public port per destination (address-and-port dependent); a 1 s keepalive keeps it', async () => {
    const lab = await natLab('masquerade random');
    try {
      const { report } = await diagnose(lab, '203.0.113.10:5060,5062', ['--keepalive', '1s']);
      expect(report.nat!.mapping).toBe('address-and-port-dependent');
      expect(report.findings.map((f) => f.title)).toEqual(expect.arrayContaining([expect.stringMatching(/address-and-port-dependent, "symmetric"/), expect.stringMatching(/at most 6 s of silence; the keepalive every 1 s keeps it/)]));
    } finally {
      lab.destroy();
    }
  }, 60_000);

  it.concurrent('no NAT: said so, nothing wrong (exit 0)', async () => {
    const lab = await natLab(undefined);
    try {
      const { status, report } = await diagnose(lab, '198.51.100.10', []);
      expect(report.nat).toMatchObject({ behindNat: false, mapping: 'endpoint-independent' });
      expect(report.findings).toEqual([]);
      expect(status).toBe(0);
    } finally {
      lab.destroy();
    }
  }, 60_000);

  it.concurrent('a responder without --callback: the timeout is said to be unmeasured, not short', async () => {
    const lab = new Lab().add('pbx', 'outside');
    try {
      lab.link('pbx', ['192.0.2.5/24'], 'outside', ['192.0.2.10/24']);
      await lab.startCli('outside', ['responder', '--sip', 'udp:5060,udp:5062', '--bind', '0.0.0.0']);
      const { report } = await diagnose(lab, '192.0.2.10', []);
      expect(report.findings.map((f) => f.title)).toEqual(['the NAT binding timeout was not measured: the responder did not resend its answer after 1 s']);
    } finally {
      lab.destroy();
    }
  }, 60_000);
});
