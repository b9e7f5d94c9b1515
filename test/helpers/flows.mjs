// Ground truth for the replay tests, independent of src/diagnose: run in a Lab host.
//   node flows.mjs log PORTS_JSON            binds udp and tcp ports, prints "ready", then one line per arrival
//   node flows.mjs send DST4 DST6 FLOWS_JSON  sends each flow from its source; prints {"id": outcome} once
// outcome: arrived-or-silent ("quiet"), "error:CODE" (ICMP error or RST), "connected". Bounded.
import dgram from 'node:dgram';
import net from 'node:net';
import { readFileSync } from 'node:fs';

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'log') {
  const { udp, tcp } = JSON.parse(readFileSync(rest[0], 'utf8'));
  const bound = [];
  for (const port of udp) {
    const s = dgram.createSocket({ type: 'udp6', ipv6Only: false });
    s.on('message', (_m, r) => console.log(`udp ${r.address.replace(/^::ffff:/, '')} ${r.port} ${port}`));
    bound.push(new Promise((r) => s.bind(port, '::', r)));
  }
  for (const port of tcp) {
    const s = net.createServer((c) => {
      console.log(`tcp ${c.remoteAddress.replace(/^::ffff:/, '')} ${c.remotePort} ${port}`);
      c.destroy();
    });
    bound.push(new Promise((r) => s.listen({ port, host: '::', ipv6Only: false }, r)));
  }
  await Promise.all(bound);
  console.log('ready');
  setTimeout(() => process.exit(0), 120_000).unref();
  setInterval(() => {}, 1000);
} else if (mode === 'send') {
  const [dst4, dst6, file] = rest;
  const flows = JSON.parse(readFileSync(file, 'utf8'));
  const out = {};
  await Promise.all(
    flows.map(
      (f) =>
        new Promise((resolve) => {
          const dst = f.family === 6 ? dst6 : dst4;
          const end = (o) => {
            out[f.id] ??= o;
            resolve();
          };
          if (f.protocol === 'udp') {
            const s = dgram.createSocket(f.family === 6 ? 'udp6' : 'udp4');
            s.on('error', (e) => end(`error:${e.code}`));
            s.bind(f.sourcePort, f.source, () => s.connect(f.destinationPort, dst, () => s.send('x')));
            setTimeout(() => {
              end('quiet');
              s.close();
            }, 600);
          } else {
            const c = net.connect({ host: dst, port: f.destinationPort, localAddress: f.source, localPort: f.sourcePort });
            c.on('connect', () => (end('connected'), c.destroy()));
            c.on('error', (e) => end(`error:${e.code}`));
            setTimeout(() => (end('quiet'), c.destroy()), 1500);
          }
        }),
    ),
  );
  console.log(JSON.stringify(out));
}
