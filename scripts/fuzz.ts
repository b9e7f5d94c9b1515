/**
 * `npm run fuzz [-- --count N] [--seed S] [--corpus DIR]`: the SIP codec and the server's
 * answer under generated and mutated messages, beyond the fast-check cases the tests run
 * (issue 12). Seeds: a message of each RFC 4475 kind (test/probe/torture), plus the `.dat` files
 * of `--corpus` (the RFC's own archive, for one). Each input goes through everything the
 * responder and the prober do with bytes from the network: parse as a datagram and as a stream
 * frame, frame a stream, decide and format the answer, match it as an answer to an OPTIONS,
 * read NAT and ALG facts, and parse the formatted answer back.
 *
 * A crash is any exception other than SipParseError; a hang is an input that takes the worker
 * more than HANG_MS (the work runs in a child process; a watchdog stops it when it makes no
 * progress and names the inputs' indexes, which the seed makes reproducible). Exit 0 only with no crash and no hang. Not part of CI: a run of
 * a million inputs takes minutes; the figure is in BENCHMARKS.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { answer, SsrcCounts } from '../src/probe/responder.js';
import { formatSipMessage, frameLength, parseSipMessage, SipParseError, type SipMessage } from '../src/probe/sip-message.js';
import { algOf, answers, buildOptions, natOf } from '../src/probe/sip-options.js';
import { parseSipTarget } from '../src/probe/target.js';
import { MESSAGES } from '../test/probe/torture/messages.js';

const HANG_MS = 2000;
const REPORT_EVERY = 1000;

interface Job {
  readonly count: number;
  readonly seed: number;
  readonly corpus: string | undefined;
}

/** xorshift32: the same seed gives the same inputs. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** Fragments that matter to SIP's grammar, spliced in by the mutator. */
const TOKENS = ['\r\n', '\r\n ', '\n', '\r', ' ', '\t', ',', ';', ':', '=', '"', '\\', '<', '>', '%', '@', '?', 'SIP/2.0', 'Via: ', 'v:', 'Content-Length: ', 'l: -1', 'l: 99999', 'CSeq: 1 OPTIONS', 'Call-ID: x', ';rport', ';received=', ';tag=', ';branch=z9hG4bK', '\r\n\r\n', '\u0000', '\u00ff', '%00', 'SIP/2.0 200 OK\r\n', 'OPTIONS sip:a@b SIP/2.0\r\n'].map((t) => Buffer.from(t, 'latin1'));

function mutate(seeds: readonly Buffer[], next: () => number): Buffer {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  let bytes = Buffer.from(pick(seeds));
  const steps = 1 + Math.floor(next() * 8);
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const len = Math.floor(next() * Math.min(64, bytes.length - at + 1));
    switch (Math.floor(next() * 8)) {
      case 0: // flip bytes
        for (let i = at; i < Math.min(bytes.length, at + 1 + (len % 4)); i++) bytes[i] = Math.floor(next() * 256);
        break;
      case 1: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]);
        break;
      case 2: // duplicate a range, up to 64 times (long lines, repeated headers)
        bytes = Buffer.concat([bytes.subarray(0, at + len), ...Array.from({ length: 1 + Math.floor(next() * 64) }, () => bytes.subarray(at, at + len)), bytes.subarray(at + len)]);
        break;
      case 3: // splice a grammar token
        bytes = Buffer.concat([bytes.subarray(0, at), pick(TOKENS), bytes.subarray(at)]);
        break;
      case 4: // splice part of another seed
        {
          const other = pick(seeds);
          const from = Math.floor(next() * other.length);
          bytes = Buffer.concat([bytes.subarray(0, at), other.subarray(from, from + 1 + Math.floor(next() * 200)), bytes.subarray(at)]);
        }
        break;
      case 5: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 6: // random bytes
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + (len % 16) }, () => Math.floor(next() * 256))), bytes.subarray(at)]);
        break;
      default: // a token repeated many times (separators, folds)
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.concat(Array.from({ length: 1 + Math.floor(next() * 500) }, () => pick(TOKENS))), bytes.subarray(at)]);
    }
  }
  return bytes.length > 70_000 ? bytes.subarray(0, 70_000) : bytes;
}

