/**
 * Reads a file the user named, bounded: a regular file only (a FIFO or a device such as
 * /dev/zero would hang or grow without end), at most `maxBytes` (a 200 MB YAML file exhausts
 * V8). The open does not block on a FIFO; the size is checked before reading and again while
 * reading (a file may grow). Errors carry a code for the caller's message.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export class ReadLimitError extends Error {
  constructor(
    readonly code: 'ENOTREG' | 'EFBIG',
    message: string,
  ) {
    super(message);
  }
}

const KINDS: Array<[string, (s: import('node:fs').Stats) => boolean]> = [
  ['a folder', (s) => s.isDirectory()],
  ['a FIFO', (s) => s.isFIFO()],
  ['a character device', (s) => s.isCharacterDevice()],
  ['a block device', (s) => s.isBlockDevice()],
  ['a socket', (s) => s.isSocket()],
];

export function readBounded(path: string, maxBytes: number): string {
  return readBoundedBytes(path, maxBytes).toString('utf8');
}

/** The same, as bytes (a capture file). */
export function readBoundedBytes(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = KINDS.find(([, is]) => is(stat))?.[0] ?? 'not a regular file';
      throw new ReadLimitError('ENOTREG', `is ${kind}, not a regular file`);
    }
    if (stat.size > maxBytes) throw new ReadLimitError('EFBIG', `has ${stat.size} bytes, over the limit of ${maxBytes}`);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) throw new ReadLimitError('EFBIG', `grew past the limit of ${maxBytes} bytes while read`);
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
