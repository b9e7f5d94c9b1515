/**
 * ufw on the wire: the rendered ufw.sh applied with the real ufw in a "pbx" namespace (its
 * /etc/ufw a private copy, bind-mounted in a mount namespace), then real sockets show what
 * passes; a second run changes nothing, and a provider dropped from the command is removed.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { Lab } from '../helpers/netns.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('ip', 'ufw', 'unshare', 'iptables');

const PORTS = ['udp:5060', 'tcp:5060', 'tcp:5061', 'udp:20050', 'udp:30000', 'tcp:5062'];

let lab: Lab | undefined;
afterEach(() => lab?.destroy());

describe.skipIf(skip)('ufw on the wire', () => {
  it('the provider reaches SIP and RTP, the stranger nothing; re-runs are no-ops; a dropped provider goes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-ufw-'));
    const conf = join(dir, 'etc-ufw');
    cpSync('/etc/ufw', conf, { recursive: true });
    const script = async (name: string, profiles: string[]) => {
      const run = await runCli(['render', ...profiles.flatMap((p) => ['--profile', p]), '--rtp-ports', '20000-20100', '--target', 'ufw']);
      expect(run.code, run.stderr).toBe(0);
      writeFileSync(join(dir, name), run.stdout);
      return join(dir, name);
    };
    lab = new Lab().add('pbx', 'provider', 'stranger');
    lab.link('pbx', ['203.0.113.1/24', '2001:db8:1::1/64'], 'provider', ['203.0.113.10/24', '2001:db8:1::10/64']);
    // Outside both profiles (hostile.yaml has 198.51.100.0/25).
    lab.link('pbx', ['198.51.100.254/25'], 'stranger', ['198.51.100.200/25']);
    await lab.listen('pbx', PORTS);
    // ufw in the pbx namespace, with its own copy of /etc/ufw.
    const ufw = (commands: string) => lab!.exec('pbx', `unshare -m sh -c 'mount --bind ${conf} /etc/ufw && ${commands}'`);

    const both = await script('both.sh', ['test-trunk.yaml', 'hostile.yaml']);
    ufw(`ufw --force enable >/dev/null && sh ${both}`);
    const open = { 'udp:5060': 'open', 'tcp:5060': 'open', 'tcp:5061': 'open', 'udp:20050': 'open', 'udp:30000': 'no answer', 'tcp:5062': 'no answer' };
    expect(lab.probe('provider', '203.0.113.1', PORTS)).toEqual(open);
    expect(lab.probe('provider', '2001:db8:1::1', PORTS)).toEqual(open);
    expect(lab.probe('stranger', '198.51.100.254', PORTS)).toEqual(Object.fromEntries(PORTS.map((p) => [p, 'no answer'])));

    const added = () => ufw('ufw show added').split('\n').filter((l) => l.includes('sipwall:')).sort();
    const first = added();
    expect(first.length).toBeGreaterThan(0);
    ufw(`sh ${both}`);
    expect(added()).toEqual(first);

    // The second provider dropped from the command: its rules go, the test trunk's stay.
    const hostileRules = first.filter((l) => !l.includes('Test Trunk'));
    expect(hostileRules.length).toBeGreaterThan(0);
    ufw(`sh ${await script('one.sh', ['test-trunk.yaml'])}`);
    const after = added();
    expect(after.length).toBe(first.length - hostileRules.length);
    expect(after.every((l) => l.includes('Test Trunk'))).toBe(true);
    expect(lab.probe('provider', '203.0.113.1', PORTS)).toEqual(open);
  }, 120_000);
});
