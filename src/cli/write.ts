/**
 * Writes one run's files into a folder, all or nothing: every file goes into a private staging
 * folder first (mkdtemp in the target folder: an unpredictable name, mode 0700, each file
 * created with O_EXCL), and only when every file is whole are they renamed into place. A rename
 * replaces a planted symlink instead of following it; a full disk or an unwritable folder
 * leaves the folder as it was. Any file-system error is bad input naming the folder (exit 2).
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { cliError } from '../errors/cli.js';
import { InputError } from '../net/errors.js';
import { piecesOf } from '../targets/pieces.js';
import { type OutputFile } from '../targets/types.js';
import { shellWord } from '../text/shell-word.js';

/** `name` is relative to the folder; it may hold `/` (one sub-folder per target with --target all). */
export type FileToWrite = Pick<OutputFile, 'name' | 'content' | 'pieces' | 'mode'>;

export function writeAll(dir: string, files: readonly FileToWrite[]): string[] {
  const fail = (error: unknown, path: string): never => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const where = relative(dir, path);
    throw cliError('E_WRITE', { dir: shellWord(dir), code, at: where === '' ? '' : shellWord(where) });
  };
  let stage: string | undefined;
  try {
    try {
      mkdirSync(dir, { recursive: true });
      if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      stage = mkdtempSync(join(dir, '.sipwall-'));
    } catch (error) {
      fail(error, dir);
    }
    const staged = files.map((f) => {
      const path = join(stage!, f.name);
      try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        const fd = openSync(path, 'wx', f.mode);
        try {
          writeText(fd, piecesOf(f));
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        // A file made in pieces is checked as it is made (line-limit.ts): its refusal stands.
        if (error instanceof InputError) throw error;
        fail(error, join(dir, f.name));
      }
      return path;
    });
    const finals = files.map((f) => join(dir, f.name));
    // A folder where a file goes would stop the renames half-way: refuse before the first one.
    for (const path of finals) {
      let isFolder = false;
      try {
        isFolder = lstatSync(path).isDirectory();
      } catch {
        // Absent: the rename creates it.
      }
      if (isFolder) fail(Object.assign(new Error('a folder is in the way'), { code: 'EISDIR' }), path);
    }
    finals.forEach((path, i) => {
      try {
        mkdirSync(dirname(path), { recursive: true });
        renameSync(staged[i]!, path);
      } catch (error) {
        fail(error, path);
      }
    });
    return finals;
  } finally {
    if (stage !== undefined) rmSync(stage, { recursive: true, force: true });
  }
}

/** UTF-16 units encoded at once: at most 3 UTF-8 bytes each, so they always fit the buffer. */
const PIECE = 1 << 18;
let buffer: Buffer | undefined;

/**
 * Writes a text, given in pieces, as UTF-8 through one reused 768 KiB buffer, filled before each
 * write: a 35 MB file (100,000 prefixes to iptables) was otherwise encoded into a 35 MB buffer of
 * its own, touched page by page, and its pieces would cost a system call each. A piece must not
 * end between the two halves of a surrogate pair.
 */
export function writeText(fd: number, pieces: Iterable<string>): void {
  const out = (buffer ??= Buffer.allocUnsafe(PIECE * 3));
  let used = 0;
  const flush = () => {
    for (let done = 0; done < used; ) done += writeWaiting(fd, out, done, used - done);
    used = 0;
  };
  for (const text of pieces) {
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + PIECE, text.length);
      // A long piece is cut, but never between the two halves of a surrogate pair.
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      if (used + (end - start) * 3 > out.length) flush();
      used += out.write(end - start === text.length ? text : text.slice(start, end), used, 'utf8');
      start = end;
    }
  }
  flush();
}

/** A pause while a descriptor cannot take more (1 ms: Atomics.wait blocks without spinning). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * writeSync that waits where a descriptor someone else made non-blocking (stdout as a pipe that
 * another process shares) says EAGAIN: a blocking write's behaviour, without spinning.
 */
function writeWaiting(fd: number, data: Buffer, offset: number, length: number): number {
  for (;;) {
    try {
      return writeSync(fd, data, offset, length);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/**
 * Writes one file whole or not at all (apply's record and --persist files): a fresh temporary
 * name beside it, the text through writeText, fsync, rename over the old file.
 */
export function replaceFile(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const tmp = `${path}.sipwall-${process.pid}-${Date.now()}`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeText(fd, [content]);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
