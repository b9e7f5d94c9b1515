// Profiling aid: node --cpu-prof --import tsx bench/profile-100k.ts
import { buildPolicy } from '../src/policy/build.js';
import { PBX_PRESETS } from '../src/providers/pbx.js';
import { toProvider } from '../src/providers/parse.js';
import { findTarget } from '../src/targets/registry.js';
let seed = 12345;
const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
const list: string[] = [];
for (let i = 0; i < 100000; i++) { if (next() % 10 < 7) { const len = 16 + (next() % 17); const net = (next() >>> (32 - len)) * 2 ** (32 - len); list.push(`${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${len}`);} else list.push(`2001:db8:${(next() % 0xffff).toString(16)}:${(next() % 0xffff).toString(16)}::/64`); }
const opts = { mode: 'standalone', form: 'restore', ipset: false, header: { version: 'b', command: 'b' } } as const;
for (let k = 0; k < 4; k++) {
  let t = performance.now();
  const provider = toProvider({ id: 'bench', name: 'Bench', source: 'bench', retrieved: '2026-11-23', roles: { sip: { addresses: list, transports: { udp: 5060, tcp: 5060, tls: 5061 } }, media: { addresses: list, hostPorts: '10000-20000' } } }, 'bench');
  const a = performance.now() - t; t = performance.now();
  const policy = buildPolicy({ providers: [provider], host: PBX_PRESETS.asterisk!, direction: 'in', families: [4, 6] });
  const b = performance.now() - t; t = performance.now();
  findTarget('nftables').render(policy, opts);
  const c = performance.now() - t; t = performance.now();
  findTarget('iptables').render(policy, opts);
  const d = performance.now() - t;
  console.log(`parse ${a.toFixed(0)} policy ${b.toFixed(0)} nft ${c.toFixed(0)} ipt ${d.toFixed(0)}`);
}
