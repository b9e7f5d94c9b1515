/**
 * `sipwall diagnose call`: a capture file, or one taken with tcpdump while the user places a test
 * call (`--live`); the flows that arrived without an answer are replayed against this host's
 * firewall (or `--ruleset`), so "one-way audio" comes with the rule that drops it.
 */
import { commandError } from '../errors/commands.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCall, rewrites, type CallReport } from '../diagnose/call.js';
import type { Finding } from '../diagnose/findings.js';
import { fixFor } from '../diagnose/firewall.js';
import type { Flow } from '../diagnose/flows.js';
import { CaptureError, scanCapture } from '../diagnose/pcap.js';
import { cannotReplay, replay } from '../diagnose/replay.js';
import type { Ruleset } from '../diagnose/ruleset.js';
import { hasTool } from '../validate/run.js';
import { parseDuration } from '../text/duration.js';
import { shellWord } from '../text/shell-word.js';
import type { Context } from './context.js';
import type { DiagnoseArgs } from './diagnose.js';
import { ReadLimitError, readBoundedBytes } from './read.js';

/** A live capture is at most this long (the user places one test call). */
const LIVE_MAX_MS = 600_000;

export interface CallPart {
  readonly summary: string;
  readonly findings: Finding[];
  /** One report per capture. */
  readonly calls: CallReport[];
}

/** Every capture read, its unanswered flows replayed; two or more compared for rewrites. */
export function callParts(captures: readonly CaptureBytes[], replayWith: ReplayWith): CallPart {
  const each = captures.map((c) => ({ name: c.from, part: callPart(c.bytes, c.from, replayWith) }));
  const findings = each.flatMap((e) => e.part.findings);
  for (let i = 0; i < each.length; i++) {
    for (let j = i + 1; j < each.length; j++) findings.push(...rewrites({ name: each[i]!.name, report: each[i]!.part.calls[0]! }, { name: each[j]!.name, report: each[j]!.part.calls[0]! }));
  }
  return { summary: each.map((e) => e.part.summary).join('; '), findings, calls: each.map((e) => e.part.calls[0]!) };
}

interface ReplayWith {
  readonly ruleset: () => Ruleset;
  readonly iface: string;
  readonly flags: string;
}

/** At most this many captures of one call are compared. */
const CAPTURES = 4;

export interface CaptureBytes {
  readonly bytes: Buffer;
  readonly from: string;
}

/** The captures' bytes: the files named, or a live capture; empty when neither was asked for. */
export async function captureBytes(args: DiagnoseArgs, ctx: Context, maxBytes: number): Promise<CaptureBytes[]> {
  const files = args.capture ?? [];
  if (files.length > 0 && args.live !== undefined) throw commandError('E_LIVE_WITH_FILE', {});
  if (files.length > CAPTURES) throw commandError('E_CAPTURES_MANY', { count: files.length, max: CAPTURES });
  if (files.length > 0) {
    return files.map((file) => {
      try {
        return { bytes: readBoundedBytes(file, maxBytes), from: file };
      } catch (error) {
        const problem = error instanceof ReadLimitError ? error.message : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`;
        throw commandError('E_CAPTURE_READ', { file: shellWord(file), problem, tooBig: error instanceof ReadLimitError && error.code === 'EFBIG' });
      }
    });
  }
  if (args.live === undefined) return [];
  const ms = parseDuration(args.live, '--live');
  if (ms < 1000 || ms > LIVE_MAX_MS) throw commandError('E_LIVE_DURATION', { value: args.live });
  if (process.getuid?.() !== 0) throw commandError('E_LIVE_ROOT', {});
  if (!hasTool('tcpdump')) throw commandError('E_LIVE_TCPDUMP', {});
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-capture-'));
  try {
    const file = join(dir, 'call.pcap');
    ctx.note(`capturing on every interface for ${Math.round(ms / 1000)} s: place the test call now`);
    // -Z root: tcpdump would otherwise drop to its own user and not be able to write here.
    // --immediate-mode: packets reach the file as they come; buffered ones are lost at SIGINT.
    const child = spawn('tcpdump', ['-i', 'any', '--immediate-mode', '-U', '-n', '-s', '0', '-Z', 'root', '-w', file, 'udp or tcp'], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGINT'), ms);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      return [{ bytes: readBoundedBytes(file, maxBytes), from: `a ${Math.round(ms / 1000)} s live capture` }];
    } catch {
      throw commandError('E_LIVE_NO_CAPTURE', {});
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function callPart(bytes: Buffer, from: string, replayWith: ReplayWith): CallPart {
  let call: CallReport;
  try {
    call = readCall((visit) => scanCapture(bytes, visit));
  } catch (error) {
    if (error instanceof CaptureError) throw commandError('E_CAPTURE_FORMAT', { file: shellWord(from), problem: error.message });
    throw error;
  }
  const findings = [...call.findings];
  let replayed = '';
  if (call.suspects.length > 0) {
    const why = cannotReplay();
    if (why) replayed = `; not replayed against the firewall: ${why}`;
    else {
      // One replay per address the flows went to (usually this PBX's one address per family).
      const unique = [...new Map(call.suspects.map((s) => [`${s.protocol}|${s.source}|${s.sourcePort}|${s.destination}|${s.destinationPort}`, s])).values()];
      const ruleset = replayWith.ruleset();
      for (const destination of new Set(unique.map((s) => s.destination))) {
        const group = unique.filter((s) => s.destination === destination);
        const flows: Flow[] = group.map((s, id) => ({ id, family: s.family, protocol: s.protocol, source: s.source, sourcePort: s.sourcePort, destinationPort: s.destinationPort, expect: 'accept', provider: 'the far end', role: s.role, label: `${s.protocol} from ${s.source}:${s.sourcePort} to ${destination}:${s.destinationPort}` }));
        const family = group[0]!.family;
        const result = replay({ ruleset, iface: replayWith.iface, addresses: family === 4 ? { 4: destination, 6: '2001:db8::10' } : { 4: '192.0.2.10', 6: destination } }, flows);
        if (!result.ok) {
          replayed = `; the firewall replay failed: ${result.why}`;
          continue;
        }
        result.verdicts.forEach((v, i) => {
          const s = group[i]!;
          const f = findings[s.finding]!;
          const flow = `${s.protocol} from ${s.source}:${s.sourcePort} to port ${s.destinationPort}`;
          if (v.decision && v.decision.verdict !== 'accept') {
            findings[s.finding] = { ...f, evidence: [...f.evidence, `this host's firewall ${v.decision.verdict === 'reject' ? 'rejects' : 'drops'} ${flow}: ${v.rule ?? 'its policy'}`], fix: `open it in the firewall: ${fixFor(v, { flags: replayWith.flags })}` };
          } else if (v.decision) {
            findings[s.finding] = { ...f, evidence: [...f.evidence, `this host's firewall accepts ${flow} (replayed): the loss is elsewhere`] };
          }
        });
        replayed = `; ${unique.length} unanswered flow${unique.length > 1 ? 's' : ''} replayed against ${ruleset.sources.join(' + ') || 'an empty ruleset'}`;
      }
    }
  }
  const streams = call.streams.length;
  return { calls: [call], findings, summary: `${from}: ${call.dialogs.length} call${call.dialogs.length === 1 ? '' : 's'}, ${streams} RTP stream${streams === 1 ? '' : 's'}${call.tls.length > 0 ? `, SIP over TLS on ${call.tls.slice(0, 2).join(', ')} (unreadable)` : ''}${replayed}` };
}
