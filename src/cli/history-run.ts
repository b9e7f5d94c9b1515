/**
 * `sipwall history`: a summary of the watch history. Its own module, so that it loads only the
 * history reader and the summary, not the scheduler, the exporter and the status page (start-up,
 * BENCHMARKS.md).
 */
import { commandError } from '../errors/commands.js';
import { parseDuration } from '../text/duration.js';
import { terminalText } from '../text/escape.js';
import { readHistory } from '../watch/history.js';
import { sparkline, summarize } from '../watch/summary.js';
import { shellWord } from '../text/shell-word.js';
import type { Context } from './context.js';
import type { HistoryArgs } from './watch.js';
import { loadConfig } from './watch-config.js';

export async function runHistory(args: HistoryArgs, ctx: Context): Promise<number> {
  if ((args.config === undefined) === (args.dir === undefined)) throw commandError('E_HISTORY_SOURCE', { flag: args.dir === undefined ? '--config' : '--dir', problem: args.dir === undefined ? 'is missing' : 'cannot go with --config' });
  const dir = args.dir ?? (await loadConfig(ctx, args.config)).history.dir;
  const sinceMs = parseDuration(args.since, '--since');
  const to = ctx.io.now().getTime();
  let read;
  try {
    read = readHistory(dir, to - sinceMs);
  } catch (error) {
    throw commandError('E_HISTORY_READ', { dir: shellWord(dir), code: (error as NodeJS.ErrnoException).code ?? 'unreadable' });
  }
  const wanted = args.check === undefined ? undefined : new Set(args.check);
  const summaries = summarize(wanted ? read.results.filter((r) => wanted.has(r.check)) : read.results, to - sinceMs, to);
  if (args.json) {
    ctx.io.stdout(`${JSON.stringify({ since: new Date(to - sinceMs).toISOString(), to: new Date(to).toISOString(), skippedLines: read.skipped, checks: summaries }, null, 2)}\n`);
    return 0;
  }
  if (summaries.length === 0) {
    ctx.io.stdout(`no results in the last ${args.since}${wanted ? ` for ${[...wanted].join(', ')}` : ''} in ${dir}\n`);
    return 0;
  }
  for (const s of summaries) {
    const rtt = s.rttMs ? `RTT p50 ${s.rttMs.p50} ms, p95 ${s.rttMs.p95} ms, p99 ${s.rttMs.p99} ms` : 'no RTT';
    ctx.io.stdout(
      `${terminalText(s.check)}: ${s.uptimePercent} % up (${s.runs - s.failures}/${s.runs}), ${rtt}, ${s.retransmissions} retransmissions, ${s.changes} state changes\n` +
        `  ${sparkline(s.buckets)}  last: ${s.last.ok ? 'up' : 'DOWN'} ${new Date(s.last.at).toISOString()}${s.last.why ? ` (${terminalText(s.last.why)})` : ''}\n`,
    );
  }
  if (read.skipped > 0) ctx.io.stdout(`${read.skipped} unreadable lines skipped (a write cut by a crash)\n`);
  return 0;
}

/**
 * The status page reads a day of history (with 1,000 checks a minute, ~200 MB of lines): built at
 * most once per PAGE_MS however often it is asked for, so reloading it cannot load the exporter.
 */
