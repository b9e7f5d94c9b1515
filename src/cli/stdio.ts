/**
 * How stdout and stderr are written. A command that does its job and exits writes straight to
 * the descriptors (write(2) through writeText), on Linux and macOS: Node's process.stdout is a
 * stream made on first use, 2 ms of a ~130 ms run when stdout is a file and 4 ms when it is a
 * pipe (its stream and net modules load), and it reported a reader that went away
 * (`sipwall render … | head`) as an unhandled EPIPE error with a stack trace. A service
 * (responder, watch, exporter) keeps Node's stream, which queues what a slow reader has not taken
 * yet: a blocking write to a pipe nobody reads would stop it answering. Either way a reader that
 * goes away ends the writing to that output and nothing else: the run goes on and exits with its
 * own code, as `yes | head` does.
 */
import { writeText } from './write.js';

/**
 * A command's output, written to descriptor `fd`. On Windows the console wants UTF-16
 * (WriteConsoleW), which Node's stream does: `stream` is written there.
 */
export function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WritableStream & { readonly writableLength: number }, platform: string = process.platform): (text: string) => void {
  if (platform === 'win32') return streamWriter(stream);
  let open = true;
  return (text) => {
    if (!open || text === '') return;
    try {
      writeText(fd, [text]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      open = false;
    }
  };
}

/** What a service's stream may hold that its reader has not taken yet: past it, lines are dropped. */
export const BACKLOG_BYTES = 4 * 2 ** 20;

/**
 * A service's output, written to Node's stream. An error of the stream (EPIPE) ends the writing.
 * A reader that stalls would let the stream grow without end under a flood of requests (each
 * answer logs a line), until the service ran out of memory: past `backlog` bytes unread, lines
 * are dropped and counted, and once the reader catches up `dropped` is told how many (on stderr:
 * a line of its own in stdout would break the JSON lines of `watch --json`).
 */
export function streamWriter(stream: () => NodeJS.WritableStream & { readonly writableLength: number }, dropped?: (count: number) => void, backlog = BACKLOG_BYTES): (text: string) => void {
  let open = true;
  let out: ReturnType<typeof stream> | undefined;
  let count = 0;
  return (text) => {
    if (!open || text === '') return;
    if (out === undefined) {
      out = stream();
      out.on('error', () => {
        open = false;
      });
    }
    if (out.writableLength > backlog) {
      count++;
      return;
    }
    if (count > 0) {
      const lost = count;
      count = 0;
      (dropped ?? ((n) => out!.write(droppedLine(n))))(lost);
    }
    out.write(text);
  };
}

/** What a service says of the lines it dropped. */
export const droppedLine = (count: number) => `sipwall: ${count} line${count === 1 ? '' : 's'} of output dropped: the reader fell ${BACKLOG_BYTES / 2 ** 20} MiB behind\n`;
