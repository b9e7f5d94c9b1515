// The watch's soak (test/e2e/soak.test.ts), run inside `unshare -n` (its own loopback only):
// targets that stay up, lose 30 % of packets (nft numgen), go down and come back, answer
// slowly, refuse and fail DNS; the watch is killed with SIGKILL half-way and started again.
// Prints one JSON line: the alerts, the RSS samples per watch process, the history read back.
// The lossy check's 8 s timeout gives it 5 sends: with 30 % lost each way one exchange gets
// through with p = 0.49, a run fails with 0.51^5 = 3.5 %, three runs in a row (down) 4e-5.
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [cli, seconds] = [process.argv[2], Number(process.argv[3] ?? 40)];
const dir = mkdtempSync(join(tmpdir(), 'sipwall-soak-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
execFileSync('ip', ['link', 'set', 'lo', 'up']);
execFileSync('nft', ['-f', '-'], {
  input: `table inet soak {\n  chain input { type filter hook input priority filter; udp dport 25062 numgen random mod 10 < 3 drop; udp sport 25062 numgen random mod 10 < 3 drop; }\n}\n`,
});

const children = [];
function start(args, log) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stdout.on('data', (d) => (said += d));
  child.stderr.on('data', (d) => (said += d));
  children.push(child);
  return { child, said: () => said, ready: waitFor(() => said.includes(log), `${args.join(' ')}: ${log}`, () => said) };
}
async function waitFor(done, what, said = () => '') {
  for (let i = 0; i < 200; i++) {
    if (done()) return;
    await sleep(50);
  }
  throw new Error(`not ready: ${what} ${said()}`);
}

// A server that answers OPTIONS over UDP 1.5 s late (slow, never down for want of an answer).
const slow = dgram.createSocket('udp4');
slow.on('message', (msg, from) => {
  const lines = msg.toString('latin1').split('\r\n');
  const copy = lines.filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
  setTimeout(() => slow.send(Buffer.from(['SIP/2.0 200 OK', ...copy, 'Content-Length: 0', '', ''].join('\r\n')), from.port, from.address), 1500);
});
await new Promise((r) => slow.bind(25066, '127.0.0.1', r));

const steady = start(['responder', '--sip', 'udp:25060', '--bind', '127.0.0.1', '--sip-rate', '1000'], 'ready');
const lossy = start(['responder', '--sip', 'udp:25062', '--bind', '127.0.0.1', '--sip-rate', '1000'], 'ready');
let flappy = start(['responder', '--sip', 'tcp:25064', '--bind', '127.0.0.1', '--sip-rate', '1000'], 'ready');
await Promise.all([steady.ready, lossy.ready, flappy.ready]);

const alerts = join(dir, 'alerts.log');
const config = join(dir, 'checks.yaml');
writeFileSync(
  config,
  `history: { dir: ${join(dir, 'history')} }
alerts: { downAfter: 3, command: 'printf "%s %s\\\\n" "$SIPWALL_CHECK" "$SIPWALL_EVENT" >> ${alerts}' }
defaults: { interval: 1s }
checks:
  - { name: steady, target: "127.0.0.1:25060", transport: udp, timeout: 2s }
  - { name: lossy, target: "127.0.0.1:25062", transport: udp, timeout: 8s }
  - { name: flappy, target: "127.0.0.1:25064", transport: tcp, timeout: 1s }
  - { name: slow, target: "127.0.0.1:25066", transport: udp, timeout: 3s, expect: { maxRtt: 500ms } }
  - { name: refused, target: "127.0.0.1:25068", transport: tcp, timeout: 1s }
  - { name: dns, target: "sip:nothing.invalid", transport: udp, timeout: 2s }
`,
);

function rss(pid) {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return undefined;
  }
}
const samples = [[], []];
let watch = start(['watch', '--config', config], 'watching');
await watch.ready;
const t0 = Date.now();
let phase = 0;
let killed = false;
let flappyRestarted = false;
while (Date.now() - t0 < seconds * 1000) {
  await sleep(1000);
  const t = (Date.now() - t0) / 1000;
  const r = rss(watch.child.pid);
  if (r !== undefined && t > 3 + (phase === 1 ? seconds * 0.45 : 0)) samples[phase].push(r);
  if (t >= seconds * 0.25 && flappy.child.exitCode === null && !flappyRestarted) flappy.child.kill('SIGTERM');
  if (t >= seconds * 0.45 && !killed) {
    killed = true;
    watch.child.kill('SIGKILL');
    await new Promise((r) => watch.child.once('exit', r));
    watch = start(['watch', '--config', config], 'watching');
    await watch.ready;
    phase = 1;
  }
  if (t >= seconds * 0.65 && !flappyRestarted) {
    flappyRestarted = true;
    flappy = start(['responder', '--sip', 'tcp:25064', '--bind', '127.0.0.1', '--sip-rate', '1000'], 'ready');
    await flappy.ready;
  }
}
watch.child.kill('SIGTERM');
const code = await new Promise((r) => watch.child.once('exit', (c) => r(c)));
for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
slow.close();

const history = join(dir, 'history');
let lines = 0;
let unreadable = 0;
const runs = {};
for (const f of readdirSync(history).sort()) {
  for (const line of readFileSync(join(history, f), 'utf8').split('\n')) {
    if (line === '') continue;
    lines++;
    try {
      const r = JSON.parse(line);
      (runs[r.check] ??= []).push(r.at);
    } catch {
      unreadable++;
    }
  }
}
console.log(JSON.stringify({ code, alerts: existsSync(alerts) ? readFileSync(alerts, 'utf8').trim().split('\n') : [], rss: samples, lines, unreadable, runs, seconds }));
process.exit(0);
