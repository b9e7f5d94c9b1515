/**
 * On the wire: a "pbx", a "provider" inside the test profile's range and a "stranger" outside it,
 * each a network namespace made here. The generated rules are applied on the pbx and real UDP
 * and TCP sockets show what passes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { Lab } from '../helpers/netns.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('ip', 'nft', 'iptables', 'ip6tables', 'unshare');

const PBX_V4_FOR_PROVIDER = '203.0.113.1';
const PBX_V6_FOR_PROVIDER = '2001:db8:1::1';
const PBX_V4_FOR_STRANGER = '198.51.100.1';
/** SIP udp/tcp, TLS port, one RTP port inside --rtp-ports, one outside, one TCP port never opened. */
const PORTS = ['udp:5060', 'tcp:5060', 'tcp:5061', 'udp:20050', 'udp:30000', 'tcp:5062'];
const OPEN_FOR_PROVIDER = { 'udp:5060': 'open', 'tcp:5060': 'open', 'tcp:5061': 'open', 'udp:20050': 'open', 'udp:30000': 'no answer', 'tcp:5062': 'no answer' };
const ALL_BLOCKED = Object.fromEntries(PORTS.map((p) => [p, 'no answer']));

let lab: Lab | undefined;
afterEach(() => lab?.destroy());

async function makeLab(): Promise<Lab> {
  lab = new Lab().add('pbx', 'provider', 'stranger');
  lab.link('pbx', [`${PBX_V4_FOR_PROVIDER}/24`, `${PBX_V6_FOR_PROVIDER}/64`], 'provider', ['203.0.113.10/24', '2001:db8:1::10/64']);
  lab.link('pbx', [`${PBX_V4_FOR_STRANGER}/24`, '2001:db8:2::1/64'], 'stranger', ['198.51.100.20/24', '2001:db8:2::20/64']);
  await lab.listen('pbx', PORTS);
  return lab;
}

/** Renders the shell form with the CLI, as a user would, and returns the script's path. */
async function script(target: string, extra: string[]): Promise<string> {
  const run = await runCli(['render', '--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20100', '--target', target, '--form', 'shell', ...extra]);
  expect(run.code, run.stderr).toBe(0);
  const path = join(mkdtempSync(join(tmpdir(), 'sipwall-e2e-')), `${target}.sh`);
  writeFileSync(path, run.stdout);
  return path;
}

function expectProviderOnly(l: Lab) {
  expect(l.probe('provider', PBX_V4_FOR_PROVIDER, PORTS)).toEqual(OPEN_FOR_PROVIDER);
  expect(l.probe('provider', PBX_V6_FOR_PROVIDER, PORTS)).toEqual(OPEN_FOR_PROVIDER);
  expect(l.probe('stranger', PBX_V4_FOR_STRANGER, PORTS)).toEqual(ALL_BLOCKED);
  expect(l.probe('stranger', '2001:db8:2::1', PORTS)).toEqual(ALL_BLOCKED);
}

