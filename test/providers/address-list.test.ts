/** Address list files (docs/profiles.md): the format, its errors, and the profiles that name them. */
import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../src/providers/address-list.js';
import { parseProfileText } from '../../src/providers/profile-file.js';
import { runCli } from '../helpers/cli.js';

describe('parseAddressList', () => {
  it('reads one entry a line; comments, blanks, spaces and CRLF ignored; lines counted from 1', () => {
    const list = parseAddressList('# feed\r\n203.0.113.0/24\r\n\r\n  198.51.100.7  # a host\n#x\n2001:db8::/32', 'f.txt', 'w');
    expect(list.entries).toEqual(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32']);
    expect(list.lines).toEqual([2, 4, 6]);
  });

  it('refuses an empty list and an over-long line, naming the file and line', () => {
    expect(() => parseAddressList('# nothing\n\n', 'f.txt', 'profile p.yaml: roles.sip.addresses: f.txt')).toThrow('profile p.yaml: roles.sip.addresses: f.txt: lists no address or prefix; write one CIDR or address per line in f.txt');
    expect(() => parseAddressList(`203.0.113.0/24\n${'1'.repeat(65)}\n`, 'f.txt', 'w: f.txt')).toThrow('w: f.txt line 2: holds 65 characters, more than any address or prefix');
  });

  // A search for "#" from each line start to the end of the text is quadratic: ~20 s at 300,000
  // lines here, minutes at 1,000,000; the linear scan takes about a second on a slow machine.
  it('is linear: 1,000,000 lines without a comment parse within the test timeout', () => {
    const text = Array.from({ length: 1_000_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`).join('\n');
    expect(parseAddressList(text, 'f.txt', 'w').entries).toHaveLength(1_000_000);
  }, 30_000);
});

describe('profiles naming list files', () => {
  const profile = (sip: string, media = 'any') => `id: x\nname: X\nsource: s\nretrieved: 2026-01-02\nroles:\n  sip:\n    addresses: ${sip}\n    transports: { udp: 5060 }\n  media:\n    addresses: ${media}\n`;
  const files: Record<string, string> = { 'a.txt': '203.0.113.0/24\n2001:db8::/32\n', 'b.txt': '198.51.100.0/24\n' };
  const read = (name: string) => {
    if (!(name in files)) throw new Error(`no ${name}`);
    return files[name]!;
  };

  it('gives the same provider as the list written inline; one file for SIP and media is read once', async () => {
    let reads = 0;
    const counted = (name: string) => (reads++, read(name));
    const fromFile = await parseProfileText(profile('{ file: a.txt }', '{ file: a.txt }'), 'p.yaml', counted);
    expect(fromFile).toEqual(await parseProfileText(profile('[203.0.113.0/24, 2001:db8::/32]', '[203.0.113.0/24, 2001:db8::/32]'), 'p.yaml'));
    expect(fromFile.media!.addresses).toBe(fromFile.sip!.addresses);
    expect(reads).toBe(1);
    expect((await parseProfileText(profile('{ file: a.txt }', '{ file: b.txt }'), 'p.yaml', read)).media!.addresses).toHaveLength(1);
  });

  it('refuses a list file in a built-in-style call without a reader, and an empty file name', async () => {
    await expect(parseProfileText(profile('{ file: a.txt }'), 'p.yaml')).rejects.toThrow('profile p.yaml: roles.sip.addresses: names a list file, which only a profile file may do');
    await expect(parseProfileText(profile('{ file: "" }'), 'p.yaml', read)).rejects.toThrow('profile p.yaml: roles.sip.addresses.file: name the list file');
    await expect(parseProfileText(profile('{ fiel: a.txt }'), 'p.yaml', read)).rejects.toThrow(/unknown field fiel; did you mean file\?/);
  });
});

describe('sipwall render --profile with list files', () => {
  it('renders the same rules as the inline profile (relative to the profile, CRLF and comments in the list)', async () => {
    const body = (text: string) => text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    const [lists, inline] = await Promise.all([runCli(['render', '--profile', 'list-trunk.yaml', '--target', 'nftables']), runCli(['render', '--profile', 'test-trunk.yaml', '--target', 'nftables'])]);
    expect(lists.code).toBe(0);
    expect(body(lists.stdout)).toBe(body(inline.stdout));
    expect(body(lists.stdout)).toContain('203.0.113.8/29');
  });

  it.each([
    ['a bad line', 'lists/bad-list.yaml', 'sipwall: profile lists/bad-list.yaml: roles.sip.addresses: bad.txt line 3: "198.51.100.7/24" has host bits set; write the network 198.51.100.0/24 (or the host address alone)\n'],
    ['a missing file', 'lists/no-list.yaml', 'sipwall: profile lists/no-list.yaml: roles.sip.addresses: lists/nosuch.txt: cannot be read (ENOENT); give the path of an address list (a regular file), relative to the profile\n'],
  ])('%s: one line naming the file and line, exit 2, nothing written', async (_, file, message) => {
    const run = await runCli(['render', '--profile', file, '--target', 'nftables']);
    expect([run.code, run.stderr, run.stdout, run.written]).toEqual([2, message, '', []]);
  });
});
