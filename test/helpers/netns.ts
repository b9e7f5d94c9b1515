/**
 * Network namespaces made by a test: a few hosts joined by veth pairs, documentation addresses
 * only, removed afterwards. Needs root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { said } from './output.js';

const PEER = join(import.meta.dirname, 'peer.mjs');
/** The built CLI (npm test builds it first), run inside namespaces as a user runs it. */
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
let counter = 0;

function run(args: string[], input?: string): string {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', input, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export class Lab {
  private readonly prefix = `sw${process.pid % 10000}x${counter++}`;
  private readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  private links = 0;

  /** The namespace's full name for `ip netns exec`. */
  ns(name: string): string {
    return `${this.prefix}-${name}`;
  }

  add(...names: string[]): this {
    for (const name of names) {
      run(['ip', 'netns', 'add', this.ns(name)]);
      this.namespaces.push(this.ns(name));
      this.exec(name, 'ip link set lo up');
    }
    return this;
  }

  /** A veth pair between two hosts, each end with an IPv4 and an IPv6 address (`addr/len`). */
  link(a: string, aAddrs: string[], b: string, bAddrs: string[]): this {
    const id = this.links++;
    const [ea, eb] = [`${this.prefix}${id}a`, `${this.prefix}${id}b`];
    run(['ip', 'link', 'add', ea, 'netns', this.ns(a), 'type', 'veth', 'peer', 'name', eb, 'netns', this.ns(b)]);
    for (const [host, dev, addrs] of [[a, ea, aAddrs], [b, eb, bAddrs]] as const) {
      for (const addr of addrs) this.exec(host, `ip addr add ${addr} dev ${dev}${addr.includes(':') ? ' nodad' : ''}`);
      this.exec(host, `ip link set ${dev} up`);
    }
    return this;
  }

  exec(host: string, script: string, input?: string): string {
    return run(['ip', 'netns', 'exec', this.ns(host), 'sh', '-c', script], input);
  }

  /** Runs a script in the host; returns its exit status and output instead of throwing. */
  try(host: string, script: string): { status: number; output: string } {
    const r = spawnSync('ip', ['netns', 'exec', this.ns(host), 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
  }

  /** Starts the echo listener in a host and waits until it is bound. */
  async listen(host: string, specs: string[]): Promise<void> {
    const child = spawn('ip', ['netns', 'exec', this.ns(host), process.execPath, PEER, 'listen', ...specs], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children.push(child);
    await said(child, 'ready', 'listener');
  }

  /** Probes ports of `address` from `host`; returns spec → open | no answer | refused. 800 ms: CI runs other test files at the same time. */
  probe(host: string, address: string, specs: string[], timeoutMs = 800): Record<string, string> {
    const out = run(['ip', 'netns', 'exec', this.ns(host), process.execPath, PEER, 'probe', address, ...specs, '--timeout', String(timeoutMs)]);
    return JSON.parse(out) as Record<string, string>;
  }

  /** Starts `sipwall ARGS` in a host and waits for a line containing `ready` (the responder's). */
  async startCli(host: string, args: string[]): Promise<ChildProcess> {
    const child = spawn('ip', ['netns', 'exec', this.ns(host), process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    await said(child, 'ready', `sipwall ${args.join(' ')}`);
    return child;
  }

  /** Runs `sipwall ARGS` in a host to the end (asynchronously: a responder may run in this process's namespace too). */
  cli(host: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn('ip', ['netns', 'exec', this.ns(host), process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ status: code ?? -1, stdout, stderr });
      });
    });
  }

  /**
   * One TCP connection from `host` that sends a line, then a second one once `go()` is called;
   * resolves whether each came back (peer.mjs talk).
   */
  async talk(host: string, address: string, port: number): Promise<{ afterFirst: Promise<void>; go: () => void; result: Promise<{ first: boolean; second: boolean }> }> {
    const goFile = join(mkdtempSync(join(tmpdir(), 'sipwall-talk-')), 'go');
    const child = spawn('ip', ['netns', 'exec', this.ns(host), process.execPath, PEER, 'talk', address, String(port), goFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children.push(child);
    let out = '';
    let firstSeen: () => void = () => undefined;
    const afterFirst = new Promise<void>((r) => (firstSeen = r));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('first')) firstSeen();
    });
    const result = new Promise<{ first: boolean; second: boolean }>((resolve, reject) => {
      child.on('close', () => {
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line) as { first: boolean; second: boolean });
        else reject(new Error(`talk printed ${out}`));
      });
    });
    return { afterFirst, go: () => writeFileSync(goFile, ''), result };
  }

  /** Starts a program in a host (killed with the lab). */
  spawnIn(host: string, args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.ns(host), ...args], { stdio: 'ignore' });
    this.children.push(child);
    return child;
  }

  /** Waits until something listens on `port` in a host (ss, polled; bounded). */
  async listeningIn(host: string, port: number, protocol: 'udp' | 'tcp', timeoutMs = 10_000): Promise<void> {
    for (let waited = 0; waited < timeoutMs; waited += 50) {
      if (this.try(host, `ss -H ${protocol === 'udp' ? '-lnu' : '-lnt'} 'sport = :${port}'`).output.trim() !== '') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nothing listens on ${protocol} ${port} in ${host}`);
  }

  destroy(): void {
    for (const c of this.children) c.kill('SIGKILL');
    for (const ns of this.namespaces) spawnSync('ip', ['netns', 'del', ns]);
  }
}
