/** What a command handler gets: the outside world and the exact command line. */
import { InputError } from '../net/errors.js';
import type { Provider } from '../providers/types.js';
import { shellWord } from '../targets/quote.js';
import type { Io } from './io.js';

export interface Context {
  readonly io: Io;
  /** The command line as typed, shell-quoted, for the output header. */
  readonly command: string;
  /** Parses a user profile (loaded lazily: yaml and zod cost start-up time). */
  readonly parseProfile: (text: string, fileName: string) => Provider;
}

export function quoteCommand(argv: readonly string[]): string {
  return ['sipwall', ...argv].map(shellWord).join(' ');
}

/** Reads a file the user named; an unreadable one is bad input (exit 2) that names the flag. */
export function readInput(ctx: Context, flag: string, file: string, fix: string): string {
  try {
    return ctx.io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError(`${flag} ${shellWord(file)}`, `cannot be read (${code})`, fix);
  }
}
