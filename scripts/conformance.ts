/**
 * `npm run conformance -- <rfc4475.txt | folder of NAME.dat>`: replays RFC 4475's own messages
 * (the archive in the RFC's section 4, byte for byte) against the responder over UDP and TCP and
 * prints, per message, what it answered against what the RFC asks. Exit 0 when all 49 conform.
 *
 * The test suite replays messages of our own making, one per RFC row (test/probe/torture);
 * this script is how the RFC's exact bytes are checked, from a copy of the RFC you supply.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { conform } from '../test/probe/torture/run.js';

/** The archive between the second pair of markers (the first pair is in the RFC's Perl listing). */
function fromRfcText(text: string): Map<string, Buffer> {
  const blocks = [...text.matchAll(/-- BEGIN MESSAGE ARCHIVE --([\s\S]*?)-- END MESSAGE ARCHIVE --/g)];
  const block = blocks.at(-1)?.[1];
  if (!block) throw new Error('no "-- BEGIN MESSAGE ARCHIVE --" block: is this RFC 4475 as text?');
  // Lines of one token are base64; page headers and footers have spaces and are left out.
  const base64 = block.split('\n').map((l) => l.trim()).filter((l) => /^[A-Za-z0-9+/=]+$/.test(l)).join('');
  return untar(gunzipSync(Buffer.from(base64, 'base64')));
}

/** The regular files of a ustar archive (POSIX.1-1988: 512-byte headers, octal sizes). */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = tar.toString('latin1', at, at + 100).replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(tar.toString('latin1', at + 124, at + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    const type = tar.toString('latin1', at + 156, at + 157);
    if (type === '0' || type === '\0') files.set(name.replace(/^.*\//, '').replace(/\.dat$/, ''), tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function fromFolder(folder: string): Map<string, Buffer> {
  return new Map(readdirSync(folder).filter((f) => f.endsWith('.dat')).map((f) => [f.slice(0, -4), readFileSync(join(folder, f))]));
}

const source = process.argv[2];
if (!source) {
  console.error('usage: npm run conformance -- <rfc4475.txt | folder of NAME.dat files>');
  process.exit(2);
}
const messages = statSync(source).isDirectory() ? fromFolder(source) : fromRfcText(readFileSync(source, 'latin1'));
const verdicts = await conform(messages, true);
for (const v of verdicts) {
  const got = v.statuses.length === 0 ? 'no answer' : v.statuses.join('+');
  const want = Array.isArray(v.expected) ? v.expected.join('|') : v.expected;
  console.log(`${v.problems.length === 0 ? 'ok  ' : 'FAIL'} ${v.section.padEnd(9)} ${v.name.padEnd(11)} ${v.transport} ${got.padEnd(10)} want ${want}${v.problems.length ? `  ${v.problems.join('; ')}` : ''}`);
}
const names = new Set(verdicts.map((v) => v.name));
const failed = new Set(verdicts.filter((v) => v.problems.length > 0).map((v) => v.name));
console.log(`${names.size - failed.size} of ${names.size} messages handled as RFC 4475 asks over UDP and TCP`);
process.exit(failed.size === 0 ? 0 : 1);
