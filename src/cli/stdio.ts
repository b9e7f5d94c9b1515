/**
 * stdout and stderr written straight to their descriptors (write(2) through writeText), on
 * Linux and macOS. Node's process.stdout is a stream made on first use: 2 ms of a ~130 ms run
 * when stdout is a file, 4 ms when it is a pipe (its stream and net modules load), and it reports
 * a reader that went away (`sipwall render … | head`) as an unhandled EPIPE error with a stack
 * trace. Here a reader that went away ends the writing to that descriptor and nothing else: the
 * run goes on and exits with its own code, as `yes | head` does. On Windows the console wants
 * UTF-16 (WriteConsoleW), which Node's stream does: it stays in use there.
 */
import { writeText } from './write.js';

export function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WritableStream, platform: string = process.platform): (text: string) => void {
  if (platform === 'win32') return (text) => void stream().write(text);
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
