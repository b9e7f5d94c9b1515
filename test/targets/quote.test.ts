import { describe, expect, it } from 'vitest';
import { awsDescription, hclString, iptablesComment, lineComment, nftString, psString, routerosString, shellWord, xmlComment, xmlText } from '../../src/targets/quote.js';

const HOSTILE = ['a"b', "it's", '$(reboot)', '`id`', 'x; rm -rf /', 'line\nbreak', 'tab\there', 'back\\slash', '\u2028sep', 'x'.repeat(400)];

describe('quoting per target language', () => {
  it.each(HOSTILE)('nft: %j stays one quoted string of at most 128 bytes', (text) => {
    const q = nftString(text);
    expect(q).toMatch(/^"[^"\n\r\u2028]*"$/);
    expect(Buffer.byteLength(q.slice(1, -1))).toBeLessThanOrEqual(128);
  });

  it.each(HOSTILE)('iptables: %j stays one quoted token without escapes', (text) => {
    const q = iptablesComment(text);
    expect(q).toMatch(/^"[^"\\\n\r\u2028]*"$/);
    expect(Buffer.byteLength(q.slice(1, -1))).toBeLessThanOrEqual(255);
  });

  it.each(HOSTILE)('# comments: %j stays on one line', (text) => {
    expect(lineComment(text)).not.toMatch(/[\n\r\u2028\u2029\t]/);
  });

  it.each(HOSTILE)('shell: %j is one word that the shell reads back unchanged', async (text) => {
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('sh', ['-c', `printf %s ${shellWord(text)}`], { encoding: 'utf8' })).toBe(text);
  });
});

describe('quoting for the other target languages', () => {
  const hostile = `a"b'c\\d$e{f}%{g}\${h}\`i\u2019j?k--l<m>&n\nz`;

  it('XML: the five entities, nothing else special', () => {
    expect(xmlText(hostile)).toBe('a&quot;b&apos;c\\d$e{f}%{g}${h}`i\u2019j?k--l&lt;m&gt;&amp;n z');
    expect(xmlComment('--target x-')).toBe('- -target x- ');
  });

  it('HCL: quotes, backslashes and both template openers escaped', () => {
    expect(hclString(hostile)).toBe('"a\\"b\'c\\\\d$e{f}%%{g}$${h}`i\u2019j?k--l<m>&n z"');
  });

  it('PowerShell: every single-quote look-alike doubled', () => {
    expect(psString("it's \u2018x\u2019 \u201a\u201b")).toBe("('it''s ' + [char]0x2018 + 'x' + [char]0x2019 + ' ' + [char]0x201A + [char]0x201B)");
    expect(psString('\u00d2 \u{1F600}')).toBe("('' + [char]0x00D2 + ' ' + [char]0xD83D + [char]0xDE00)");
  });

  it('RouterOS: ASCII only, " \\ $ ? escaped', () => {
    expect(routerosString('a"b\\c$d?e é')).toBe('"a\\"b\\\\c\\$d\\?e \\C3\\A9"');
  });

  it('AWS descriptions keep to the allowed characters and 255 of them', () => {
    expect(awsDescription("x'y\"z<é>")).toBe('x_y_z___');
    expect(awsDescription('a'.repeat(300))).toHaveLength(255);
  });
});
