/**
 * Issue 17.5: firewalld's policy objects arrived in 0.9.0 (firewalld.org, "Policy Objects:
 * Introduction", 2020-09). The script checks the version first and, on an older firewalld,
 * stops before it changes anything. Run against a fake firewall-cmd that logs every call.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'sipwall-firewalld-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
symlinkSync(join(import.meta.dirname, '..', 'helpers', 'fake-firewall-cmd.sh'), join(work, 'firewall-cmd'));

describe('firewalld.sh and the firewalld version', () => {
  it.each([
    ['0.8.6', false],
    ['0.6.3', false],
    ['0.9', true],
    ['0.9.0', true],
    ['0.9.11', true],
    ['1.3.3', true],
    ['2.1.1', true],
  ])('firewalld %s: applied %s', async (version, applied) => {
    const run = await runCli(['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', 'firewalld']);
    writeFileSync(join(work, 'firewalld.sh'), run.stdout);
    const log = join(work, `calls-${version}`);
    const sh = spawnSync('sh', [join(work, 'firewalld.sh')], { encoding: 'utf8', env: { PATH: `${work}:${process.env.PATH}`, FAKE_FIREWALLD_VERSION: version, FAKE_LOG: log }, timeout: 30_000 });
    if (applied) {
      expect([sh.status, sh.stderr]).toEqual([0, '']);
      expect(readFileSync(log, 'utf8')).toContain('--reload');
    } else {
      expect([sh.status, sh.stderr]).toEqual([1, `sipwall: firewalld ${version} has no policy objects (0.9.0 or later needed): nothing was changed\n`]);
      expect(existsSync(log)).toBe(false);
    }
  });
});
