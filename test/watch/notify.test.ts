/**
 * Alert delivery against a local HTTP server that fails, then hangs, then accepts (issue 13):
 * the alert arrives exactly once, after bounded retries; sending never waits for delivery; a
 * command gets the alert in its environment.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../src/watch/notify.js';
import type { Alert } from '../../src/watch/state.js';

const alert: Alert = { check: 'trunk', event: 'down', state: 'down', at: Date.parse('2026-12-02T03:00:00Z'), message: 'down after 3 failures: timeout', result: { check: 'trunk', at: 0, ok: false, durationMs: 5000, outcome: 'timeout' } };
const dir = mkdtempSync(join(tmpdir(), 'sipwall-notify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Notifier', () => {
  it('webhook: a 500, then a hang past the timeout, then accepted: delivered once, and send() returned at once', async () => {
    const bodies: string[] = [];
    let requests = 0;
    const hung: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests++;
        if (requests === 1) return void res.writeHead(500).end();
        if (requests === 2) return void hung.push(res); // never answers
        bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const lines: string[] = [];
    const n = new Notifier({ command: undefined, webhook: { url: `http://127.0.0.1:${port}/hook`, timeoutMs: 300, retries: 4 }, log: (l) => lines.push(l), backoffMs: 20 });
    n.send(alert);
    // send() only queues: it returned before any request reached the server.
    const beforeReturn = requests;
    await n.drain(10_000);
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    expect(requests).toBe(3);
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0]!)).toMatchObject({ check: 'trunk', event: 'down', state: 'down', message: alert.message });
    expect(lines.some((l) => /delivered after 2 retries/.test(l))).toBe(true);
    expect(beforeReturn).toBe(0);
  });

  it('webhook that never accepts: bounded tries, then given up and logged', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const lines: string[] = [];
    const n = new Notifier({ command: undefined, webhook: { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, timeoutMs: 300, retries: 2 }, log: (l) => lines.push(l), backoffMs: 10 });
    n.send(alert);
    await n.drain(10_000);
    await new Promise((r) => server.close(r));
    expect(requests).toBe(3);
    expect(lines.at(-1)).toMatch(/not delivered after 3 tries \(HTTP 503\)/);
  });

  it('command: the alert in SIPWALL_* variables, retried on a failing exit', async () => {
    const out = join(dir, 'out');
    const marker = join(dir, 'failed-once');
    // Fails the first time (no marker yet), succeeds the second.
    const command = `if [ ! -e ${marker} ]; then touch ${marker}; exit 1; fi; printf '%s|%s|%s|%s' "$SIPWALL_CHECK" "$SIPWALL_EVENT" "$SIPWALL_STATE" "$SIPWALL_AT" > ${out}; printf '%s' "$SIPWALL_RESULT" > ${out}.json`;
    const n = new Notifier({ command, webhook: undefined, log: () => undefined, backoffMs: 10 });
    n.send(alert);
    await n.drain(10_000);
    expect(readFileSync(out, 'utf8')).toBe('trunk|down|down|2026-12-02T03:00:00.000Z');
    expect(JSON.parse(readFileSync(`${out}.json`, 'utf8'))).toMatchObject({ check: 'trunk', result: { outcome: 'timeout' } });
  });
});
