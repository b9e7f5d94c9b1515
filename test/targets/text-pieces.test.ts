/**
 * Files made in pieces (src/targets/pieces.ts): the 35 MB of iptables rules for 100,000 prefixes
 * are written piece by piece and never held whole. The pieces must be the text byte for byte, the
 * line check must see every line of them, and a refusal must still leave nothing written.
 */
import Handlebars from 'handlebars';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAll } from '../../src/cli/write.js';
import { checkLines, longLine } from '../../src/targets/line-limit.js';
import { Lines } from '../../src/targets/lines.js';
import { piecedFile, piecesOf } from '../../src/targets/pieces.js';
import { TARGETS } from '../../src/targets/registry.js';
import { linesFile, slotsOf, templateSet } from '../../src/targets/templates.js';
import { TargetError, type OutputFile } from '../../src/targets/types.js';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const mark = (k: number) => `\u0000sipwall-lines-${k}\u0000`;

/** A Lines of `n` numbered rules. */
function rules(n: number): Lines {
  const lines = new Lines();
  lines.push('-A SIPWALL-IN -i lo -j ACCEPT');
  lines.block('-A SIPWALL-IN -s ', Array.from({ length: n }, (_, i) => `192.0.${i >> 8}.${i & 255}/32`), ' -j ACCEPT');
  return lines;
}
const iptablesView = (lines: Lines, header = ['a header']) => (put: (l: Lines) => string) => ({ headerLines: header, builtins: [], chains: ['SIPWALL-IN'], rules: put(lines) });

describe('slotsOf', () => {
  it('cuts a text at each mark, in the order written', () => {
    expect(slotsOf(`a${mark(1)}b${mark(0)}c\n`, 2)).toEqual(['a', 1, 'b', 0, 'c\n']);
  });

  it.each([
    ['a mark written twice (a view value can hold one)', `a${mark(0)}b${mark(0)}c\n`, 1],
    ['a mark missing', `a${mark(0)}c\n`, 2],
    ['a mark of no slot', `a${mark(0)}b${mark(7)}c\n`, 2],
    ['nothing but newlines after the last mark', `a${mark(0)}\n\n`, 1],
    ['nothing at all after the last mark', `a${mark(0)}`, 1],
  ])('places nothing when %s', (_, text, count) => {
    expect(slotsOf(text, count)).toBeUndefined();
  });
});

describe('linesFile', () => {
  it('makes a built-in template in pieces, the same text as a user copy of that template makes whole', () => {
    const lines = rules(3000);
    const pieced = linesFile('f', 0o644, 'iptables', iptablesView(lines));
    expect(pieced.pieces).toBeDefined();
    const set = templateSet(Handlebars.create() as never, new Map([['iptables', readFileSync(join(ROOT, 'templates', 'iptables.hbs'), 'utf8')]]));
    const whole = linesFile('f', 0o644, 'iptables', iptablesView(lines), set);
    expect(whole.pieces).toBeUndefined();
    expect([...piecesOf(pieced)].join('')).toBe(whole.content);
    expect(pieced.content).toBe(whole.content);
    expect(whole.content).toContain('\n-A SIPWALL-IN -s 192.0.11.183/32 -j ACCEPT\nCOMMIT\n');
    // Several pieces, none of them the whole block.
    expect([...piecesOf(pieced)].length).toBeGreaterThan(5);
  });

  it('makes the text whole when a view value holds a mark', () => {
    const lines = rules(3);
    const file = linesFile('f', 0o644, 'iptables', iptablesView(lines, [`evil ${mark(0)}`]));
    expect(file.pieces).toBeUndefined();
    expect(file.content).toContain(`# evil ${mark(0)}\n`);
    expect(file.content).toContain('-A SIPWALL-IN -s 192.0.0.2/32 -j ACCEPT\nCOMMIT\n');
  });
});

