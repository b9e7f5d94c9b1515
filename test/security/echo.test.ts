/**
 * Issue 10.7: no control byte from a profile or a flag reaches the terminal raw. Issue 10.8:
 * noncharacters and lone surrogates are refused in profile text and never reach an XML file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/text/escape.js';
import { runCli } from '../helpers/cli.js';

/** What must never reach a terminal raw: C0/C1 controls, DEL, bidi and other format characters. */
const RAW = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const OSC52 = '\x1b]52;c;cm0gLXJmIC8K\x07';
const FAKE = '\rsipwall: wrote fw/iptables.rules.v4 (all checks passed)';

function profile(field: string, value: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-echo-'));
  const file = join(dir, 'p.json');
  const raw = { id: 'p', name: 'P', source: 'https://example.com', retrieved: '2026-11-01', roles: { sip: { addresses: ['198.51.100.0/24'], transports: { udp: 5060 } } } };
  const set = (path: string[], obj: Record<string, unknown>): void => {
    if (path.length === 1) obj[path[0]!] = value;
    else set(path.slice(1), obj[path[0]!] as Record<string, unknown>);
  };
  set(field.split('.'), raw as unknown as Record<string, unknown>);
  if (field === 'roles.sip.addresses') (raw.roles.sip as Record<string, unknown>).addresses = [value];
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

describe('echoed values are escaped', () => {
  it.each([
    ['a CIDR in a profile', () => ['render', '--profile', profile('roles.sip.addresses', `10.0.0.300${OSC52}${FAKE}\u202e`), '--target', 'nftables']],
    ['a profile file name', () => ['render', '--profile', `nosuch${OSC52}${FAKE}.yaml`, '--target', 'nftables']],
    ['an unknown flag', () => ['render', '-p', 'flynumber', '--target', 'nftables', `--x\x1b[2J${FAKE}`]],
    ['a bad --rtp-ports', () => ['render', '-p', 'flynumber', '--target', 'nftables', '--rtp-ports', `1-2\x1b[1A${FAKE}`]],
    ['a bad --ssh-from', () => ['render', '-p', 'flynumber', '--target', 'nftables', '--ssh-from', `${OSC52}\n${FAKE}`]],
    ['an unknown provider', () => ['render', '-p', `x\x9b31m${FAKE}`, '--target', 'nftables']],
    ['a probe target', () => ['probe', 'sip', `pbx${OSC52}.example`, '--timeout', '100']],
  ])('%s: one line, every control shown as an escape', async (_name, args) => {
    const run = await runCli(args());
    expect(run.code).toBe(2);
    const line = run.stderr.replace(/\n$/, '');
    expect(line).not.toMatch(RAW);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/\\x1b|\\x0d|\\x9b|\\x0a|pbx\?/);
  });

  it('terminalText escapes controls, format characters and lone surrogates, and keeps everything else', () => {
    expect(terminalText('a\x1b[31mb\rc\nd\x7f\x85\u202e\u200b\uD800é😀')).toBe('a\\x1b[31mb\\x0dc\\x0ad\\x7f\\x85\\u{202e}\\u{200b}\\u{d800}é😀');
  });
});

describe('noncharacters and lone surrogates', () => {
  it.each([['U+FFFE', '\uFFFE'], ['U+FFFF', '\uFFFF'], ['U+FDD0', '\uFDD0'], ['U+10FFFF', '\u{10FFFF}'], ['a lone surrogate', '\uD800']])('%s in a profile source is refused, naming the field', async (_name, c) => {
    const run = await runCli(['render', '--profile', profile('source', `https://example.com/${c}`), '--target', 'pfsense', '--out', 'x']);
    expect(run.code).toBe(2);
    expect(run.written).toEqual([]);
    expect(run.stderr).toMatch(/source: control characters \(newlines, tabs, escapes\), noncharacters \(U\+FFFE, U\+FFFF\) and lone surrogates are not allowed/);
  });

  it.each(['pfsense', 'opnsense', 'firewalld'])('%s: a U+FFFF in a flag value echoed in the header does not reach the XML; xmllint accepts it', async (target) => {
    const run = await runCli(['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', target, ...(target === 'firewalld' ? ['--form', 'xml'] : []), '--out', 'fw\uFFFF\uD800']);
    expect(run.code, run.stderr).toBe(0);
    const xml = run.written.filter((f) => f.name.endsWith('.xml'));
    expect(xml.length).toBeGreaterThan(0);
    for (const f of xml) {
      expect(f.content).toMatch(/- ?-out 'fw/);
      expect(f.content).not.toMatch(/[\p{Cs}\p{Noncharacter_Code_Point}]/u);
      const check = spawnSync('xmllint', ['--noout', '-'], { input: f.content, encoding: 'utf8' });
      if (check.error) throw new Error(`xmllint: ${String(check.error)}`);
      expect(check.status, check.stderr).toBe(0);
    }
  });
});
