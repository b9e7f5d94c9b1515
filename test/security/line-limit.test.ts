/**
 * Issue 10.1: a line longer than the consuming tool reads as one line is split, and the rest runs
 * as a command of its own. ipset restore splits at 1,023 bytes, iptables-restore at 10,239.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER_LINE_BYTES, wrapUtf8 } from '../../src/targets/header.js';
import { checkLines, longLine } from '../../src/targets/line-limit.js';
import { TARGETS } from '../../src/targets/registry.js';
import { TargetError, type Target } from '../../src/targets/types.js';
import { inNetns } from '../../src/validate/run.js';
import { runCli } from '../helpers/cli.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

/**
 * A profile whose `source` puts `command` exactly at byte 1,023 of the header's provider line:
 * the split that ipset restore makes starts the next "line" with it.
 */
function hostileProfile(command: string): string {
  const prefix = '#   evil (Evil): retrieved 2026-11-01 from ';
  const base = 'https://example.com/';
  const room = 1023 - Buffer.byteLength(prefix) - base.length;
  const source = `${base}${'a'.repeat(room % 3)}${'\u2026'.repeat(Math.floor(room / 3))}${command}`;
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-evil-'));
  const file = join(dir, 'evil.yaml');
  writeFileSync(file, `id: evil\nname: Evil\nsource: "${source}"\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses: [198.51.100.0/24]\n    transports: { udp: 5060 }\n`);
  return file;
}

/** Every line of every file of every target stays within that target's declared line limit. */
function assertLines(files: ReadonlyArray<{ name: string; content: string }>, max: number): void {
  for (const f of files) expect(longLine(f.content, max), f.name).toBeUndefined();
}

describe('header lines are bounded, whatever the input', () => {
  it('a profile source of 345 three-byte characters gives no line over the header width, in any target', async () => {
    const profile = hostileProfile('flush');
    for (const target of TARGETS) {
      const run = await runCli(['render', '--profile', profile, '--target', target.meta.id, '--json', '--rtp-ports', '10000-20000', ...(target.meta.id === 'iptables' ? ['--ipset'] : []), ...(target.meta.flags?.number ? ['--number', '+13025551234'] : [])]);
      expect(run.code, `${target.meta.id}: ${run.stderr}`).toBe(0);
      const files = JSON.parse(run.stdout).files as Array<{ name: string; content: string }>;
      // Headers are wrapped at HEADER_LINE_BYTES; the comment marker and indentation add a few.
      // (aws api is JSON without a header: the source reaches no file.)
      const header = files.flatMap((f) => f.content.split('\n')).filter((l) => l.includes('\u2026') || l.includes('U+2026'));
      if (target.meta.id !== 'aws') expect(header.length, target.meta.id).toBeGreaterThan(1);
      for (const line of header) expect(Buffer.byteLength(line), target.meta.id).toBeLessThanOrEqual(HEADER_LINE_BYTES + 8);
      if (target.meta.limits.lineBytes !== undefined) assertLines(files, target.meta.limits.lineBytes);
    }
  });

  it('a long echoed command is cut at 2,000 bytes with the count of what was left out', async () => {
    const sources = Array.from({ length: 800 }, (_, i) => `192.0.${i >> 8}.${i & 255}/32`);
    const run = await runCli(['render', '-p', 'flynumber', '--target', 'iptables', '--json', '--ssh-from', sources.join(','), '--out', 'x']);
    expect(run.code, run.stderr).toBe(0);
    const written = run.written.map((f) => ({ name: f.name, content: f.content }));
    assertLines(written, 1022);
    const command = written[0]!.content.split('\n').filter((l) => l.startsWith('# Command:') || l.startsWith('#     '));
    expect(command.join('\n')).toMatch(/\.\.\. \(\d+ bytes more\)/);
  });

  it('wraps at character boundaries: no line over the width, nothing lost but the blanks it breaks at', () => {
    const text = `x ${'\u{1F600}'.repeat(80)} ${'é'.repeat(300)} end`;
    const lines = wrapUtf8(text, 50);
    for (const l of lines) {
      expect(Buffer.byteLength(l)).toBeLessThanOrEqual(50);
      expect(l).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    }
    expect(lines.map((l) => l.trim()).join('').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
  });
});

describe('the declared line limit runs on every render', () => {
  const fake = (content: string): Target => ({
    meta: { ...TARGETS[1]!.meta, id: 'fake', limits: { ...TARGETS[1]!.meta.limits, lineBytes: 10, lineSource: 'a test' } },
    render: () => ({ files: [{ name: 'f', content, mode: 0o644 }], warnings: [] }),
  });
  const render = (content: string) => checkLines(fake(content).meta, fake(content).render({} as never, {} as never));

  it('refuses a file with a line over the limit, naming file, line and bytes', () => {
    expect(() => render('short\n0123456789A\n')).toThrow(TargetError);
    expect(() => render('short\n0123456789A\n')).toThrow(/fake f: line 2 has 11 bytes, over the 10 that a test reads as one line/);
    expect(() => render('ééééé\né\n')).not.toThrow();
    expect(() => render('éééééé\n')).toThrow(/12 bytes/);
  });

  it('every target declares its line limit and its source', () => {
    for (const t of TARGETS) expect(t.meta.limits.lineSource.length, t.meta.id).toBeGreaterThan(20);
    expect(TARGETS.find((t) => t.meta.id === 'iptables')!.meta.limits.lineBytes).toBe(1022);
  });
});

const skip = rootMissing() || toolsMissing('unshare', 'ipset');

describe.skipIf(skip)('on the real ipset restore', () => {
  const victim = 'ipset create victim hash:net; ipset add victim 192.0.2.0/24';

  it('the limit is real: a 1,022-byte line is one line; in a longer one, what follows byte 1,023 runs as a command', () => {
    const ok = `# ${'x'.repeat(1022 - 2 - 5)}flush\n`;
    const split = `# ${'x'.repeat(1023 - 2)}flush\n`;
    expect(Buffer.byteLength(ok)).toBe(1023);
    const run = inNetns({ ok, split }, `${victim}; ipset restore < ok; ipset list victim | grep -c 192.0.2.0; ipset restore < split; ipset list victim | grep -c 192.0.2.0; true`);
    expect(run.output.split('\n').filter((l) => /^\d$/.test(l))).toEqual(['1', '0']);
  });

  it('a rendered ipset file with the hostile source flushes nothing on restore', async () => {
    const run = await runCli(['render', '--profile', hostileProfile('flush'), '--target', 'iptables', '--ipset', '--out', 'x']);
    expect(run.code, run.stderr).toBe(0);
    const ipset = run.written.find((f) => f.name === 'iptables.ipset')!;
    const result = inNetns({ 'iptables.ipset': ipset.content }, `${victim}; ipset restore < iptables.ipset && ipset list victim | grep -c 192.0.2.0`);
    expect(result.ok, result.output).toBe(true);
    expect(result.output.trim()).toBe('1');
  });
});
