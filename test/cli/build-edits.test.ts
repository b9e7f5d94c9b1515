/**
 * scripts/build.mjs edits lines of yargs and cliui in the bundle (EDITS). The build stops when a line
 * is gone; these tests prove, through the built CLI, that the edits do what they are there for
 * and that yargs still does its part: the version, help and errors.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'sipwall.cjs');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe("the build's edits to yargs", () => {
  it('no package.json of the working folder is read: a FIFO named so, which blocks any reader, is passed by', () => {
    // yargs() guessed a version from the package.json nearest the working folder, listing every
    // folder up to it: a FIFO there made `--version` wait for a writer for ever.
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-cwd-'));
    execFileSync('mkfifo', [join(dir, 'package.json')]);
    for (const args of [['--version'], ['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', 'nftables'], ['render', '--help']]) {
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      expect(run.error, `${args.join(' ')}: ${run.error?.message}`).toBeUndefined();
      expect(run.status, run.stderr).toBe(0);
    }
    const version = spawnSync(process.execPath, [BIN, '--version'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(version.stdout).toBe(`${VERSION}\n`);
    const help = spawnSync(process.execPath, [BIN, '--help'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(help.stdout).toContain('--version  Show version number');
  });

  it("help is the same at any terminal width, so cliui need not ask for it: yargs' own, unedited (here), and the bundle's", async () => {
    // In this process yargs and cliui are node_modules' own, which read process.stdout.columns.
    const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    const helpAt = async (width: number) => {
      Object.defineProperty(process.stdout, 'columns', { value: width, configurable: true });
      return (await runCli(['render', '--help'])).stdout;
    };
    try {
      const [narrow, wide] = [await helpAt(60), await helpAt(200)];
      expect(narrow).toBe(wide);
      const bundle = spawnSync(process.execPath, [BIN, 'render', '--help'], { encoding: 'utf8', timeout: 20_000 });
      expect(bundle.stdout).toBe(wide);
    } finally {
      if (columns) Object.defineProperty(process.stdout, 'columns', columns);
      else delete (process.stdout as { columns?: number }).columns;
    }
  });
});