/** The input at `index` of the run with `seed`: each index has its own generator. */
export function inputAt(seeds: readonly Buffer[], seed: number, index: number): Buffer {
  return mutate(seeds, random((seed * 2_654_435_761 + index * 40_503 + 1) >>> 0));
}

function seedsOf(corpus: string | undefined): Buffer[] {
  const seeds = [...MESSAGES.values()];
  if (corpus) for (const f of readdirSync(corpus).filter((n) => n.endsWith('.dat'))) seeds.push(readFileSync(join(corpus, f)));
  return seeds;
}

const target = parseSipTarget('pbx.example.com');
const local = { address: '192.0.2.1', port: 5060 };
const source = { address: '198.51.100.7', port: 40000 };

/** Everything the responder and the prober do with one input; throws only on a crash. */
function exercise(bytes: Buffer, counts: SsrcCounts): void {
  const parse = (datagram: boolean): { message?: SipMessage; problem?: string } => {
    try {
      return { message: parseSipMessage(bytes, datagram) };
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      return error.partial ? { message: error.partial, problem: error.message } : {};
    }
  };
  try {
    frameLength(bytes);
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error;
  }
  for (const datagram of [true, false]) {
    const { message, problem } = parse(datagram);
    if (!message) continue;
    for (const minimal of [false, true]) {
      const reply = answer(message, bytes, source, counts, minimal, problem);
      if (reply) parseSipMessage(Buffer.from(formatSipMessage(reply), 'latin1'), false);
    }
    const request = buildOptions(target, 'udp', local);
    answers(request, message);
    natOf(message, local);
    algOf(request, message);
  }
}

const report = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);

function work(job: Job): void {
  const seeds = seedsOf(job.corpus);
  const counts = new SsrcCounts();
  let crashes = 0;
  let slowest = 0;
  let bytes = 0;
  for (let i = 0; i < job.count; i++) {
    const input = inputAt(seeds, job.seed, i);
    bytes += input.length;
    const t = performance.now();
    try {
      exercise(input, counts);
    } catch (error) {
      crashes++;
      if (crashes <= 5) report({ crash: i, error: String((error as Error).stack ?? error) });
    }
    slowest = Math.max(slowest, performance.now() - t);
    if ((i + 1) % REPORT_EVERY === 0 || i + 1 === job.count) report({ done: i + 1, crashes, slowest, bytes });
  }
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}

const job: Job = { count: Number(option('count') ?? 1_000_000), seed: Number(option('seed') ?? 4475), corpus: option('corpus') };
if (!Number.isInteger(job.count) || job.count < 1 || !Number.isInteger(job.seed)) {
  console.error('usage: npm run fuzz -- [--count N] [--seed S] [--corpus DIR]');
  process.exit(2);
}
if (process.argv.includes('--child')) {
  work(job);
} else {
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = { done: 0, crashes: 0, slowest: 0, bytes: 0 };
  let lastAt = performance.now();
  const watchdog = setInterval(() => {
    if (performance.now() - lastAt < HANG_MS * 5 + 5000) return;
    console.error(`HANG: no progress for ${Math.round(performance.now() - lastAt)} ms within inputs ${last.done}..${last.done + REPORT_EVERY - 1} of seed ${job.seed}`);
    child.kill('SIGKILL');
    process.exit(1);
  }, 1000);
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line) as { done?: number; crashes: number; slowest: number; bytes: number; crash?: number; error?: string };
    if (m.crash !== undefined) return console.error(`CRASH at input ${m.crash} (seed ${job.seed}): ${m.error}`);
    last = m as typeof last;
    lastAt = performance.now();
    if (last.done % 100_000 === 0) console.error(`${last.done} inputs, ${last.crashes} crashes`);
  });
  child.on('exit', () => {
    clearInterval(watchdog);
    const seconds = (performance.now() - started) / 1000;
    const hang = last.slowest > HANG_MS;
    console.log(
      `${last.done} inputs (${(last.bytes / 1e6).toFixed(0)} MB, seed ${job.seed}) in ${seconds.toFixed(1)} s: ${Math.round(last.done / seconds)}/s; ${last.crashes} crashes; slowest input ${last.slowest.toFixed(1)} ms${hang ? ` (over ${HANG_MS} ms: a hang)` : ''}`,
    );
    process.exit(last.crashes === 0 && !hang && last.done === job.count ? 0 : 1);
  });
}
