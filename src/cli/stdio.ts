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

/** How much a service's stream may hold unread, and whom to tell of the lines dropped past it. */
export interface Backlog {
  readonly bytes: number;
  readonly dropped: (count: number) => void;
}

/**
 * Output written to Node's stream; an error of the stream (EPIPE) ends the writing. A service
 * gives a `backlog`: a reader that stalls would let its stream grow without end under a flood of
 * requests (each answer logs a line), until it ran out of memory, so past `backlog.bytes` unread,
 * lines are dropped and counted, and once the reader catches up `backlog.dropped` is told how
 * many (the services tell it on stderr: a line of its own in stdout would break the JSON lines of
 * `watch --json`). A command's output (Windows) has none: it drops nothing.
 */
export function streamWriter(stream: () => NodeJS.WritableStream & { readonly writableLength: number }, backlog?: Backlog): (text: string) => void {
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
    if (backlog !== undefined) {
      if (out.writableLength > backlog.bytes) {
        count++;
        return;
      }
      if (count > 0) {
        // Counted back to 0 first: `dropped` may write through this very writer.
        const lost = count;
        count = 0;
        backlog.dropped(lost);
      }
    }
    out.write(text);
  };
}

/** What a service says of the lines it dropped. */
export const droppedLine = (count: number) => `sipwall: ${count} line${count === 1 ? '' : 's'} of output dropped: the reader fell ${BACKLOG_BYTES / 2 ** 20} MiB behind\n`;
