/**
 * Human output of the probes: a line per probe, the details that matter (NAT, ALG, TLS), and a
 * summary line to read at one glance. A spinner or progress bar (ora) only on a terminal, never
 * with --json or --quiet; NO_COLOR honoured.
 */
import ora from 'ora';
import type { RtpReport, SipReport } from '../probe/report.js';
import { hostPort } from '../probe/sip-options.js';
import type { Context } from './context.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** An ora spinner with a bar in its text on a TTY; nothing otherwise (stdout stays plain lines). */
export function progress(ctx: Context, json: boolean, label: string): Progress {
  // A terminal without a width (e.g. under script(1)) would make ora clear lines endlessly.
  if (json || ctx.quiet || !ctx.io.stderrIsTTY || !(process.stderr.columns > 0)) return NONE;
  const color = ctx.io.env.NO_COLOR === undefined || ctx.io.env.NO_COLOR === '';
  const spinner = ora({ text: label, stream: process.stderr, color: color ? 'cyan' : false, ...(color ? {} : { spinner: 'line' }) }).start();
  return {
    update(done, total) {
      const width = 30;
      const filled = Math.round((done / Math.max(1, total)) * width);
      spinner.text = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
    },
    stop: () => spinner.stop(),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeSip(report: SipReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const where = r.resolution ? ` → ${hostPort(r.resolution)} (${r.resolution.method})` : '';
    const head = `${r.transport.padEnd(3)}  ${r.target}${where}`;
    if (r.outcome === 'answered') {
      const retrans = r.retransmissions ? `, ${plural(r.retransmissions, 'retransmission')}` : '';
      lines.push(`${head}: ${r.status} ${r.reason} in ${r.rttMs} ms${retrans}${r.server ? `, server "${r.server}"` : ''}`);
      if (r.allow && r.allow.length > 0) lines.push(`       allow: ${r.allow.join(' ')}`);
      const seenBy = r.nat?.evidence === 'echo' ? 'as the responder saw it' : "from the reply's Via";
      if (r.nat?.behindNat) lines.push(`       behind NAT: public address ${r.nat.public} (local ${r.nat.local}; ${seenBy})`);
      if (r.alg?.suspected) lines.push('       SIP ALG suspected: the request changed on the way', ...r.alg.diff.map((d) => `         ${d}`));
      else if (r.alg && !r.alg.checked) lines.push('       SIP ALG: not checked (the far end does not echo the request; run sipwall responder there)');
    } else {
      lines.push(`${head}: ${r.outcome.toUpperCase()}: ${r.error ?? ''}`);
    }
    if (r.tls) {
      const verified = r.tls.verified ? 'verified' : `NOT verified (${r.tls.verifyError})${r.tls.insecure ? ', --insecure' : ''}`;
      lines.push(`       TLS ${r.tls.protocol ?? ''}: ${r.tls.subject} issued by ${r.tls.issuer}; expires in ${r.tls.daysToExpiry} days; ${verified}`);
    }
  }
  if (report.forwarding) {
    const f = report.forwarding;
    lines.push(`as ${f.as}'s forwarding${f.platform ? ` to ${f.platform}` : ''}:`);
    for (const [i, r] of report.results.entries()) lines.push(`  ${r.transport} ${r.target}: ${f.explanations[i] ?? ''}`);
    for (const x of f.findings) lines.push(`  ${x.severity}: ${x.forwarding}: ${x.reason}`, `    fix: ${x.fix} [${x.code}]`);
  }
  const parts = Object.entries(report.summary.outcomes).map(([o, n]) => `${n} ${o}`);
  lines.push(`${plural(report.summary.probes, 'probe')}: ${parts.join(', ')} (exit ${report.summary.exitCode})`);
  return `${lines.join('\n')}\n`;
}

const MEANING: Record<string, string> = {
  open: 'open',
  'never arrived': 'NEVER ARRIVED (inbound blocked)',
  'reply lost': 'ARRIVED, REPLY LOST (return path blocked: one-way audio)',
  'no echo': 'NO ECHO',
};

export function describeRtp(report: RtpReport): string {
  const lines: string[] = [`RTP ${report.mode} of ${report.target} (${report.address}): ${plural(report.ports.length, 'port')}`];
  for (const r of report.ranges) {
    const span = r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`;
    const probed = report.mode === 'sample' ? ` (${r.probed} probed)` : '';
    lines.push(`  ${span.padEnd(11)} ${MEANING[r.verdict]}${probed}`);
  }
  if (report.mode === 'sample') {
    for (const p of report.ports) {
      const rtt = p.stats.rttMs ? `rtt ${p.stats.rttMs.min}/${p.stats.rttMs.avg}/${p.stats.rttMs.max} ms` : 'no rtt';
      const arrived = p.received === null ? '' : ` (responder got ${p.received}: ${Math.max(0, p.stats.sent - p.received)} lost inbound, ${Math.max(0, p.received - p.stats.echoed)} on the way back)`;
      lines.push(`  port ${p.port}: sent ${p.stats.sent}, echoed ${p.stats.echoed}, lost ${p.stats.lost}${arrived}, dup ${p.stats.duplicated}, reordered ${p.stats.reordered}, ${rtt}, jitter ${p.stats.jitterMs} ms`);
    }
  }
  if (!report.directionKnown) lines.push(`  direction unknown: ${report.directionUnknown ?? 'the responder did not say which packets arrived'}; "no echo" may be either inbound or return loss`);
  const s = report.summary;
  const bad = [s.neverArrived && `${s.neverArrived} never arrived`, s.replyLost && `${s.replyLost} reply lost`, s.noEcho && `${s.noEcho} no echo`].filter(Boolean);
  lines.push(`${s.open}/${s.ports} ports open${bad.length ? `, ${bad.join(', ')}` : ''} in ${(s.wallMs / 1000).toFixed(1)} s (exit ${s.exitCode})`);
  return `${lines.join('\n')}\n`;
}
