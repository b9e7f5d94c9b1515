/**
 * Issue 11.4 on the wire: a 16,384-port sweep with a quarter of the ports blocked inbound and an
 * eighth blocked on the way back, and a 64-port sample with 10 % random inbound loss, both over
 * the default --sip udp:5060 in a network namespace of the test's own: the direction is known for
 * every port, and the responder's SIP bytes out stay within 3x its bytes in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
const skip = rootMissing() || toolsMissing('unshare', 'nft', 'ip');

const SCRIPT = `
set -u
ip link set lo up
ulimit -n "$(ulimit -Hn)"
nft -f - <<X
table inet lab {
  chain input { type filter hook input priority filter; udp dport 5060 counter; udp dport 10000-26383 udp dport & 3 == 1 drop; }
  chain output { type filter hook output priority filter; udp sport 5060 counter; udp sport 10000-26383 udp sport & 7 == 2 drop; }
}
X
node ${BIN} responder --sip udp:5060 --rtp 10000-26383 --bind 127.0.0.1 > log 2>&1 &
pid=$!
i=0; until grep -q ready log || [ $i -ge 600 ]; do sleep 0.05; i=$((i + 1)); done
node ${BIN} probe rtp 127.0.0.1 --ports 10000-26383 --all --json > sweep.json
nft list ruleset | sed -n 's/.*udp \\(dport\\|sport\\) 5060 counter packets \\([0-9]*\\) bytes \\([0-9]*\\).*/\\1 \\2 \\3/p' > bytes
nft flush ruleset
nft -f - <<X
table inet lab {
  chain input { type filter hook input priority filter; udp dport 10000-26383 numgen random mod 10 == 0 drop; }
}
X
node ${BIN} probe rtp 127.0.0.1 --ports 10000-26383 --sample 64 --count 50 --interval 2ms --json > sample.json
kill $pid
`;

interface Port { port: number; verdict: string; received: number | null; stats: { sent: number; echoed: number } }

describe.skipIf(skip)('the direction of a loss, over udp:5060', () => {
  it('a 16,384-port sweep with any pattern of blocked ports, and a sample with 10 % inbound loss', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-direction-'));
    const run = spawnSync('unshare', ['-n', 'sh', '-c', SCRIPT], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { directionKnown: boolean; ports: Port[]; summary: Record<string, number> };
    expect(sweep.directionKnown).toBe(true);
    expect(sweep.summary).toMatchObject({ ports: 16384, open: 10240, neverArrived: 4096, replyLost: 2048, noEcho: 0 });
    for (const p of sweep.ports) {
      const expected = (p.port & 3) === 1 ? 'never arrived' : (p.port & 7) === 2 ? 'reply lost' : 'open';
      if (p.verdict !== expected) expect(`${p.port} ${p.verdict}`).toBe(`${p.port} ${expected}`);
    }
    const [[, packetsIn, bytesIn], [, packetsOut, bytesOut]] = readFileSync(join(dir, 'bytes'), 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number)) as [number[], number[]];
    expect(packetsOut).toBe(packetsIn);
    expect(bytesOut!).toBeLessThanOrEqual(3 * bytesIn!);
    const sample = JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8')) as { directionKnown: boolean; ports: Port[] };
    expect(sample.directionKnown).toBe(true);
    expect(sample.ports).toHaveLength(64);
    for (const p of sample.ports) {
      expect(p.received, String(p.port)).not.toBeNull();
      expect(p.received!).toBeGreaterThanOrEqual(p.stats.echoed);
      expect(p.received!).toBeLessThanOrEqual(p.stats.sent);
    }
    const lost = sample.ports.reduce((n, p) => n + p.stats.sent - p.received!, 0);
    expect(lost).toBeGreaterThan(0);
  }, 150_000);
});
