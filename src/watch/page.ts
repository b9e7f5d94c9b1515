/**
 * The exporter's status page at `/`, for a single host without Grafana: every check, its state,
 * its last result and its RTT over 24 hours as an inline SVG chart drawn here (no script, nothing
 * fetched from elsewhere). Every value from a config or the network is HTML-escaped.
 */
import type { CheckResult } from './run.js';
import { summarize, type CheckSummary } from './summary.js';
import type { Watch } from './watch.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An SVG line of the buckets' RTT, a dot per bucket (gaps where none ran, red bars where every run failed). */
function rttChart(buckets: CheckSummary['buckets'], width = 480, height = 60): string {
  const numbers = buckets.filter((b): b is number => typeof b === 'number');
  const max = Math.max(1, ...numbers);
  const step = (width - 6) / Math.max(1, buckets.length - 1);
  const marks: string[] = [];
  let path = '';
  buckets.forEach((b, i) => {
    const x = (3 + i * step).toFixed(1);
    if (typeof b === 'number') {
      const y = (height - 4 - (b / max) * (height - 16)).toFixed(1);
      path += `${typeof buckets[i - 1] === 'number' ? 'L' : 'M'}${x},${y} `;
      marks.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="#1565c0"/>`);
    } else if (b === 'fail') marks.push(`<rect x="${(Number(x) - 2).toFixed(1)}" y="4" width="4" height="${height - 8}" fill="#c62828"/>`);
  });
  const label = numbers.length === 0 ? '' : `<text x="2" y="10" font-size="10">${max} ms</text>`;
  return `<svg class="rtt" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="RTT over 24 hours${numbers.length ? `, up to ${max} ms` : ', no answer'}">${label}<path d="${path.trim()}" fill="none" stroke="#1565c0" stroke-width="2"/>${marks.join('')}</svg>`;
}

export function statusPage(watch: Watch, history: readonly CheckResult[], now: number): string {
  const summaries = new Map(summarize(history, now - 86_400_000, now).map((s) => [s.check, s]));
  const rows = watch.checks
    .map((check) => {
      const state = watch.states.get(check.name)?.state ?? 'unknown';
      const s = summaries.get(check.name);
      const last = s?.last;
      return `<tr class="${state}"><td>${escapeHtml(check.name)}</td><td>${escapeHtml(check.input)} (${check.transport})</td><td class="state">${state}</td><td>${
        last ? `${escapeHtml(new Date(last.at).toISOString())}: ${escapeHtml(last.outcome)}${last.status ? ` ${last.status}` : ''}${last.rttMs !== undefined ? `, ${last.rttMs} ms` : ''}${last.why ? ` (${escapeHtml(last.why)})` : ''}` : 'not run yet'
      }</td><td>${s ? `${s.uptimePercent} %` : ''}</td><td>${s ? rttChart(s.buckets) : ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30"><title>sipwall watch</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:middle}.down .state{color:#c62828;font-weight:bold}.up .state{color:#2e7d32}.unknown .state{color:#777}</style></head>
<body><h1>sipwall watch</h1><p>${watch.checks.length} checks, ${new Date(now).toISOString()}; <a href="/metrics">/metrics</a></p>
<table><thead><tr><th>check</th><th>target</th><th>state</th><th>last result</th><th>24 h up</th><th>RTT, 24 h</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
