/**
 * Issue 15, start-up: the built CLI loads no Node module a run does not use. node:assert (yargs'
 * shim; its error class makes process.stderr), node:v8 (only the services set a V8 flag) and
 * node:stream (process.stdout and process.stderr: output goes to the descriptors, stdio.ts) cost
 * 2-4 ms each of a ~120 ms start. Read from Node's own list of the modules it loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
const preload = join(mkdtempSync(join(tmpdir(), 'sipwall-modules-')), 'list.cjs');
writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(2, `\\nMODULES ${process.moduleLoadList.join(',')}\\n`));\n");

/** The Node modules a run of the built CLI loaded (`NativeModule assert`, …). */
function loaded(args: string[]): string[] {
  const run = spawnSync(process.execPath, ['--require', preload, BIN, ...args], { encoding: 'utf8', timeout: 30_000, cwd: join(import.meta.dirname, '..', '..') });
  const line = run.stderr.split('\n').find((l) => l.startsWith('MODULES '));
  expect(line, run.stderr).toBeDefined();
  return line!.slice('MODULES '.length).split(',');
}

describe('the modules a run loads', () => {
  it.each([[['--version']], [['render', '-p', 'flynumber', '--target', 'nftables']], [['render', '--profile', 'examples/profiles/my-trunk.yaml', '--target', 'nftables']], [['render', '--help']]])(
    '%j loads neither node:assert, node:v8 nor node:stream (stdout and stderr are pipes)',
    (args) => {
      const modules = loaded(args);
      expect(modules).toContain('NativeModule fs');
      expect(modules).not.toContain('NativeModule assert');
      expect(modules).not.toContain('NativeModule v8');
      expect(modules).not.toContain('NativeModule stream');
    },
  );

  it('a service loads node:v8 (its young-generation flag) and writes through a stream; its --help does neither', async () => {
    const port = await freePort();
    const service = loaded(['responder', '--bind', '127.0.0.1', '--sip', `udp:${port}`, '--duration', '1']);
    expect(service).toContain('NativeModule v8');
    expect(service).toContain('NativeModule stream');
    const help = loaded(['responder', '--help']);
    expect(help).not.toContain('NativeModule v8');
    expect(help).not.toContain('NativeModule stream');
  });
});
