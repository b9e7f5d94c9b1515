/**
 * Applying the same output twice leaves one copy of everything, and applying a changed output
 * leaves no stale element: in a throw-away network namespace, with the real tools.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { Lab } from '../helpers/netns.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('ip', 'nft', 'iptables', 'ipset');

let lab: Lab | undefined;
afterEach(() => lab?.destroy());

async function shell(args: string[]): Promise<string> {
  const run = await runCli(['render', '--form', 'shell', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** Everything that must come out the same after a second apply, counters zeroed. */
const state = (l: Lab) => l.exec('host', 'nft list ruleset | sed -E "s/counter packets [0-9]+ bytes [0-9]+/counter/"; iptables -S; ip6tables -S; ipset save | sed -E "s/ initval 0x[0-9a-f]+//"');

describe.skipIf(skip)('apply twice', () => {
  it.each([
    ['nftables standalone', ['--target', 'nftables', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk']],
    ['iptables standalone', ['--target', 'iptables', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk']],
    ['iptables standalone with ipset', ['--target', 'iptables', '--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20100', '--ipset', '--direction', 'both']],
  ])('%s: the second run changes nothing', async (_, args) => {
    lab = new Lab().add('host');
    const script = await shell(args);
    lab.exec('host', 'sh -s', script);
    const first = state(lab);
    lab.exec('host', 'sh -s', script);
    expect(state(lab)).toBe(first);
    expect(first).toMatch(/sipwall/i);
  });

  it('nftables --into: one chain, one jump, the user rules untouched', async () => {
    lab = new Lab().add('host');
    lab.exec('host', 'nft -f -', 'table inet filter {\n chain input { type filter hook input priority filter; policy drop; tcp dport 22 accept; }\n}\n');
    const script = await shell(['--target', 'nftables', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--into', 'inet/filter/input']);
    lab.exec('host', 'sh -s', script);
    const first = state(lab);
    lab.exec('host', 'sh -s', script);
    expect(state(lab)).toBe(first);
    const input = lab.exec('host', 'nft list chain inet filter input');
    expect(input.match(/jump sipwall_in/g)).toHaveLength(1);
    expect(input).toMatch(/tcp dport 22 accept/);
    expect(input.indexOf('jump sipwall_in')).toBeLessThan(input.indexOf('tcp dport 22'));
  });

  it('iptables --into: one chain, one jump per family', async () => {
    lab = new Lab().add('host');
    const script = await shell(['--target', 'iptables', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--into', 'INPUT', '--direction', 'both']);
    lab.exec('host', 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT');
    lab.exec('host', 'sh -s', script);
    lab.exec('host', 'sh -s', script);
    expect(lab.exec('host', 'iptables -S INPUT').match(/-j SIPWALL-IN/g)).toHaveLength(1);
    expect(lab.exec('host', 'iptables -S OUTPUT').match(/-j SIPWALL-OUT/g)).toHaveLength(1);
    expect(lab.exec('host', 'ip6tables -S INPUT').match(/-j SIPWALL-IN/g)).toHaveLength(1);
    expect(lab.exec('host', 'iptables -S INPUT')).toMatch(/--dport 22 -j ACCEPT/);
  });

  it.each([
    ['nftables', ['--target', 'nftables']],
    ['nftables --into', ['--target', 'nftables', '--into', 'inet/filter/input']],
    ['iptables --ipset', ['--target', 'iptables', '--ipset']],
    ['iptables', ['--target', 'iptables']],
  ])('%s: a changed provider list leaves no stale address behind', async (_, args) => {
    lab = new Lab().add('host');
    lab.exec('host', 'nft add table inet filter && nft add chain inet filter input "{ type filter hook input priority 0; }"');
    lab.exec('host', 'sh -s', await shell([...args, '--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20100']));
    expect(state(lab)).toMatch(/203\.0\.113\.8\/29/);
    lab.exec('host', 'sh -s', await shell([...args, '-p', 'flynumber', '--rtp-ports', '20000-20100']));
    const after = state(lab);
    expect(after).toMatch(/46\.19\.208\.0\/21/);
    expect(after).not.toMatch(/203\.0\.113\.8/);
  });
});
