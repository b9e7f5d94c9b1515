/**
 * Issue 10.9: profile reads are bounded (a regular file, a size limit a flag raises). Issue
 * 10.10: what opens far more than a provider needs is said out loud; impossible dates and
 * numbers are refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

function profileFile(addresses: string[], retrieved = '2026-11-01', media?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipwall-in-'));
  const file = join(dir, 'p.yaml');
  writeFileSync(file, `id: p\nname: P\nsource: https://example.com\nretrieved: ${retrieved}\nroles:\n  sip:\n    addresses: [${addresses.map((a) => `"${a}"`).join(', ')}]\n    transports: { udp: 5060 }\n${media ? `  media:\n    addresses: ${media}\n` : ''}`);
  return file;
}

async function refused(args: string[], message: RegExp): Promise<void> {
  const run = await runCli(['render', '--target', 'nftables', ...args, '--out', 'x']);
  expect(run.code, run.stderr).toBe(2);
  expect(run.written).toEqual([]);
  expect(run.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(run.stderr).toMatch(message);
}

describe('profile reads are bounded', () => {
  it('a device (/dev/zero) is refused at once, not read to exhaustion', async () => {
    await refused(['--profile', '/dev/zero'], /--profile \/dev\/zero: is a character device, not a regular file; give the path of a YAML or JSON profile \(a regular file\)/);
  });

  it('a FIFO is refused without blocking on it', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'sipwall-fifo-')), 'p.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await refused(['--profile', fifo], /is a FIFO, not a regular file/);
  });

  it('a folder is refused', async () => {
    await refused(['--profile', tmpdir()], /is a folder, not a regular file/);
  });

  it('a file over --max-profile-mib is refused with the flag that raises it; under it, it is read', async () => {
    const big = profileFile(Array.from({ length: 60_000 }, (_, i) => `10.${i >> 8 & 255}.${i & 255}.${i >> 16}/32`));
    await refused(['--profile', big, '--max-profile-mib', '1'], /has \d+ bytes, over the limit of 1048576; raise the limit with --max-profile-mib 256/);
    const run = await runCli(['render', '--target', 'nftables', '--profile', big, '--max-profile-mib', '2', '--pbx', 'asterisk']);
    expect(run.code, run.stderr).toBe(0);
  });

  it.each([['0'], ['abc'], ['1.5'], ['99999']])('--max-profile-mib %s is refused', async (value) => {
    await refused(['-p', 'flynumber', '--max-profile-mib', value], /--max-profile-mib: ".*" is not (a whole number from 1 to 4096|a number)/);
  });
});

describe('loud warnings', () => {
  const warnings = async (args: string[]) => {
    const run = await runCli(['render', '--target', 'nftables', '--pbx', 'asterisk', ...args]);
    expect(run.code, run.stderr).toBe(0);
    return run.stderr.split('\n').filter((l) => l.startsWith('sipwall: warning: '));
  };

  it.each([
    ['two /1 halves', ['0.0.0.0/1', '128.0.0.0/1'], /p SIP: 0\.0\.0\.0\/0 covers every address; the rule matches any address/],
    ['2000::/3', ['2000::/3'], /p SIP covers \d+ IPv6 addresses, as many as a \/3: far more than/],
    ['IPv4-mapped', ['::ffff:0:0/96'], /p SIP: ::ffff:0:0\/96 includes ::ffff:0:0\/96 \(IPv4-mapped: every IPv4 address\)/],
    ['NAT64', ['64:ff9b::/96'], /\(NAT64: every IPv4 address behind a NAT64 gateway\)/],
    ['link-local', ['fe80::/10'], /fe80::\/10 includes fe80::\/10 \(link-local\)/],
    ['loopback', ['127.0.0.0/8'], /127\.0\.0\.0\/8 includes 127\.0\.0\.0\/8 \(loopback\)/],
    ['a /8', ['11.0.0.0/8'], /p SIP covers 16777216 IPv4 addresses, as many as a \/8/],
  ])('%s', async (_name, addresses, message) => {
    expect((await warnings(['--profile', profileFile(addresses)])).join('\n')).toMatch(message);
  });

  it('an RTP range of every port, with media from any address', async () => {
    const said = (await warnings(['--profile', profileFile(['198.51.100.0/24'], '2026-11-01', 'any'), '--rtp-ports', '1-65535'])).join('\n');
    expect(said).toMatch(/the RTP range 1-65535 opens 65535 UDP ports to every address/);
    expect(said).toMatch(/holds UDP ports below 1024/);
    expect(said).toMatch(/holds the SIP port 5060: UDP SIP is open to every address/);
  });

  it('--ssh-from 0.0.0.0/0 says SSH is open to all', async () => {
    expect((await warnings(['-p', 'flynumber', '--ssh-from', '0.0.0.0/0'])).join('\n')).toMatch(/--ssh-from 0\.0\.0\.0\/0 covers every IPv4 address: SSH is open to all of them/);
  });

  it('nothing of this for the built-in providers and an ordinary range', async () => {
    const said = await warnings(['-p', 'flynumber', '-p', 'vapi', '--ssh-from', '192.0.2.0/24']);
    expect(said.filter((w) => /covers|includes|lies in|RTP range/.test(w))).toEqual([]);
  });
});

describe('impossible dates and numbers are refused', () => {
  it('retrieved: 2026-02-30', async () => {
    await refused(['--profile', profileFile(['198.51.100.0/24'], '2026-02-30')], /retrieved: "2026-02-30" is not a date/);
  });

  it('a retrieval date in the future', async () => {
    await refused(['--profile', profileFile(['198.51.100.0/24'], '2027-01-01'), '--pbx', 'asterisk'], /provider p: retrieved: "2027-01-01" is in the future \(today is 2026-11-23\)/);
  });

  it.each([['NaN'], ['-5'], ['abc'], ['1.5']])('--max-age %s', async (value) => {
    await refused(['-p', 'flynumber', '--max-age', value], /--max-age: ".*" is not (a whole number from 0 to 36500|a number)/);
  });
});
