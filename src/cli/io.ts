/** Everything the CLI does to the outside world, injectable for tests. */
import { readdirSync } from 'node:fs';
import { readBounded } from './read.js';
import { BACKLOG_BYTES, descriptorWriter, droppedLine, streamWriter } from './stdio.js';
import { writeAll, type FileToWrite } from './write.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A regular file of at most `maxBytes` (src/cli/read.ts). */
  readFile(path: string, maxBytes: number): string;
  /** The names in a folder (`--templates DIR`); throws with the fs error code (ENOTDIR, ENOENT). */
  listFolder(path: string): string[];
  /** Writes one run's files into a folder, all or nothing (src/cli/write.ts); returns their paths. */
  writeFiles(dir: string, files: readonly FileToWrite[]): string[];
  now(): Date;
  /** Whether stderr is a terminal (spinners and progress bars only then). */
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `stop` once on SIGINT or SIGTERM (the responder's clean shutdown). */
  onStop(stop: () => void): void;
  /** Calls `reload` on every SIGHUP (the watch rereads its config). */
  onReload(reload: () => void): void;
  /**
   * One line typed on stdin; undefined at its end, after `timeoutMs`, or once `signal` aborts
   * (apply's confirmation). It stops reading stdin then, so that the process can exit.
   */
  readLine?(timeoutMs: number, signal?: AbortSignal): Promise<string | undefined>;
}

export const nodeIo: Io = {
  stdout: descriptorWriter(1, () => process.stdout),
  stderr: descriptorWriter(2, () => process.stderr),
  readFile: readBounded,
  listFolder: (path) => readdirSync(path),
  writeFiles: writeAll,
  now: () => new Date(),
  // Read when asked: process.stderr is made on first use (3-4 ms with the stream modules), and
  // a run that writes nothing to a terminal need not make it (stdio.ts writes to descriptors).
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
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
  onReload(reload) {
    process.on('SIGHUP', reload);
  },
  readLine(timeoutMs, signal) {
    return new Promise((resolve) => {
      let text = '';
      const done = (line: string | undefined) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', end);
        process.stdin.off('data', data).off('end', end).off('error', end);
        process.stdin.pause();
        resolve(line);
      };
      const data = (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const nl = text.indexOf('\n');
        if (nl >= 0 || text.length > 1024) done(text.slice(0, nl >= 0 ? nl : 1024));
      };
      const end = () => done(undefined);
      const timer = setTimeout(end, timeoutMs);
      if (signal?.aborted) return done(undefined);
      signal?.addEventListener('abort', end, { once: true });
      process.stdin.on('data', data).on('end', end).on('error', end);
      process.stdin.resume();
    });
  },
};

/**
 * The Io of the services (responder, watch, exporter): their output through Node's streams, which
 * a slow reader never blocks (stdio.ts); stdout's dropped lines are told on stderr.
 */
const backlog = { bytes: BACKLOG_BYTES, dropped: (count: number) => serviceStderr(droppedLine(count)) };
const serviceStderr = streamWriter(() => process.stderr, backlog);
export const serviceIo: Io = Object.create(nodeIo, {
  stdout: { value: streamWriter(() => process.stdout, backlog) },
  stderr: { value: serviceStderr },
}) as Io;
