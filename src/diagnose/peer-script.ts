/**
 * The two small programs the replay runs with node inside its namespaces (node built-ins only, so
 * they run from a file without the package): `listen` binds every sampled port in the host copy and
 * prints each flow that reaches it; `send` sends each flow from the peer namespace and prints what
 * came back. Every wait is bounded.
 */
export const PEER_SCRIPT = String.raw`'use strict';
const dgram = require('node:dgram');
const net = require('node:net');
const fs = require('node:fs');
const [mode, file] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const unmap = (a) => a.replace(/^::ffff:/, '');
if (mode === 'listen') {
  const ports = JSON.parse(fs.readFileSync(file, 'utf8'));
  let pending = ports.udp.length + ports.tcp.length;
  const bound = () => { if (--pending === 0) out({ ready: true }); };
  for (const port of ports.udp) {
    const s = dgram.createSocket({ type: 'udp6', ipv6Only: false });
    s.on('message', (_m, r) => out({ protocol: 'udp', source: unmap(r.address), sourcePort: r.port, destinationPort: port }));
    s.on('error', (e) => out({ error: 'udp ' + port + ' ' + e.code }));
    s.bind(port, '::', bound);
  }
  for (const port of ports.tcp) {
    const server = net.createServer((c) => { out({ protocol: 'tcp', source: unmap(c.remoteAddress || ''), sourcePort: c.remotePort, destinationPort: port }); c.destroy(); });
    server.on('error', (e) => out({ error: 'tcp ' + port + ' ' + e.code }));
    server.listen({ port, host: '::', ipv6Only: false }, bound);
  }
  if (pending === 0) out({ ready: true });
} else if (mode === 'send') {
  const { flows, targets } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const results = [];
  const one = (f) => new Promise((resolve) => {
    const dst = targets[f.family];
    const done = (outcome) => { clearTimeout(timer); results.push({ id: f.id, outcome }); resolve(); };
    let timer;
    if (f.protocol === 'udp') {
      const s = dgram.createSocket(f.family === 6 ? 'udp6' : 'udp4');
      const close = (o) => { try { s.close(); } catch {} done(o); };
      s.on('error', (e) => close(e.code || 'error'));
      timer = setTimeout(() => close('sent'), 400);
      s.bind(f.sourcePort, f.source, () => s.connect(f.destinationPort, dst, () => s.send('sipwall diagnose ' + f.id)));
    } else {
      const c = net.connect({ port: f.destinationPort, host: dst, localAddress: f.source, localPort: f.sourcePort });
      c.on('connect', () => { c.destroy(); done('connected'); });
      c.on('error', (e) => { c.destroy(); done(e.code || 'error'); });
      timer = setTimeout(() => { c.destroy(); done('timeout'); }, 1500);
    }
  });
  (async () => {
    for (let i = 0; i < flows.length; i += 64) await Promise.all(flows.slice(i, i + 64).map(one));
    out({ results });
  })();
}
`;
