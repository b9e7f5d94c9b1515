/**
 * Issue 17.4: a PBX behind a MikroTik is reached through dst-nat and chain=forward, never
 * chain=input. With --routeros-chain forward the script's dst-nat rules carry the source
 * restriction (MikroTik's default configuration drops new WAN connections in forward only when
 * they were not dst-natted), and forward accepts name the PBX. Checked by evaluating the script's
 * rules for packets from a provider and from a stranger.
 */
import { describe, expect, it } from 'vitest';
import { parseCidr, prefixesContain } from '../../src/net/cidr.js';
import { runCli } from '../helpers/cli.js';

const ARGS = ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--target', 'routeros'];

type Words = Record<string, string>;
/** The `add` lines of one menu (`/ip firewall nat`, …) as key=value maps. */
function adds(script: string, menu: string): Words[] {
  const out: Words[] = [];
  let current = '';
  for (const line of script.split('\n')) {
    if (line.startsWith('/')) current = line;
    else if (current === menu && line.startsWith('add ')) out.push(Object.fromEntries([...line.matchAll(/([a-z-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)].map((m) => [m[1]!, m[2]!])));
  }
  return out;
}

interface Packet {
  src: string;
  protocol: 'udp' | 'tcp';
  srcPort: number;
  dstPort: number;
}

const inRange = (spec: string | undefined, port: number) => spec === undefined || spec.split(',').some((r) => {
  const [a, b] = r.split('-').map(Number);
  return port >= a! && port <= (b ?? a!);
});

/** Whether a rule's match words cover a packet (address lists from the script, `dst` after NAT). */
function matches(rule: Words, p: Packet, dst: string, lists: Map<string, string[]>): boolean {
  const inList = (name: string | undefined, address: string) => name === undefined || prefixesContain((lists.get(name) ?? []).map((c) => parseCidr(c, 'test')), address);
  return rule.protocol === p.protocol && inList(rule['src-address-list'], p.src) && inList(rule['dst-address-list'], dst) && (rule['dst-address'] === undefined || rule['dst-address'] === dst) && inRange(rule['src-port'], p.srcPort) && inRange(rule['dst-port'], p.dstPort);
}

/** Where an inbound packet from WAN ends: dst-natted to the PBX and accepted, or left for the router's input chain. */
function fate(script: string, p: Packet): 'to the PBX' | 'not forwarded' {
  const lists = new Map<string, string[]>();
  for (const a of adds(script, '/ip firewall address-list')) lists.set(a.list!, [...(lists.get(a.list!) ?? []), a.address!]);
  const nat = adds(script, '/ip firewall nat').find((r) => r['in-interface-list'] === 'WAN' && matches(r, p, '203.0.113.1', lists));
  if (!nat) return 'not forwarded';
  const accepted = adds(script, '/ip firewall filter').some((r) => r.chain === 'forward' && r.action === 'accept' && matches(r, p, nat['to-addresses']!, lists));
  // MikroTik's default forward chain would pass a dst-natted packet anyway; sipwall's accept must match too.
  expect(accepted, JSON.stringify(p)).toBe(true);
  return 'to the PBX';
}

describe('routeros --routeros-chain forward', () => {
  it('provider flows are dst-natted to the PBX and accepted in forward; strangers are not forwarded', async () => {
    const run = await runCli(['render', ...ARGS, '--routeros-chain', 'forward', '--pbx-address', '192.168.88.10', '--family', 'ipv4']);
    expect(run.code, run.stderr).toBe(0);
    const script = run.stdout;
    expect(script).toContain('# Chain: forward, for the PBX at 192.168.88.10 behind this router');
    expect(script.split('\n').filter((l) => !l.startsWith('#')).join('\n')).not.toMatch(/chain=input/);
    const cases: Array<[Packet, string]> = [
      [{ src: '46.19.208.7', protocol: 'udp', srcPort: 5060, dstPort: 5060 }, 'to the PBX'],
      [{ src: '46.19.208.7', protocol: 'tcp', srcPort: 40000, dstPort: 5061 }, 'to the PBX'],
      [{ src: '44.229.228.186', protocol: 'udp', srcPort: 5060, dstPort: 5060 }, 'to the PBX'],
      [{ src: '198.51.100.9', protocol: 'udp', srcPort: 5060, dstPort: 5060 }, 'not forwarded'],
      [{ src: '198.51.100.9', protocol: 'tcp', srcPort: 5060, dstPort: 5061 }, 'not forwarded'],
      // VAPI sends RTP from any address, from ports 40000-60000: forwarded from there only.
      [{ src: '198.51.100.9', protocol: 'udp', srcPort: 45000, dstPort: 10500 }, 'to the PBX'],
      [{ src: '198.51.100.9', protocol: 'udp', srcPort: 1234, dstPort: 10500 }, 'not forwarded'],
      [{ src: '46.19.208.7', protocol: 'udp', srcPort: 1234, dstPort: 10500 }, 'to the PBX'],
    ];
    for (const [packet, expected] of cases) expect([packet, fate(script, packet)]).toEqual([packet, expected]);
  });

  it('input (the default) says so, and points to forward for a PBX behind the router', async () => {
    const run = await runCli(['render', ...ARGS]);
    expect(run.stdout).toContain('# Chain: input. These rules protect the router itself; for a PBX behind it, render with --routeros-chain forward --pbx-address ADDRESS.');
    expect(run.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n')).not.toMatch(/chain=forward|firewall nat/);
  });

  it.each([
    [['--routeros-chain', 'forward'], "--pbx-address: --routeros-chain forward needs the PBX's IPv4 address for the IPv4 rules"],
    [['--routeros-chain', 'forward', '--pbx-address', '192.168.88.10'], "--pbx-address: --routeros-chain forward needs the PBX's IPv6 address for the IPv6 rules; add it, e.g. --pbx-address 2001:db8::10, or use --family ipv4"],
    [['--pbx-address', '192.168.88.10'], '--pbx-address: is read with --routeros-chain forward only'],
    [['--routeros-chain', 'forward', '--pbx-address', 'pbx.example'], '--pbx-address: "pbx.example" is not an IP address'],
    [['--routeros-chain', 'forward', '--pbx-address', '192.168.88.10,192.168.88.11'], '--pbx-address: names two IPv4 addresses'],
  ])('%j is refused', async (extra, message) => {
    const run = await runCli(['render', ...ARGS, ...extra, '--out', 'out']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.written).toEqual([]);
  });
});
