/** The watch config: what it accepts, one clear line for what it refuses, and its published schema. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/net/errors.js';
import { parseWatchConfig, watchConfigJsonSchema } from '../../src/watch/config.js';

const GOOD = `
history: { dir: /var/lib/sipwall, retention: 7d }
alerts: { downAfter: 2, command: "logger sipwall", webhook: { url: "http://127.0.0.1:8080/hook", retries: 2 } }
checks:
  - name: trunk-tls
    target: sip:pbx.example.com
    transport: tls
    expect: { status: 200, maxRtt: 300ms, certDays: 21 }
    interval: 30s
    labels: { site: ams }
  - name: trunk-udp
    target: 192.0.2.10:5060
    cron: "*/5 * * * *"
modules:
  sip_tls_strict: { transport: tls, timeout: 3s, expect: { status: 200 } }
`;

describe('parseWatchConfig', () => {
  it('reads checks, schedules, expectations, history, alerts and modules, with defaults', () => {
    const c = parseWatchConfig(GOOD, 'checks.yaml');
    expect(c.checks.map((k) => [k.name, k.transport, k.schedule, k.timeoutMs])).toEqual([
      ['trunk-tls', 'tls', { everyMs: 30_000 }, 5000],
      ['trunk-udp', 'udp', { cron: '*/5 * * * *' }, 5000],
    ]);
    expect(c.checks[0]!.expect).toEqual({ status: 200, maxRttMs: 300, certDays: 21 });
    expect(c.checks[1]!.expect).toEqual({ status: 'any', maxRttMs: undefined, certDays: undefined });
    expect(c.history).toEqual({ dir: '/var/lib/sipwall', retentionMs: 7 * 86_400_000, maxFileBytes: 16 << 20 });
    expect(c.alerts).toMatchObject({ downAfter: 2, flapChanges: 4, flapWindowMs: 1_800_000, certDays: 14, webhook: { url: 'http://127.0.0.1:8080/hook', timeoutMs: 5000, retries: 2 } });
    expect(c.modules.get('sip_tls_strict')).toMatchObject({ transport: 'tls', timeoutMs: 3000 });
  });

  it('takes the history folder from systemd\'s STATE_DIRECTORY when the config names none', () => {
    const c = parseWatchConfig('checks: [{ name: a, target: pbx.example.com }]', 'c.yaml', { STATE_DIRECTORY: '/var/lib/sipwall:/var/lib/other' });
    expect(c.history.dir).toBe('/var/lib/sipwall');
    expect(parseWatchConfig('checks: [{ name: a, target: pbx.example.com }]', 'c.yaml').history.dir).toBe('sipwall-history');
  });

  it.each([
    ['not YAML', 'checks: [', /config c.yaml: is not valid YAML/],
    ['no checks', 'history: {}', /config c.yaml: checks: /],
    ['a typo', 'checks: [{ name: a, target: x.example.com, intervall: 5s }]', /checks\.0: unknown field intervall/],
    ['a bad duration', 'checks: [{ name: a, target: x.example.com, interval: 5 minutes }]', /checks\.0\.interval: a duration/],
    ['an interval under a second', 'checks: [{ name: a, target: x.example.com, interval: 10ms }]', /checks\.0\.interval: 10 ms is too short/],
    ['interval and cron', 'checks: [{ name: a, target: x.example.com, interval: 5s, cron: "* * * * *" }]', /checks\.0: has both interval and cron/],
    ['a bad cron', 'checks: [{ name: a, target: x.example.com, cron: "61 * * * *" }]', /checks\.0\.cron: "61 \* \* \* \*" is not a cron expression/],
    ['a bad target', 'checks: [{ name: a, target: "<x>" }]', /checks\.0\.target: "<x>" is not a SIP target/],
    ['a repeated name', 'checks: [{ name: a, target: x.example.com }, { name: a, target: y.example.com }]', /checks\.1\.name: "a" is used by another check/],
    ['a hostile name', 'checks: [{ name: "a b$(x)", target: x.example.com }]', /checks\.0\.name: letters, digits/],
    ['a bad label', 'checks: [{ name: a, target: x.example.com, labels: { "__x": y } }]', /labels/],
    ['a label the exporter uses', 'checks: [{ name: a, target: x.example.com, labels: { instance: y } }]', /labels: label names other than check, target/],
    ['a webhook to a file', 'alerts: { webhook: { url: "file:///etc/passwd" } }\nchecks: [{ name: a, target: x.example.com }]', /alerts\.webhook\.url/],
    ['a duplicate key', 'checks: [{ name: a, name: b, target: x.example.com }]', /not valid YAML/],
  ])('%s: one line naming the field', (_name, text, message) => {
    let error: unknown;
    try {
      parseWatchConfig(text, 'c.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('publishes its JSON Schema in docs (npm run schema rewrites it)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'watch-config.schema.json'), 'utf8')).toBe(watchConfigJsonSchema());
  });
});
