/**
 * The exporter's status page in a real browser (Debian's chromium through playwright-core): a
 * running watch's checks with their states, last results and RTT charts, nothing fetched from
 * anywhere but the exporter; a screenshot is kept in reports/status-page.png. And every value
 * from the network is escaped.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readBounded } from '../../src/cli/read.js';
import { Responder } from '../../src/probe/responder.js';
import { parseSipTarget } from '../../src/probe/target.js';
import { statusPage } from '../../src/watch/page.js';
import type { Watch } from '../../src/watch/watch.js';
import { freePort } from '../helpers/ports.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const have = existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error('chromium is missing: .ci/run installs Debian\'s chromium');
const dir = mkdtempSync(join(tmpdir(), 'sipwall-page-'));
let responder: Responder;
let port: number;

beforeAll(async () => {
  port = await freePort();
  responder = new Responder({ sip: [{ transport: 'udp', port }], rtp: undefined, allow: undefined, host: '127.0.0.1', sipRate: 1000, rtpRate: 1, log: () => undefined });
  await responder.start();
});
afterAll(async () => {
  await responder.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('status page', () => {
  it('escapes what the network says', () => {
    const watch = { checks: [{ name: 'x', input: 'pbx.example.com', transport: 'udp', target: parseSipTarget('pbx.example.com') }], states: new Map() } as unknown as Watch;
    const html = statusPage(watch, [{ check: 'x', at: 0, ok: false, durationMs: 1, outcome: 'error', why: '<img src=x onerror=alert(1)>"' }], 1000);
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;&#34;');
  });

  it.runIf(have)('renders the checks of a running watch in headless Chromium, from the exporter alone', async () => {
    const closed = await freePort();
    const config = join(dir, 'checks.yaml');
    writeFileSync(config, `history: { dir: ${join(dir, 'history')} }\nalerts: { downAfter: 1 }\nchecks:\n  - { name: trunk-udp, target: "127.0.0.1:${port}", transport: udp, interval: 1s }\n  - { name: dead-tcp, target: "127.0.0.1:${closed}", transport: tcp, interval: 1s }\n`);
    let stdout = '';
    let stop: (() => void) | undefined;
    const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stdout += t), readFile: readBounded, listFolder: () => [], writeFiles: () => [], now: () => new Date(), stderrIsTTY: false, env: {}, onStop: (f) => void (stop = f), onReload: () => undefined };
    const exit = main(['exporter', '--listen', `127.0.0.1:${await freePort()}`, '--config', config], io);
    let url = '';
    for (let i = 0; i < 200 && !url; i++) {
      url = /exporter on (http:\/\/[^/\s]+)\/metrics/.exec(stdout)?.[1] ?? '';
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(url, stdout).not.toBe('');
    // Both checks have run (the page is built at most every 10 s: it must not be built before).
    let metrics = '';
    for (let i = 0; i < 200 && !(metrics.includes('sipwall_check_up{check="trunk-udp"} 1') && metrics.includes('sipwall_check_up{check="dead-tcp"} 0')); i++) {
      await new Promise((r) => setTimeout(r, 50));
      metrics = await (await fetch(`${url}/metrics`)).text();
    }
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(`${url}/`);
      const states = await page.locator('td.state').allTextContents();
      expect(await page.locator('tbody tr td:first-child').allTextContents()).toEqual(['trunk-udp', 'dead-tcp']);
      expect(states).toEqual(['up', 'down']);
      expect(await page.locator('tr.up td:nth-child(4)').textContent()).toMatch(/answered 200, [\d.]+ ms/);
      expect(await page.locator('svg.rtt').count()).toBe(2);
      mkdirSync(join(ROOT, 'reports'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'reports', 'status-page.png'), fullPage: true });
      expect(requested.every((u) => u.startsWith(`${url}/`))).toBe(true);
    } finally {
      await browser?.close();
      stop?.();
      expect(await exit).toBe(0);
    }
  }, 60_000);
});