describe.skipIf(skip)('generated rules on the wire', () => {
  it('without rules everything answers (the lab itself works)', async () => {
    const l = await makeLab();
    const open = { ...OPEN_FOR_PROVIDER, 'udp:30000': 'open', 'tcp:5062': 'open' };
    expect(l.probe('provider', PBX_V4_FOR_PROVIDER, PORTS)).toEqual(open);
    expect(l.probe('stranger', PBX_V4_FOR_STRANGER, PORTS)).toEqual(open);
  });

  it('nftables standalone: the provider reaches SIP and RTP, the stranger nothing', async () => {
    const l = await makeLab();
    l.exec('pbx', `sh ${await script('nftables', [])}`);
    expectProviderOnly(l);
  });

  it('iptables standalone: the provider reaches SIP and RTP, the stranger nothing', async () => {
    const l = await makeLab();
    l.exec('pbx', `sh ${await script('iptables', [])}`);
    expectProviderOnly(l);
  });

  it.each(['nftables', 'iptables'])('%s --direction both: the PBX reaches the provider\'s SIP and nobody else', async (target) => {
    const l = await makeLab();
    await l.listen('provider', ['udp:5060', 'tcp:5060', 'tcp:22']);
    await l.listen('stranger', ['udp:5060', 'tcp:5060']);
    l.exec('pbx', `sh ${await script(target, ['--direction', 'both'])}`);
    expect(l.probe('pbx', '203.0.113.10', ['udp:5060', 'tcp:5060', 'tcp:22'])).toEqual({ 'udp:5060': 'open', 'tcp:5060': 'open', 'tcp:22': expect.stringMatching(/no answer|refused/) });
    const stranger = l.probe('pbx', '198.51.100.20', ['udp:5060', 'tcp:5060']);
    for (const verdict of Object.values(stranger)) expect(verdict).toMatch(/no answer|refused/);
    // Inbound still works with output filtered: replies leave as return traffic.
    expect(l.probe('provider', PBX_V4_FOR_PROVIDER, PORTS)).toEqual(OPEN_FOR_PROVIDER);
  });

  it('nftables: a separate accept-only table opens nothing under a default-drop ruleset; --into does', async () => {
    const l = await makeLab();
    // A typical host ruleset: default drop, return traffic, loopback, ICMPv6 (neighbour discovery).
    const own = 'table inet filter {\n chain input { type filter hook input priority filter; policy drop; ct state established,related accept; iif "lo" accept; meta l4proto ipv6-icmp accept; }\n}\n';
    l.exec('pbx', 'nft -f -', own);
    expect(l.probe('provider', PBX_V4_FOR_PROVIDER, PORTS)).toEqual(ALL_BLOCKED);
    // What a naive generator writes: its own table, policy accept, an accept rule that runs first.
    const naive = 'table inet naive {\n chain input { type filter hook input priority filter - 10; policy accept; ip saddr 203.0.113.8/29 accept; }\n}\n';
    l.exec('pbx', 'nft -f -', naive);
    expect(l.probe('provider', PBX_V4_FOR_PROVIDER, PORTS)).toEqual(ALL_BLOCKED);
    l.exec('pbx', 'nft delete table inet naive');
    l.exec('pbx', `sh ${await script('nftables', ['--into', 'inet/filter/input'])}`);
    expectProviderOnly(l);
    expect(l.exec('pbx', 'nft list table inet filter')).toMatch(/policy drop/);
  });

  it('iptables --into INPUT on top of an existing default-drop INPUT', async () => {
    const l = await makeLab();
    for (const cmd of ['iptables', 'ip6tables']) {
      l.exec('pbx', `${cmd} -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT && ${cmd} -A INPUT -i lo -j ACCEPT && ${cmd} -P INPUT DROP`);
    }
    // ip6tables also needs neighbour discovery to reach the PBX at all.
    l.exec('pbx', 'ip6tables -A INPUT -p ipv6-icmp -j ACCEPT');
    expect(l.probe('provider', PBX_V4_FOR_PROVIDER, PORTS)).toEqual(ALL_BLOCKED);
    l.exec('pbx', `sh ${await script('iptables', ['--into', 'INPUT'])}`);
    expectProviderOnly(l);
    expect(l.exec('pbx', 'iptables -S INPUT')).toMatch(/^-P INPUT DROP/m);
  });

  // Issue 11.6: sipwall's chain accepts return traffic of the providers' flows only; a ban the
  // admin places after sipwall's jump still stops a stranger's established connection.
  it.each([
    ['nftables', 'inet/filter/input', 'nft -f - <<X\ntable inet filter {\n chain input { type filter hook input priority filter; policy drop; iif "lo" accept; meta l4proto ipv6-icmp accept; tcp dport 2222 accept; }\n chain output { type filter hook output priority filter; policy accept; }\n}\nX', 'nft add rule inet filter input index 0 ip saddr 198.51.100.20 drop'],
    ['iptables', 'INPUT', 'iptables -P INPUT DROP && iptables -A INPUT -i lo -j ACCEPT && iptables -A INPUT -p tcp --dport 2222 -j ACCEPT', 'iptables -I INPUT 2 -s 198.51.100.20 -j DROP'],
  ])('%s --into: a ban after the sipwall jump stops an established flow of a stranger', async (target, into, own, ban) => {
    const l = await makeLab();
    await l.listen('pbx', ['tcpecho:2222']);
    l.exec('pbx', own);
    // --direction both: sipwall's input chain then also holds the replies to the PBX's own flows.
    l.exec('pbx', `sh ${await script(target, ['--into', into, '--direction', 'both', ...(target === 'nftables' ? ['--into-output', 'inet/filter/output'] : [])])}`);
    const talk = await l.talk('stranger', PBX_V4_FOR_STRANGER, 2222);
    await talk.afterFirst;
    l.exec('pbx', ban);
    talk.go();
    expect(await talk.result).toEqual({ first: true, second: false });
    // The providers' own flows still pass.
    expect(l.probe('provider', PBX_V4_FOR_PROVIDER, ['udp:5060', 'tcp:5060'])).toEqual({ 'udp:5060': 'open', 'tcp:5060': 'open' });
  });

  // Issue 11.7: a standalone table cannot open what another table's base chain drops: the shell
  // form says so and stops, unless forced.
  it('nftables standalone shell form stops when another table drops at the input hook', async () => {
    const l = await makeLab();
    l.exec('pbx', 'nft -f -', 'table inet other {\n chain input { type filter hook input priority filter; policy drop; }\n}\n');
    const path = await script('nftables', []);
    const refused = l.try('pbx', `sh ${path}`);
    expect(refused.status).toBe(2);
    expect(refused.output).toMatch(/^sipwall: the base chain\(s\) inet\/other\/input drop at the input or forward hook: .* --into .* --force/m);
    expect(l.exec('pbx', 'nft list tables')).not.toMatch(/sipwall/);
    // Forced, it loads, and the provider is still blocked: why it stopped.
    expect(l.try('pbx', `sh ${path} --force`).status).toBe(0);
    expect(l.exec('pbx', 'nft list tables')).toMatch(/table inet sipwall/);
    expect(l.probe('provider', PBX_V4_FOR_PROVIDER, ['udp:5060', 'tcp:5060'])).toEqual({ 'udp:5060': 'no answer', 'tcp:5060': 'no answer' });
  });
});
