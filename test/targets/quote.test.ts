import { describe, expect, it } from 'vitest';
import { iptablesComment, lineComment, nftString, shellWord } from '../../src/targets/quote.js';

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