describe('the line check of a file in pieces', () => {
  const meta = { ...TARGETS.find((t) => t.meta.id === 'iptables')!.meta, limits: { lineBytes: 10, lineSource: 'a test' } };
  const checked = (pieces: string[]) => checkLines(meta as never, { files: [piecedFile('f', 0o644, () => pieces)], warnings: [] }).files[0]!;

  it.each([
    ['in one piece', ['short\n0123456789A\nok'], 2, 11],
    ['across pieces', ['short\n01234', '56789', 'AB\nok'], 2, 12],
    ['of three-byte characters across pieces', ['ab\n€€', '€€\n'], 2, 12],
    ['at the very end', ['ok\n', '0123456789A'], 2, 11],
    ['with pieces after it', ['x\n0123456789A\n', 'ok\n', 'fine'], 2, 11],
  ])('refuses a long line %s, with its number and its whole size', (_, pieces, line, bytes) => {
    const file = checked(pieces);
    expect(() => [...piecesOf(file)]).toThrow(TargetError);
    expect(() => [...piecesOf(file)]).toThrow(`f: line ${line} has ${bytes} bytes, over the 10`);
    expect(() => file.content).toThrow(`line ${line} has ${bytes} bytes`);
    expect(longLine(pieces.join(''), 10)).toEqual({ line, bytes });
  });

  it('lets the lines at the limit through, piece for piece', () => {
    const pieces = ['0123456789\n012', '3456789\néééé', 'é\n'];
    expect([...piecesOf(checked(pieces))]).toEqual(pieces);
    expect(checked(pieces).content).toBe(pieces.join(''));
  });
});

describe('writeAll with files in pieces', () => {
  it('writes the pieces byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-out-'));
    // Small pieces fill the buffer before it is written; a piece of three-byte characters as
    // long as the buffer holds comes after one byte of it is used.
    const pieces = ['b', '€'.repeat(2 ** 18), 'a😀', '\n€', 'x'.repeat(2 ** 19), '\nend\n'];
    const [path] = writeAll(dir, [piecedFile('f', 0o644, () => pieces)]);
    expect(readFileSync(path!).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
  });

  it('a refusal met while writing stands as itself, and leaves the folder as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-out-'));
    writeFileSync(join(dir, 'f'), 'old\n');
    const meta = { ...TARGETS[0]!.meta, limits: { lineBytes: 10, lineSource: 'a test' } };
    const files: OutputFile[] = [
      { name: 'e', content: 'fine\n', mode: 0o644 },
      ...checkLines(meta as never, { files: [piecedFile('f', 0o644, () => ['ok\n', 'x'.repeat(11)])], warnings: [] }).files,
    ];
    expect(() => writeAll(dir, files)).toThrow(/line 2 has 11 bytes/);
    expect(readdirSync(dir)).toEqual(['f']);
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('old\n');
  });
});

describe('iptables in pieces, through the CLI', () => {
  const render = (...args: string[]) => runCli(['render', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--target', 'iptables', '--out', 'out', ...args]);

  it('a copy of the built-in template writes the same bytes (made whole) as the built-in (made in pieces)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-templates-'));
    copyFileSync(join(ROOT, 'templates', 'iptables.hbs'), join(dir, 'iptables.hbs'));
    const [plain, own] = [await render(), await render('--templates', dir)];
    expect(own.code, own.stderr).toBe(0);
    // The header names the command line, which differs by --templates: the rest is byte for byte.
    const body = (files: typeof own.written) => files.map((f) => f.content.replace(/^# Command:.*\n(# {2}.*\n)*/m, ''));
    expect(body(own.written)).toEqual(body(plain.written));
    expect(body(own.written)[0]).toContain('\n-A SIPWALL-IN -s ');
  });

  it('--json --out gives the size of each file as written', async () => {
    // A name of two-byte characters: bytes, not UTF-16 units.
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-profile-'));
    writeFileSync(join(dir, 'cafe.yaml'), 'id: cafe\nname: Café Téléphone\nsource: https://example.com/\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses: [198.51.100.0/24]\n    transports: { udp: 5060 }\n');
    const run = await runCli(['render', '--profile', join(dir, 'cafe.yaml'), '--target', 'iptables', '--out', 'out', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const sizes = (JSON.parse(run.stdout) as { files: Array<{ name: string; bytes: number }> }).files.map((f) => f.bytes);
    expect(sizes).toEqual(run.written.map((f) => Buffer.byteLength(f.content)));
  });

  it("a user's template may write the rules twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-templates-'));
    writeFileSync(join(dir, 'iptables-body.hbs'), '*filter\n{{rules}}\n{{rules}}\nCOMMIT\n');
    const run = await render('--templates', dir);
    expect(run.code, run.stderr).toBe(0);
    const v4 = run.written.find((f) => f.name === 'iptables.rules.v4')!.content.split('\n');
    const rule = v4.find((l) => l.startsWith('-A SIPWALL-IN -s '))!;
    expect(v4.filter((l) => l === rule)).toHaveLength(2);
  });
});
