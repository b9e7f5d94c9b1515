// A test peer run inside a network namespace.
//   node peer.mjs listen udp:5060 tcp:5060 ...   echo UDP, answer TCP; prints "ready"; stops after 120 s
//   node peer.mjs probe HOST udp:5060 tcp:5060 --timeout 400
//   node peer.mjs talk HOST PORT GOFILE   one TCP connection: a line echoed, then (once GOFILE exists)
//        a second line on the same connection; prints JSON {"first": bool, "second": bool}
//   (listen spec tcpecho:PORT: a TCP server that echoes and keeps the connection open)
//        prints JSON {"udp:5060": "open" | "no answer", "tcp:5060": "open" | "refused" | "no answer"}
// Every wait is bounded; the listener exits by itself.
import dgram from 'node:dgram';
import net from 'node:net';

const [mode, ...rest] = process.argv.slice(2);

if (mode === 'listen') {
  const servers = [];
  for (const spec of rest) {
    const [proto, port] = spec.split(':');
    if (proto === 'tcpecho') {
      const s = net.createServer((c) => {
        c.on('error', () => {});
        c.pipe(c);
      });
      servers.push(new Promise((resolve) => s.listen({ port: Number(port), host: '::', ipv6Only: false }, resolve)));
    } else if (proto === 'udp') {
      const s = dgram.createSocket({ type: 'udp6', ipv6Only: false });
      s.on('message', (msg, from) => s.send(msg, from.port, from.address));
      servers.push(new Promise((resolve) => s.bind(Number(port), '::', resolve)));
    } else {
      const s = net.createServer((c) => {
        c.on('error', () => {});
        c.end('ok');
      });
      servers.push(new Promise((resolve) => s.listen({ port: Number(port), host: '::', ipv6Only: false }, resolve)));
    }
  }
  await Promise.all(servers);
  console.log('ready');
  setTimeout(() => process.exit(0), 120_000).unref();
  setInterval(() => {}, 1000);
} else if (mode === 'probe') {
  const timeoutIndex = rest.indexOf('--timeout');
  const timeout = timeoutIndex >= 0 ? Number(rest.splice(timeoutIndex, 2)[1]) : 400;
  const [host, ...specs] = rest;
  // Resolves with the first verdict, or 'no answer' after the timeout; `close` releases the socket.
  const settle = (close, attach) =>
    new Promise((resolve) => {
      const done = (r) => {
        clearTimeout(timer);
        close();
        resolve(r);
      };
      const timer = setTimeout(() => done('no answer'), timeout);
      attach(done);
    });
  const probeUdp = (port) => {
    const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    return settle(() => s.close(), (done) => {
      s.on('message', () => done('open'));
      s.on('error', () => done('refused'));
      s.send('sipwall-probe', port, host);
    });
  };
  const probeTcp = (port) => {
    const c = net.connect({ host, port });
    return settle(() => c.destroy(), (done) => {
      c.on('connect', () => done('open'));
      c.on('error', (e) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'no answer'));
    });
  };
  const results = await Promise.all(specs.map((spec) => {
    const [proto, port] = spec.split(':');
    return (proto === 'udp' ? probeUdp : probeTcp)(Number(port)).then((r) => [spec, r]);
  }));
  console.log(JSON.stringify(Object.fromEntries(results)));
} else if (mode === 'talk') {
  const [host, port, go] = rest;
  const { existsSync } = await import('node:fs');
  const c = net.connect({ host, port: Number(port) });
  c.on('error', () => {});
  let said = '';
  c.on('data', (d) => (said += d.toString()));
  const until = async (test, ms) => {
    for (let waited = 0; waited < ms && !test(); waited += 25) await new Promise((r) => setTimeout(r, 25));
    return test();
  };
  await until(() => c.readyState === 'open', 3000);
  c.write('one\n');
  const first = await until(() => said.includes('one'), 3000);
  console.log('first');
  await until(() => existsSync(go), 20000);
  c.write('two\n');
  const second = await until(() => said.includes('two'), 1500);
  console.log(JSON.stringify({ first, second }));
  c.destroy();
} else {
  console.error('usage: peer.mjs listen SPEC... | probe HOST SPEC... [--timeout MS] | talk HOST PORT GOFILE');
  process.exit(2);
}
