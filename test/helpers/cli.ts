/** Runs the CLI in-process with a recording Io. */
import { readdirSync } from 'node:fs';
import { readBounded } from '../../src/cli/read.js';
import { basename, dirname, join } from 'node:path';
import { piecesOf } from '../../src/targets/pieces.js';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import type { Target } from '../../src/targets/types.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  written: Array<{ dir: string; name: string; content: string; mode: number }>;
}

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/**
 * `now` defaults to a fixed day so staleness warnings do not change with the calendar; `targets`
 * replaces the registry (a throw-away target in test/targets/registry.test.ts).
 */
export async function runCli(argv: string[], now = new Date('2026-11-23T12:00:00Z'), targets?: readonly Target[]): Promise<CliRun> {
  const run: CliRun = { code: 0, stdout: '', stderr: '', written: [] };
  const io: Io = {
    stdout: (t) => void (run.stdout += t),
    stderr: (t) => void (run.stderr += t),
    readFile: (path, maxBytes) => readBounded(path.startsWith('/') ? path : join(FIXTURES, path), maxBytes),
    listFolder: (path) => readdirSync(path.startsWith('/') ? path : join(FIXTURES, path)),
    writeFiles: (dir, files) => {
      // A name with a folder (--target all: `aws/aws.tf`) is recorded as that folder and the file.
      // The text as the real writer takes it: in pieces where a file has them (the goldens hold them).
      run.written.push(...files.map((f) => ({ dir: join(dir, dirname(f.name)).replace(/\/\.$/, ''), name: basename(f.name), content: [...piecesOf(f)].join(''), mode: f.mode })));
      return files.map((f) => join(dir, f.name));
    },
    now: () => now,
    stderrIsTTY: false,
    env: {},
    onStop: () => undefined,
    onReload: () => undefined,
  };
  run.code = await (targets === undefined ? main(argv, io) : main(argv, io, targets));
  return run;
}
