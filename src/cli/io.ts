/** Everything the CLI does to the outside world, injectable for tests. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  /** Writes files into a folder, each atomically (temp file + rename). */
  writeFiles(dir: string, files: ReadonlyArray<{ name: string; content: string; mode: number }>): string[];
  now(): Date;
  /** Whether stderr is a terminal (spinners and progress bars only then). */
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `stop` once on SIGINT or SIGTERM (the responder's clean shutdown). */
  onStop(stop: () => void): void;
}

export const nodeIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFiles(dir, files) {
    mkdirSync(dir, { recursive: true });
    return files.map((f) => {
      const path = join(dir, f.name);
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, f.content, { mode: f.mode });
      renameSync(tmp, path);
      return path;
    });
  },
  now: () => new Date(),
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  onStop(stop) {
    const once = () => {
      process.off('SIGINT', once);
      process.off('SIGTERM', once);
      stop();
    };
    process.once('SIGINT', once);
    process.once('SIGTERM', once);
  },
};
